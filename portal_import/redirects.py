"""The import's old addresses merged into content/redirects.yml (plugins/redirects reads it)."""

from __future__ import annotations

from pathlib import Path

from plugins.redirects.core import dump, load, normalise_source

from .model import ImportStop


def merge(path: Path, new: dict[str, str]) -> str:
    """The file's new text: its entries, with this import's added or updated."""
    entries, problems = load(str(path))
    if problems:
        first = problems[0]
        where = f"{path}, dòng {first.line}" if first.line else str(path)
        raise ImportStop(first.message, where, first.hint or "sửa tệp rồi chạy lại")
    merged = {item.source: item.target for item in entries}
    for source, target in new.items():
        key = normalise_source(source)
        if key is not None and key != target:
            merged[key] = target
    return dump(merged)
