"""Real builds: identical builds give identical search bundles; an unchanged bundle is reused,
a changed post's year is indexed again and the other years are not; SEARCH_CACHE_PATH is
checked at start-up."""

from __future__ import annotations

import gzip
import json

from plugins.search import bundle

ENTRY = "pagefind/2023/pagefind-entry.json"  # the year of cau-moi and duong-tinh


def _inode(output, entry: str = ENTRY) -> int:
    """Pagefind writes new files; a reused bundle is hard-linked from the last output."""
    return (output / entry).stat().st_ino


def _bundle(output):
    folder = output / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _indexed_text(output) -> str:
    texts = []
    for path in (output / "pagefind").glob("*/fragment/*"):
        data = json.loads(gzip.decompress(path.read_bytes())[len(bundle.SIGNATURE) :])
        texts.append(data["url"] + " " + data["content"])
    return "\n".join(texts)


def _two_posts(tiny_site, body: str = "Cầu mới thông xe.") -> None:
    # Distinct dates: with equal ones the order of the two (previous/next links) may vary.
    tiny_site.post("duong-tinh", title="Sửa đường tỉnh 512", body="Mặt đường được sửa.")
    tiny_site.post(
        "cau-moi", title="Cầu Bến Mới", body=body, Unit="Thanh tra Sở", Date="13/09/2023 08:00"
    )
    tiny_site.post("nam-cu", title="Bến phà cũ", body="Bến phà ngừng.", Date="02/03/2021 08:00")


def test_rebuilds_reuse_an_unchanged_index_and_reindex_a_changed_post(tiny_site):
    _two_posts(tiny_site)
    first = tiny_site.build()
    assert first.returncode == 0, first.log
    assert list((tiny_site.base / "cache/search").glob("index-*.json"))
    bundle1, inode1 = _bundle(tiny_site.output), _inode(tiny_site.output)

    second = tiny_site.build()
    assert second.returncode == 0, second.log
    assert _inode(tiny_site.output) == inode1  # reused: Pagefind did not run
    assert _bundle(tiny_site.output) == bundle1

    old_year = "pagefind/2021/pagefind-entry.json"
    inode_old_year = _inode(tiny_site.output, old_year)
    _two_posts(tiny_site, body="Cầu mới thông xe hôm qua, xe tải nhẹ.")
    third = tiny_site.build()
    assert third.returncode == 0, third.log
    assert _inode(tiny_site.output) != inode1  # indexed again
    assert _inode(tiny_site.output, old_year) == inode_old_year  # another year: reused
    text = _indexed_text(tiny_site.output)
    assert "xe tải nhẹ" in text
    assert _bundle(tiny_site.output) != bundle1


def test_a_full_rebuild_without_the_cache_gives_the_same_bundle(tiny_site):
    _two_posts(tiny_site)
    assert tiny_site.build().returncode == 0
    bundle1, inode1 = _bundle(tiny_site.output), _inode(tiny_site.output)
    tiny_site.settings(f"SEARCH_CACHE_PATH = {str(tiny_site.base / 'other-cache')!r}\n")
    again = tiny_site.build()
    assert again.returncode == 0, again.log
    assert _inode(tiny_site.output) != inode1  # Pagefind ran again, from nothing
    assert _bundle(tiny_site.output) == bundle1  # byte for byte


def test_search_cache_inside_the_output_is_refused(tiny_site):
    tiny_site.post("a")
    tiny_site.settings(f"SEARCH_CACHE_PATH = {str(tiny_site.output / 'cache')!r}\n")
    result = tiny_site.build()
    assert result.returncode == 1
    assert "SEARCH_CACHE_PATH must be outside OUTPUT_PATH" in result.log
