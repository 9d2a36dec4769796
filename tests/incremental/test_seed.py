"""The copy of the live output made in the background for the next patch build."""

from __future__ import annotations

import os
import time
from pathlib import Path

from plugins.incremental import seed


def _live(tmp_path: Path) -> Path:
    output = tmp_path / "output"
    (output / "2024" / "bai").mkdir(parents=True)
    (output / "2024" / "bai" / "index.html").write_text("<p>bài</p>", encoding="utf-8")
    (output / "index.html").write_text("<p>trang chủ</p>", encoding="utf-8")
    (output / "pagefind").mkdir()
    (output / "pagefind" / "bundles.json").write_text("{}", encoding="utf-8")
    return output


def _wait_for(output: Path) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = seed.take(output)
        if found is not None:
            return found
        time.sleep(0.02)
    raise AssertionError("no seed was made")


def test_the_seed_links_the_live_files_the_next_build_links(tmp_path):
    output = _live(tmp_path)
    seed.start(output, ["2024", "index.html"])
    made = _wait_for(output)
    for name in ("index.html", "2024/bai/index.html"):
        assert os.stat(made / name).st_ino == os.stat(output / name).st_ino
    # what before_publish writes (the search bundle) is written again by the build
    assert not (made / "pagefind").exists()
    assert not [path for path in tmp_path.glob(".output.seeding-*") if path.is_dir()]


def test_a_build_right_after_the_last_waits_for_the_seed_being_made(tmp_path):
    output = _live(tmp_path)
    seed.start(output, ["2024", "index.html"])
    made = seed.take(output)  # at once: the copy is still being made, or just made
    assert made is not None and (made / "2024" / "bai" / "index.html").is_file()


def test_a_seed_whose_maker_was_killed_is_not_waited_for(tmp_path):
    output = _live(tmp_path)
    status = os.stat(output)
    making = tmp_path / f".output.seeding-{status.st_ino}-{status.st_mtime_ns}"
    making.mkdir()
    (tmp_path / (making.name + ".pid")).write_text("999999999")  # no such process
    started = time.monotonic()
    assert seed.take(output, wait=20) is None
    assert time.monotonic() - started < 5
    seed.start(output, ["2024", "index.html"])  # made again
    assert _wait_for(output).is_dir()


def test_a_seed_is_never_taken_for_another_live_output(tmp_path):
    output = _live(tmp_path)
    seed.start(output, ["2024", "index.html"])
    made = _wait_for(output)
    # the next build published another folder in its place
    output.rename(tmp_path / "old")
    _live(tmp_path)
    assert seed.take(output) is None
    seed.start(output, ["2024", "index.html"])
    second = _wait_for(output)
    assert second != made
    deadline = time.monotonic() + 30
    while made.exists() and time.monotonic() < deadline:  # removed in the background
        time.sleep(0.02)
    assert not made.exists()


def test_an_entry_added_to_the_live_folder_voids_its_seed(tmp_path):
    output = _live(tmp_path)
    seed.start(output, ["2024", "index.html"])
    _wait_for(output)
    time.sleep(0.01)  # a coarse clock would give the folder the same time
    (output / "them-bang-tay.html").write_text("<p>thêm bằng tay</p>", encoding="utf-8")
    assert seed.take(output) is None


def test_late_folders_are_linked_apart_and_taken_out_of_the_staging_folder(tmp_path):
    output = _live(tmp_path)
    assert seed.late_folders(["pagefind/bundles.json", "sitemap.xml"], ["2024"]) == ["pagefind"]
    seed.start(output, ["2024", "index.html"], ["pagefind"])
    made = _wait_for(output)
    staging = tmp_path / ".output.building-1"
    made.rename(staging)
    late = seed.take_late(staging)
    assert late is not None and not (staging / seed.LATE).exists()
    linked = late / "pagefind" / "bundles.json"
    assert os.stat(linked).st_ino == os.stat(output / "pagefind" / "bundles.json").st_ino
    assert sorted(p.name for p in staging.iterdir()) == ["2024", "index.html"]
    assert seed.take_late(staging) is None  # taken once
