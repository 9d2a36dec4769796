"""Fixtures for deploy tests: small fake sites, so no Pelican build is needed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plugins.build_stamp.core import STAMP_NAME, stamp_for, write_stamp

FIXED_MTIME = 1_726_000_000  # 10/09/2024
PRODUCTION = {  # what publishconf.py sets, as plugins/build_stamp records it
    "SITEURL": "https://sgtvt.lamson.gov.vn",
    "RELATIVE_URLS": False,
    "DRAFT_SAVE_AS": "",
    "DRAFT_PAGE_SAVE_AS": "",
    "DRAFT_URL": "ban-nhap/{slug}/",
    "SCHEDULING_PUBLISH_MODE": True,
}


def stamp_production(folder: Path) -> Path:
    """Mark a hand-made site as a production build (deploys refuse anything else)."""
    write_stamp(folder, stamp_for(PRODUCTION))
    os.utime(folder / STAMP_NAME, (FIXED_MTIME, FIXED_MTIME))
    return folder


def make_site(folder: Path, marker: str, extra: dict[str, str] | None = None) -> Path:
    files = {
        "index.html": f"<h1>{marker}</h1>",
        "404.html": "<h1>Không tìm thấy trang</h1>",
        "2024/09/bai/index.html": "<p>bài không đổi</p>",
        "theme/css/portal.css": "body{}",
        **(extra or {}),
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        # one fixed time, as an incremental build keeps an unchanged page's file: rsync's
        # --link-dest links a file only when its time matches too, and two sites written
        # a second apart would otherwise make the "unchanged file is linked" tests flaky
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return stamp_production(folder)


@pytest.fixture
def site_factory(tmp_path):
    counter = iter(range(1000))

    def factory(marker: str, extra: dict[str, str] | None = None) -> Path:
        return make_site(tmp_path / f"site{next(counter)}", marker, extra)

    return factory
