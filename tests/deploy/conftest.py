"""Fixtures for deploy tests: small fake sites, so no Pelican build is needed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXED_MTIME = 1_726_000_000  # 10/09/2024


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
    return folder


@pytest.fixture
def site_factory(tmp_path):
    counter = iter(range(1000))

    def factory(marker: str, extra: dict[str, str] | None = None) -> Path:
        return make_site(tmp_path / f"site{next(counter)}", marker, extra)

    return factory
