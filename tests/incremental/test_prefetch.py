"""Posts read on every core: the same result whoever reads a post, and never read twice."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from plugins.incremental.prefetch import _HEADER, Prefetch
from tests.conftest import TinySite
from tests.incremental.test_incremental_build import tree

ITEMS = [f"posts/bai-{n:03d}.md" for n in range(120)]


def made(item: str) -> bytes:
    return item.upper().encode()


def slow(item: str) -> bytes:
    time.sleep(0.002)  # a read takes time, so both ends advance
    return made(item)


def gather(prefetch: Prefetch, items: list[str]) -> tuple[dict[str, bytes], int]:
    """Every item, as the build takes it: from a helper, or read here when none did."""
    results, taken = {}, 0
    for item in items:
        payload = prefetch.take(item)
        if payload is None:
            payload = slow(item)
        else:
            taken += 1
        results[item] = payload
    return results, taken


def test_every_item_once_whoever_reads_it():
    prefetch = Prefetch(ITEMS, lambda item: slow(item) + b"|" + str(os.getpid()).encode(), 1)
    results, taken = gather(prefetch, ITEMS)
    assert prefetch.close() == []
    assert prefetch.results == {}, "the helper read nothing the build read itself"
    assert 0 < taken < len(ITEMS), "both ends read"
    helper_pids = {v.split(b"|")[1] for v in results.values() if b"|" in v}
    assert len(helper_pids) == 1 and helper_pids != {str(os.getpid()).encode()}
    assert {k: v.split(b"|")[0] for k, v in results.items()} == {k: made(k) for k in ITEMS}
    # a helper's items were taken from it, not read here as well: the claims are exclusive
    from_helper = [k for k, v in results.items() if b"|" in v]
    assert from_helper == ITEMS[-len(from_helper) :], "the helper reads from the end"


def test_several_helpers_share_the_end_of_the_list():
    prefetch = Prefetch(ITEMS, lambda item: slow(item) + b"|" + str(os.getpid()).encode(), 3)
    results, _ = gather(prefetch, ITEMS)
    assert prefetch.close() == []
    assert prefetch.results == {}
    assert {k: v.split(b"|")[0] for k, v in results.items()} == {k: made(k) for k in ITEMS}
    assert len({v.split(b"|")[1] for v in results.values() if b"|" in v}) >= 2


def test_an_item_the_helper_cannot_read_is_read_by_the_build():
    def work(item: str) -> bytes:
        if item.endswith(("7.md", "3.md")):
            raise ValueError("broken post")
        return slow(item)

    prefetch = Prefetch(ITEMS, work, 1)
    results, _ = gather(prefetch, ITEMS)
    assert prefetch.close() == []
    assert results == {k: made(k) for k in ITEMS}


def test_a_helper_that_dies_leaves_its_items_to_the_build():
    def work(item: str) -> bytes:
        if item == ITEMS[-5]:
            os._exit(3)  # killed in the middle of its share
        return slow(item)

    prefetch = Prefetch(ITEMS, work, 1)
    results, taken = gather(prefetch, ITEMS)
    failures = prefetch.close()
    assert results == {k: made(k) for k in ITEMS}
    assert taken == 4  # the four it sent before it died
    assert len(failures) == 1 and "status" in failures[0]


def test_no_fork_at_all_is_said_and_a_later_failed_fork_leaves_fewer_helpers(monkeypatch):
    real_fork, forks = os.fork, []

    def fork() -> int:
        forks.append(1)
        if len(forks) > 1:
            raise OSError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    prefetch = Prefetch(ITEMS, slow, 3)  # the second fork fails: one helper
    results, taken = gather(prefetch, ITEMS)
    assert len(prefetch.threads) == 1 and prefetch.close() == []
    assert results == {k: made(k) for k in ITEMS} and taken > 0
    with pytest.raises(OSError):
        Prefetch(ITEMS, slow, 1)  # the caller reads everything itself (and says so)


def test_an_item_not_in_the_list_is_left_to_the_build():
    prefetch = Prefetch(ITEMS[:30], made, 1)
    assert prefetch.take("posts/other.md") is None
    gather(prefetch, ITEMS[:30])
    assert prefetch.close() == []


# -- in a build --------------------------------------------------------------------------

POSTS = 40  # over PREFETCH_MIN_FILES: a cold build reads on both ends


def many_posts(site: TinySite, unit: str = "Thanh tra Sở") -> None:
    for n in range(POSTS):
        site.post(
            f"bai-{n:02d}",
            title=f"Bài số {n} về đăng kiểm xe cơ giới",
            Date=f"{1 + n % 28:02d}/0{1 + n % 9}/2024 08:00",
            Unit=unit,
            Tags="đăng kiểm" if n % 2 else "an toàn giao thông",
            body=f"Đoạn **{n}** của bài, với [một liên kết](https://example.gov.vn/{n}).",
        )


def build_with(site: TinySite, workers: int, tmp_path: Path, name: str):
    copy = TinySite.__new__(TinySite)
    copy.__dict__.update(site.__dict__)
    copy.output = tmp_path / f"out-{name}"
    copy.settings_file = tmp_path / f"{name}.py"
    copy.settings(
        f"""
        DEFAULT_PAGINATION = 5
        SEARCH_INDEX = False
        INCREMENTAL_READ_WORKERS = {workers}
        INCREMENTAL_CACHE_PATH = {str(tmp_path / ("cache-" + name))!r}
        RELATED_POSTS_CACHE_PATH = {str(tmp_path / ("related-" + name))!r}
        """
    )
    return copy, copy.build()


def parallel_reads(log: str) -> int:
    found = re.search(r"\((\d+) bởi tiến trình đọc song song\)", log)
    return int(found[1]) if found else 0


def test_reading_on_two_cores_writes_the_same_site(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    many_posts(site)
    one, alone = build_with(site, 1, tmp_path, "one")
    two, shared = build_with(site, 2, tmp_path, "two")
    assert alone.returncode == shared.returncode == 0, shared.log
    assert parallel_reads(alone.log) == 0
    assert 0 < parallel_reads(shared.log) < POSTS, shared.log
    assert tree(one.output) == tree(two.output)
    # the posts read by the other process are in the cache: only a new post is read
    site.post("moi", title="Bài mới đăng", Date="02/02/2025 08:00")
    again = two.build()
    assert f"Bộ nhớ đệm đọc bài: {POSTS} dùng lại, 1 đọc mới." in again.log, again.log


@pytest.mark.parametrize("workers", [1, 2])
def test_problems_of_posts_read_elsewhere_are_reported(tmp_path: Path, workers: int):
    site = TinySite(tmp_path / "site")
    many_posts(site, unit="Thanh tra Soo")  # every post names a unit that does not exist
    _, result = build_with(site, workers, tmp_path, f"w{workers}")
    assert result.returncode == 1
    assert (parallel_reads(result.log) > 0) == (workers == 2), result.log
    for n in range(POSTS):  # each post's error, whichever process read it
        assert f"posts/bai-{n:02d}.md" in result.log, n


@pytest.mark.parametrize("name", ["INCREMENTAL_READ_WORKERS", "INCREMENTAL_RENDER_WORKERS"])
def test_a_bad_worker_count_stops_the_build_and_says_why(tiny_site: TinySite, name: str):
    tiny_site.post("bai")
    tiny_site.settings(f"{name} = -2\n")
    result = tiny_site.build()
    assert result.returncode == 1
    assert f"pelicanconf.py: {name} must be a whole number ≥ 0 (0 = one per core), not -2." in (
        result.log
    )
    assert "Traceback" not in result.log


def test_a_result_cut_short_is_not_taken():
    """A helper killed while sending: its last result is incomplete, the build reads it."""
    prefetch = Prefetch(ITEMS[:1], made, 0)
    read_end, write_end = os.pipe()
    os.write(write_end, _HEADER.pack(0, 100) + b"only part of it")
    os.close(write_end)
    prefetch.running = [True]
    prefetch._receive(read_end, 0)
    assert prefetch.results == {} and prefetch.running == [False]
    assert prefetch.take(ITEMS[0]) is None
