"""`python -m counter.fetch` against a real running service: the token is sent, a failure is
loud, and fails the run once the figures are older than COUNTER_SNAPSHOT_MAX_AGE."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from counter_helpers import ADMIN_TOKEN, ARTICLES, ROOT, flush, hit, ua


def fetch(url: str, out, token: str | None = ADMIN_TOKEN, max_age: str = "6", **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNTER_", "GITHUB_"))}
    env |= {"COUNTER_SNAPSHOT_URL": url, "COUNTER_SNAPSHOT": str(out)}
    env |= {"COUNTER_SNAPSHOT_MAX_AGE": max_age, **extra}
    if token is not None:
        env["COUNTER_ADMIN_TOKEN"] = token
    argv = [sys.executable, "-m", "counter.fetch"]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _old_snapshot(path, hours: float) -> None:
    asof = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - hours * 3600))
    path.write_text(
        json.dumps({"version": 1, "asof": asof, "site": {"online": 1, "today": 2, "total": 3}}),
        encoding="utf-8",
    )


def test_fetch_sends_the_token_and_writes_the_snapshot(make_live, tmp_path):
    c = make_live(COUNTER_STORE=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    for i in range(3):
        hit(c, ARTICLES[i], agent=ua(i))
    flush(c)
    out = tmp_path / "cache/counter-snapshot.json"
    url = f"http://127.0.0.1:{c.port}/api/v1/snapshot"
    done = fetch(url, out)
    assert done.returncode == 0, done.stderr
    assert "total 3" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["site"]["total"] == 3 and data["views"][ARTICLES[0]] == 1


def test_a_wrong_token_warns_then_fails_once_the_figures_are_too_old(make_live, tmp_path):
    c = make_live(COUNTER_STORE=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    url = f"http://127.0.0.1:{c.port}/api/v1/snapshot"
    out = tmp_path / "counter-snapshot.json"
    # never fetched yet: the first failure starts the clock, the run goes on with a warning
    first = fetch(url, out, token="wrong-token-0123456789")
    assert first.returncode == 0
    assert "401" in first.stdout and "COUNTER_ADMIN_TOKEN" in first.stdout
    assert not out.exists() and (tmp_path / "counter-snapshot.json.failing-since").exists()
    # a snapshot from 5 hours ago: within the 6 h allowance, kept as it is
    _old_snapshot(out, 5)
    kept = out.read_bytes()
    within = fetch(url, out, token="wrong-token-0123456789", GITHUB_ACTIONS="true")
    assert within.returncode == 0 and within.stdout.startswith("::warning::")
    assert out.read_bytes() == kept
    # 7 hours: the run fails, loudly, and the old figures are still there for the next run
    _old_snapshot(out, 7)
    late = fetch(url, out, token="wrong-token-0123456789", GITHUB_ACTIONS="true")
    assert late.returncode == 1
    assert late.stderr.startswith("::error::") and "COUNTER_SNAPSHOT_MAX_AGE" in late.stderr
    assert fetch(url, out, token="wrong-token-0123456789", max_age="0").returncode == 0  # off
    # the right token again: fresh figures, the failure clock is reset
    assert fetch(url, out).returncode == 0
    assert not (tmp_path / "counter-snapshot.json.failing-since").exists()
    assert json.loads(out.read_text(encoding="utf-8"))["site"]["total"] == 0


def test_a_stopped_service_counts_from_the_first_failure(tmp_path):
    out = tmp_path / "counter-snapshot.json"
    url = "http://127.0.0.1:9/api/v1/snapshot"  # nothing listens on the discard port
    marker = tmp_path / "counter-snapshot.json.failing-since"
    assert fetch(url, out).returncode == 0 and "cannot reach" in fetch(url, out).stdout
    marker.write_text(f"{time.time() - 8 * 3600}\n")
    assert fetch(url, out).returncode == 1


def test_no_token_is_a_warning_and_a_bad_setting_an_error(tmp_path):
    out = tmp_path / "s.json"
    done = fetch("http://127.0.0.1:9/api/v1/snapshot", out, token=None)
    assert done.returncode == 0 and "COUNTER_ADMIN_TOKEN is not set" in done.stdout
    assert fetch("not a url", out).returncode == 1
    assert fetch("http://127.0.0.1:9/x", out, max_age="six").returncode == 1
