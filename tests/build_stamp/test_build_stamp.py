"""plugins/build_stamp: what a build records of its settings, and what a deploy makes of it."""

from __future__ import annotations

import json
import os

import pytest

from plugins.build_stamp.core import STAMP_NAME, deploy_problems, stamp_for
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
