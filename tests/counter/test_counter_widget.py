"""The widget (counter/static/counter.js) run by Node against a fake DOM and the real service:
it records the hit, shows Vietnamese-formatted numbers and stays silent when the service is
down. (Node stands in for the browser; the DOM is a stub. The headless-Chromium end-to-end
test belongs with the Pelican plugin.)"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from counter_helpers import ADMIN_TOKEN, ARTICLES, ROOT, free_port

SCRIPT = ROOT / "counter" / "static" / "counter.js"
HARNESS = Path(__file__).with_name("widget_harness.mjs")
A, B = ARTICLES[0], ARTICLES[1]

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def run_widget(endpoint: str) -> dict:
    out = subprocess.run(
        ["node", str(HARNESS), str(SCRIPT), endpoint, A, B],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(out.stdout)


def test_widget_records_the_hit_and_formats_numbers(make_live, tmp_path):
    c = make_live(COUNTER_STORE=f"sqlite:///{tmp_path / 'w.sqlite3'}")
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    seed = {"total": 278_871, "views": {A: 1233, B: 4999}}
    assert c.post("/api/v1/seed", json=seed, headers=auth).status_code == 200
    result = run_widget(f"http://127.0.0.1:{c.port}/api/v1/")  # trailing slash is fine
    assert result["problems"] == [] and result["console"] == []
    text = result["text"]
    assert (text["online"], text["today"], text["total"]) == ("1", "1", "278.872")
    assert text["views"] == "1.234"  # this page: seed + the hit just recorded
    assert text["other"] == "4.999"  # another article listed on the page (via /stats)
    assert (
        text["asof"].startswith("Số liệu đến ") and text["asof"] != "Số liệu đến 14:05 22/11/2026"
    )
    assert c.get("/api/v1/stats", params={"paths": A}).json()["views"] == {A: 1234}


def test_widget_keeps_static_numbers_when_the_service_is_down():
    result = run_widget(f"http://127.0.0.1:{free_port()}/api/v1")
    assert result["problems"] == [] and result["console"] == []
    assert result["text"] == {
        "online": "2",
        "today": "27",
        "total": "278.000",
        "views": "12",
        "other": "7",
        "asof": "Số liệu đến 14:05 22/11/2026",
    }
