"""`invoke rollback` pauses deploys in the same command; `invoke resume` lifts the pause."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from portal_ops import deploy as ops
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
T0 = dt.datetime(2024, 9, 10, 1, 0, tzinfo=dt.UTC)  # one deploy an hour, as in CI


def invoke(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("PORTAL_DEPLOY_TARGET", None)
    argv = [str(ROOT / ".venv/bin/invoke"), *args]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)


def test_rollback_pauses_the_hourly_deploy_until_resume(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    ops.deploy(site_factory("v1"), target, 5, "abc1234", now=T0)
    ops.deploy(site_factory("v2"), target, 5, "def5678", now=T0 + dt.timedelta(hours=1))

    done = invoke("rollback", "--target", str(base), "--reason", "trang chủ lỗi")
    assert done.returncode == 0, done.stderr
    assert "PAUSED" in done.stdout and "invoke resume" in done.stdout
    assert (base / "current/index.html").read_text() == "<h1>v1</h1>"

    hourly = invoke(
        "deploy", "--skip-build", "--target", str(base), "--output", str(site_factory("v3"))
    )
    assert hourly.returncode == 0, hourly.stderr  # paused on purpose: not a failed run
    assert "Đang tạm dừng triển khai" in hourly.stdout and "trang chủ lỗi" in hourly.stdout
    assert (base / "current/index.html").read_text() == "<h1>v1</h1>"
    listing = invoke("releases", "--target", str(base))
    assert "deploys PAUSED" in listing.stdout

    resumed = invoke("resume", "--target", str(base))
    assert resumed.returncode == 0 and "trang chủ lỗi" in resumed.stdout
    again = invoke(
        "deploy", "--skip-build", "--target", str(base), "--output", str(site_factory("v4"))
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert (base / "current/index.html").read_text() == "<h1>v4</h1>"


def test_rollback_no_pause_and_the_pause_command(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    ops.deploy(site_factory("v1"), target, 5, "abc1234", now=T0)
    ops.deploy(site_factory("v2"), target, 5, "def5678", now=T0 + dt.timedelta(hours=1))
    assert invoke("rollback", "--no-pause", "--target", str(base)).returncode == 0
    assert not (base / ops.PAUSE_FILE).exists()
    assert invoke("pause", "--target", str(base), "--reason", "bảo trì").returncode == 0
    assert "bảo trì" in (base / ops.PAUSE_FILE).read_text(encoding="utf-8")
