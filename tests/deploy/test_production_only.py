"""A deploy refuses an output that was not built with the production settings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from plugins.build_stamp.core import STAMP_NAME, deploy_problems, stamp_for
from portal_ops import deploy as ops
from tests.conftest import ROOT
from tests.deploy.conftest import PRODUCTION

PREVIEW = {
    "SITEURL": "http://127.0.0.1:8000",
    "DRAFT_SAVE_AS": "ban-nhap/{slug}/index.html",
    "DRAFT_URL": "ban-nhap/{slug}/",
    "SCHEDULING_PUBLISH_MODE": False,
}


def test_the_stamp_names_every_reason(tmp_path):
    (tmp_path / STAMP_NAME).write_text(json.dumps(stamp_for(PREVIEW)), encoding="utf-8")
    problems = deploy_problems(tmp_path)
    assert len(problems) == 3
    assert "DRAFT_SAVE_AS" in problems[0] and "bản nháp" in problems[0]
    assert "SCHEDULING_PUBLISH_MODE" in problems[1] and "hẹn giờ" in problems[1]
    assert "http://127.0.0.1:8000" in problems[2]
    (tmp_path / STAMP_NAME).write_text(json.dumps(stamp_for(PRODUCTION)), encoding="utf-8")
    assert deploy_problems(tmp_path) == []
    (tmp_path / "ban-nhap/bai").mkdir(parents=True)  # left over from a preview build
    assert ["ban-nhap/" in p for p in deploy_problems(tmp_path)] == [True]
    (tmp_path / STAMP_NAME).unlink()
    assert STAMP_NAME in deploy_problems(tmp_path)[0]


@pytest.mark.parametrize("siteurl", ["http://localhost:8000", "", "http://[::1]/"])
def test_local_site_addresses_are_refused(tmp_path, siteurl):
    (tmp_path / STAMP_NAME).write_text(
        json.dumps(stamp_for({**PRODUCTION, "SITEURL": siteurl})), encoding="utf-8"
    )
    assert len(deploy_problems(tmp_path)) == 1


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_preview_build_is_refused_and_production_build_deploys(tiny_site, tmp_path):
    """Real builds: pelicanconf.py's output is refused by `invoke deploy --skip-build`."""
    tiny_site.post("bai-mot", "Bài đã đăng")
    tiny_site.post("nhap", "Bài nháp", Status="draft")
    preview = tiny_site.build()
    assert preview.returncode == 0, preview.log
    assert list(tiny_site.output.glob("ban-nhap/*/index.html"))  # the preview shows drafts
    srv = tmp_path / "srv"
    argv = [str(ROOT / ".venv/bin/invoke"), "deploy", "--skip-build"]
    argv += ["--target", str(srv), "--output", str(tiny_site.output)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "publishconf.py" in said and "bản nháp" in said and "127.0.0.1:8000" in said
    assert "hẹn giờ" in said and "invoke publish" in said
    assert not srv.exists()  # nothing touched on the target

    production = tmp_path / "production"
    tiny_site.output = production
    # A two-post site lacks the sections a portal must have; the gate has its own tests.
    tiny_site.settings("COMPLIANCE_FAIL_ON_ERROR = False\n", base="publishconf")
    built = tiny_site.build()
    assert built.returncode == 0, built.log
    assert not (production / "ban-nhap").exists()
    result = ops.deploy(production, ops.parse_target(str(srv)), 3, "abc1234")
    assert (srv / "current" / "index.html").is_file() and result.previous is None


def test_the_stamp_keeps_its_bytes_and_time_across_builds(tiny_site):
    tiny_site.post("bai-mot", "Bài đã đăng")
    assert tiny_site.build().returncode == 0
    stamp = tiny_site.output / STAMP_NAME
    first = stamp.stat()
    os.utime(stamp, (first.st_atime, first.st_mtime - 3600))
    before = stamp.stat().st_mtime
    assert tiny_site.build().returncode == 0
    assert stamp.stat().st_mtime == before
    assert json.loads(stamp.read_text(encoding="utf-8"))["drafts_published"] is True
