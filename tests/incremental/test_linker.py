"""Unchanged pages linked into the staging folder by a process of its own."""

from __future__ import annotations

import os

import pytest

from plugins.incremental.session import Linker


def _live(tmp_path, names):
    live = tmp_path / "live"
    for name in names:
        path = live / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<p>{name}</p>", encoding="utf-8")
    return live


def test_pages_are_linked_in_their_folders_once_waited_for(tmp_path):
    # enough pairs (~200 KB) that the worker reads them in several pieces, some cut mid-pair
    names = [f"{year}/{n:04d}/index.html" for year in (2024, 2025) for n in range(1000)]
    live = _live(tmp_path, names)
    staging = tmp_path / "staging"
    linker = Linker()
    for name in names:
        assert linker.add(str(live / name), str(staging / name))
    linker.wait()
    for name in names:
        assert os.path.samefile(live / name, staging / name)  # a link, not a copy
    # a second batch after wait() starts the worker again
    assert linker.add(str(live / names[0]), str(staging / "again" / "index.html"))
    linker.wait()
    assert (staging / "again" / "index.html").read_text(
        encoding="utf-8"
    ) == "<p>2024/0000/index.html</p>"


def test_a_first_link_that_fails_means_render_instead(tmp_path):
    linker = Linker()
    missing = tmp_path / "live" / "gone.html"
    assert not linker.add(str(missing), str(tmp_path / "staging" / "gone.html"))
    assert not linker.works
    # later pages are not tried one by one: rendered
    live = _live(tmp_path, ["a.html"])
    assert not linker.add(str(live / "a.html"), str(tmp_path / "staging" / "a.html"))
    linker.wait()  # nothing queued: nothing to report


def test_a_later_failure_is_reported_with_the_page(tmp_path):
    live = _live(tmp_path, ["a.html"])
    linker = Linker()
    assert linker.add(str(live / "a.html"), str(tmp_path / "staging" / "a.html"))
    assert linker.add(str(live / "gone.html"), str(tmp_path / "staging" / "gone.html"))
    with pytest.raises(RuntimeError, match=r"gone\.html"):
        linker.wait()
