"""Fixtures for deploy tests: small fake sites, so no Pelican build is needed."""

from __future__ import annotations

from pathlib import Path

import pytest


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
    return folder


@pytest.fixture
def site_factory(tmp_path):
    counter = iter(range(1000))

    def factory(marker: str, extra: dict[str, str] | None = None) -> Path:
        return make_site(tmp_path / f"site{next(counter)}", marker, extra)

    return factory
