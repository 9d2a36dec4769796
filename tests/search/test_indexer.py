"""Indexing: one Pagefind run per bundle (a year of posts, the other pages), stable
bundles, reuse of every unchanged bundle.

Pure calls of ``build_index`` on small folders (no Pelican), then real builds.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from plugins.portal_core.pages import digest_bytes
from plugins.search import bundle, indexer
from plugins.search.folding import folded_d_words
from plugins.search.indexer import build_index, indexed_pages

UNITS = [f"don-vi-{i}" for i in range(12)]  # many values: a random order shows at once
YEARS = ["2021", "2022", "2023"]


def post_url(i: int) -> str:
    return f"/{YEARS[i % 3]}/09/bai-{i}/"


def make_site(base: Path, words: dict[int, str] | None = None) -> Path:
    """Twelve article pages over three years (filters unit and category, their words with
    đ folded as the theme writes them), one fixed page, a home page that is not indexed."""
    site = base / "site"
    for i, unit in enumerate(UNITS):
        text = (words or {}).get(i, f"Đường tỉnh {500 + i} được bảo dưỡng")
        page = site / post_url(i).strip("/") / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head>'
            f"<body><nav>Menu đầu trang</nav><article data-pagefind-body>"
            f'<h1 data-pagefind-meta="title">Bài {i} &amp; “ngoặc”</h1>'
            f'<span data-pagefind-meta="folded-d:{folded_d_words(text)}" hidden></span>'
            f'<div data-pagefind-filter="unit:{unit}"></div>'
            f'<div data-pagefind-filter="category:muc-{i % 5}"></div>'
            f"<p>{text}</p></article></body></html>",
            encoding="utf-8",
        )
    fixed = site / "gioi-thieu/index.html"
    fixed.parent.mkdir(parents=True)
    fixed.write_text(
        '<html lang="vi"><body><article data-pagefind-body><h1>Giới thiệu</h1>'
        "<p>Sở Giao thông</p></article></body></html>",
        encoding="utf-8",
    )
    (site / "index.html").write_text("<html><body>Trang chủ, không có trong chỉ mục</body></html>")
    return site


#: Page URL → bundle, as plugins/search gives it (the post's year; fixed pages: none).
GROUPS = {post_url(i): YEARS[i % 3] for i in range(len(UNITS))}
BUNDLES = [*YEARS, "khac"]


def index(site, **kwargs):
    return build_index(site, groups=GROUPS, **kwargs)


def bundle_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fragments(folder: Path) -> dict[str, dict]:
    """URL → fragment, over every bundle of ``folder`` (the bundle folder)."""
    out = {}
    for path in folder.glob("*/fragment/*"):
        data = json.loads(gzip.decompress(path.read_bytes())[len(bundle.SIGNATURE) :])
        out[data["url"]] = data
    return out


def page_count(bundle_folder: Path) -> int:
    entry = json.loads((bundle_folder / "pagefind-entry.json").read_text())
    return entry["languages"]["vi"]["page_count"]


def test_one_run_per_bundle_indexes_the_pages_and_adds_nothing_else_to_the_site(tmp_path):
    site = make_site(tmp_path)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    report = index(site)
    assert (report.pages, report.reused, report.stable) == (13, False, True)
    assert list(report.bundles) == list(report.indexed) == BUNDLES
    target = site / "pagefind"
    assert json.loads((target / "bundles.json").read_text()) == {"bundles": BUNDLES}
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == BUNDLES
    # Each year's bundle has its four posts; the fixed page has its own.
    assert [page_count(target / name) for name in BUNDLES] == [4, 4, 4, 1]
    for name in BUNDLES:
        assert (target / name / "pagefind.js").is_file()
    # Nothing but the bundles was added: the folders Pagefind read are gone.
    after = sorted(p.relative_to(site) for p in site.rglob("*") if "pagefind" not in p.parts)
    assert after == before
    found = fragments(target)
    assert len(found) == 13
    real = found["/2021/09/bai-3/"]
    assert real["meta"] == {"title": "Bài 3 & “ngoặc”", "folded-d": "duong duoc"}
    assert real["filters"] == {"unit": ["don-vi-3"], "category": ["muc-3"]}
    assert "Đường tỉnh 503" in real["content"] and "Menu" not in real["content"]


def test_without_groups_everything_is_one_bundle(tmp_path):
    site = make_site(tmp_path)
    report = build_index(site)
    assert report.bundles == ("khac",)
    assert page_count(site / "pagefind/khac") == 13


def test_two_runs_on_the_same_input_give_byte_identical_bundles(tmp_path):
    runs = []
    for n in range(3):  # other folders each time: the absolute path must not matter
        site = make_site(tmp_path / f"run{n}")
        index(site)
        runs.append(bundle_bytes(site / "pagefind"))
    assert runs[0] == runs[1] == runs[2]
    assert any(name.startswith("2022/filter/") for name in runs[0])


def test_normalize_sorts_filter_values_and_keeps_every_page(tmp_path):
    site = make_site(tmp_path)
    index(site)
    target = site / "pagefind/2022"
    for path in (target / "filter").iterdir():
        _name, values = bundle.read_file(path)
        assert [v[0] for v in values] == sorted(v[0] for v in values)
        assert sum(len(v[1]) for v in values) == 4  # every page has one value per filter
    meta_hash = json.loads((target / "pagefind-entry.json").read_text())["languages"]["vi"]["hash"]
    meta = bundle.read_file(target / f"pagefind.{meta_hash}.pf_meta")
    assert [f[0] for f in meta[3]] == ["category", "unit"]
    assert {f"{f[1]}.pf_filter" for f in meta[3]} == {p.name for p in (target / "filter").iterdir()}
    assert bundle.normalize(target)  # idempotent
    assert (
        meta_hash
        == json.loads((target / "pagefind-entry.json").read_text())["languages"]["vi"]["hash"]
    )


def test_normalize_leaves_an_unknown_layout_alone(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"vi": {"hash": "vi_x"}}}')
    (tmp_path / "pagefind.vi_x.pf_meta").write_bytes(gzip.compress(b"something else"))
    assert bundle.normalize(tmp_path) is False
    assert (tmp_path / "pagefind.vi_x.pf_meta").is_file()


def build_and_publish(base: Path, output: Path, cache: Path, words=None):
    """One build: index a fresh staging copy, then swap it in as build_guard does."""
    site = make_site(base, words)
    report = index(site, cache_dir=cache, previous_output=output)
    staged = bundle_bytes(site / "pagefind")
    if output.exists():
        shutil.rmtree(output)
    site.rename(output)
    return report, staged


def inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_unchanged_inputs_reuse_the_live_bundles_and_a_changed_post_is_indexed_again(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    first, bundle1 = build_and_publish(tmp_path / "b1", output, cache)
    assert not first.reused
    assert len(list(cache.glob("index-*.json"))) == 1

    # Same pages: every live bundle is linked into the new staging folder.
    site = make_site(tmp_path / "b2")
    second = index(site, cache_dir=cache, previous_output=output)
    assert second.reused and second.indexed == ()
    assert bundle_bytes(site / "pagefind") == bundle1
    entry = "pagefind/2022/pagefind-entry.json"
    assert (site / entry).stat().st_ino == (output / entry).stat().st_ino  # hard link

    # One post's text changes: Pagefind runs again and finds the new word, never stale.
    edited, bundle3 = build_and_publish(
        tmp_path / "b3", output, cache, words={4: "Cầu Bến Mới thông xe"}
    )
    assert not edited.reused
    assert bundle3 != bundle1
    found = fragments(output / "pagefind")
    assert "Cầu Bến Mới thông xe" in found["/2022/09/bai-4/"]["content"]


def test_editing_one_post_reindexes_only_its_years_bundle(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    live_bytes, live_inodes = bundle_bytes(output / "pagefind"), inodes(output / "pagefind")

    site = make_site(tmp_path / "b2", words={4: "Cầu Bến Mới thông xe"})  # 2022
    report = index(site, cache_dir=cache, previous_output=output)
    assert report.indexed == ("2022",) and list(report.bundles) == BUNDLES
    staged_bytes, staged_inodes = bundle_bytes(site / "pagefind"), inodes(site / "pagefind")
    for rel, ino in staged_inodes.items():
        name = rel.split("/", 1)[0]
        if name in ("2021", "2023", "khac"):  # the same files: hard links to the live ones
            assert ino == live_inodes[rel] and staged_bytes[rel] == live_bytes[rel], rel
        elif name == "2022":
            assert ino not in live_inodes.values(), rel
    assert {r.split("/", 1)[0] for r in staged_bytes} == {*BUNDLES, "bundles.json"}
    assert {r for r in staged_bytes if not r.startswith("2022/")} == {
        r for r in live_bytes if not r.startswith("2022/")
    }
    assert any(staged_bytes.get(r) != b for r, b in live_bytes.items() if r.startswith("2022/"))
    assert "Cầu Bến Mới thông xe" in fragments(site / "pagefind")["/2022/09/bai-4/"]["content"]

    # The same result as indexing everything from nothing, byte for byte.
    fresh = make_site(tmp_path / "b3", words={4: "Cầu Bến Mới thông xe"})
    index(fresh)
    assert bundle_bytes(fresh / "pagefind") == staged_bytes


def _changed_site(base: Path) -> Path:
    """The site with the words of posts 4 (2022) and 0 (2021) changed and post 7 gone."""
    site = make_site(base, words={4: "Cầu Bến Mới thông xe", 0: "Điều chỉnh tuyến đường"})
    shutil.rmtree(site / post_url(7).strip("/"))
    return site


def test_a_bundles_kept_input_gives_the_bytes_of_a_run_from_nothing(tmp_path):
    """Pagefind reads a bundle from its folder of the last run, kept in the cache: the
    pages that are other files now are linked again, what is gone removed. The bundles
    are those of a run from nothing."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    for round_ in ("b2", "b3"):
        site = _changed_site(tmp_path / round_)
        for page in site.rglob("*.html"):  # unchanged pages: the live files, linked
            live = output / page.relative_to(site)
            if live.is_file() and live.read_bytes() == page.read_bytes():
                page.unlink()
                os.link(live, page)
        report = index(site, cache_dir=cache, previous_output=output)
        assert report.indexed == (("2021", "2022") if round_ == "b2" else ())
        fresh = _changed_site(tmp_path / f"{round_}-fresh")
        index(fresh)
        assert bundle_bytes(site / "pagefind") == bundle_bytes(fresh / "pagefind")
        shutil.rmtree(output)
        site.rename(output)

    # the other way back: every post as it was, from the kept inputs again
    site = make_site(tmp_path / "b4")
    assert index(site, cache_dir=cache, previous_output=output).indexed == (
        "2021",
        "2022",
    )
    fresh = make_site(tmp_path / "b4-fresh")
    index(fresh)
    assert bundle_bytes(site / "pagefind") == bundle_bytes(fresh / "pagefind")


def test_the_kept_input_of_a_bundle_gone_is_removed(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    (inputs,) = cache.glob("inputs-*")
    assert sorted(p.name for p in inputs.iterdir()) == sorted(
        [*BUNDLES, *(f"{name}.json" for name in BUNDLES)]
    )
    site = make_site(tmp_path / "b2")  # every post of 2023 deleted
    for i in range(2, len(UNITS), 3):
        shutil.rmtree(site / post_url(i).strip("/"))
    assert "2023" not in index(site, cache_dir=cache, previous_output=output).bundles
    assert not any(p.name.startswith("2023") for p in inputs.iterdir())


def test_a_live_bundle_that_changed_since_is_not_reused(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    victim = next((output / "pagefind/2023/fragment").iterdir())
    victim.write_bytes(b"changed by hand")
    site = make_site(tmp_path / "b2")
    report = index(site, cache_dir=cache, previous_output=output)
    assert report.indexed == ("2023",)
    assert (site / "pagefind/2023/fragment" / victim.name).read_bytes() != b"changed by hand"


def test_a_live_bundle_file_rewritten_with_the_same_size_is_not_reused(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    victim = next((output / "pagefind/2023/fragment").iterdir())
    before = victim.stat()
    time.sleep(0.01)  # a later write: the file's time moves on
    victim.write_bytes(b"x" * before.st_size)
    site = make_site(tmp_path / "b2")
    report = index(site, cache_dir=cache, previous_output=output)
    assert report.indexed == ("2023",)


def test_live_bundles_restored_with_new_times_are_reused_by_their_bytes(tmp_path, monkeypatch):
    """A CI cache gives the output back with other inodes and times, the same bytes."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    shutil.copytree(output, tmp_path / "kept")
    shutil.rmtree(output)
    shutil.copytree(tmp_path / "kept", output, copy_function=shutil.copyfile)
    victim = next((output / "pagefind/2023/fragment").iterdir())
    victim.write_bytes(b"x" * victim.stat().st_size)  # and one file changed, same size
    site = make_site(tmp_path / "b2")
    report = index(site, cache_dir=cache, previous_output=output)
    assert report.indexed == ("2023",)
    assert bundle_bytes(site / "pagefind") == bundle_bytes(tmp_path / "kept/pagefind")
    # the record now holds the restored files' inodes and times: the next build reuses
    # every bundle without reading them back
    shutil.rmtree(output)
    site.rename(output)
    again = make_site(tmp_path / "b3")
    reads = []
    real = indexer._bytes_digest
    monkeypatch.setattr(indexer, "_bytes_digest", lambda f: reads.append(f) or real(f))
    assert index(again, cache_dir=cache, previous_output=output).indexed == ()
    assert reads == []


def test_a_post_moved_to_another_year_reindexes_both_years(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    site = make_site(tmp_path / "b2")
    groups = {**GROUPS, post_url(0): "2023"}  # same URL, another year's bundle
    report = build_index(site, groups=groups, cache_dir=cache, previous_output=output)
    assert report.indexed == ("2021", "2023")
    assert page_count(site / "pagefind/2021") == 3 and page_count(site / "pagefind/2023") == 5


def _linked_copy(output: Path, into: Path) -> Path:
    """The live bundles hard-linked elsewhere, as a patch build's seed brings them."""
    linked = into / "pagefind"
    for rel in bundle_bytes(output / "pagefind"):
        (linked / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(output / "pagefind" / rel, linked / rel)
    return linked


def test_staged_bundle_linked_from_the_live_site_is_replaced_not_written_through(tmp_path):
    """A staging folder prepared with hard links to the last output (incremental builds)."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    live = bundle_bytes(output / "pagefind")
    site = make_site(tmp_path / "b2", words={0: "Bài mới hoàn toàn"})
    _linked_copy(output, site)
    assert index(site, cache_dir=cache, previous_output=output).indexed == ("2021",)
    assert bundle_bytes(output / "pagefind") == live


def test_bundle_names_are_checked(tmp_path):
    from plugins.search.indexer import SearchIndexError

    site = make_site(tmp_path)
    with pytest.raises(SearchIndexError):
        build_index(site, groups={post_url(0): "../x"})


def test_pages_are_found_by_their_body_mark_in_any_case(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text("<main data-pagefind-body>x</main>")
    (tmp_path / "b.html").write_text("<main DATA-PAGEFIND-BODY>y</main>")
    (tmp_path / "c.html").write_text("<main>z</main>")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind/old.html").write_text("<main data-pagefind-body>old</main>")
    assert list(indexed_pages(tmp_path, skip=["pagefind"])) == ["a/index.html", "b.html"]


def test_pages_listed_by_the_build_are_those_the_walk_finds(tmp_path):
    """The build guard's list of the folder's files stands for the walk: the same pages;
    a listed name that is no file (gone since, or a folder) is not a page."""
    for rel, text in {
        "a/index.html": "<main data-pagefind-body>x</main>",
        "b.html": "<main DATA-PAGEFIND-BODY>y</main>",
        "c.html": "<main>z</main>",
        "pagefind/old.html": "<main data-pagefind-body>old</main>",
        "theme/site.css": "main {}",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    (tmp_path / "folder.html").mkdir()
    walked = indexed_pages(tmp_path, skip=["pagefind"])
    names = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()]
    listed = indexed_pages(tmp_path, skip=["pagefind"], names=[*names, "gone.html", "folder.html"])
    assert listed == walked and list(listed) == ["a/index.html", "b.html"]


def test_pages_the_engine_wrote_are_read_only_when_their_bytes_are_new(tmp_path):
    pages = {"a/index.html": "<main data-pagefind-body>a</main>", "b.html": "<main>b</main>"}
    for rel, text in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    digests = {rel: digest_bytes(text.encode()) for rel, text in pages.items()}
    seen: dict = {}
    first = indexed_pages(tmp_path, digests=digests, seen=seen)
    assert first == {"a/index.html": digests["a/index.html"]}
    assert seen == {digests["a/index.html"]: True, digests["b.html"]: False}  # read, once

    # the engine's digest and the mark recorded for it are trusted: to prove it, the
    # bytes change behind their back (the mark is gone) and the page is still indexed
    (tmp_path / "a/index.html").write_text("<main>A</main>")
    assert indexed_pages(tmp_path, digests=digests, marks=seen) == first
    # a digest never seen (the engine wrote new bytes): read again
    digests["a/index.html"] = digest_bytes(b"<main>A</main>")
    assert indexed_pages(tmp_path, digests=digests, marks=seen) == {}


def test_pages_the_engine_did_not_write_are_read_every_time(tmp_path):
    (tmp_path / "a.html").write_text("<main data-pagefind-body>a</main>")
    seen: dict = {}
    assert indexed_pages(tmp_path, seen=seen) == {
        "a.html": digest_bytes(b"<main data-pagefind-body>a</main>")
    }
    (tmp_path / "a.html").write_text("<main>a</main>")
    assert indexed_pages(tmp_path, marks=seen) == {}


def test_unchanged_bundles_linked_between_builds_are_moved_in_not_linked_again(tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    live, live_inodes = bundle_bytes(output / "pagefind"), inodes(output / "pagefind")
    linked = _linked_copy(output, tmp_path / "late")
    # one file of one linked bundle replaced (a new inode): that bundle is linked from the
    # live site instead, as if there were no linked copy
    victim = next((linked / "2022/fragment").iterdir())
    data = victim.read_bytes()
    victim.unlink()
    victim.write_bytes(data)
    site = make_site(tmp_path / "b2", words={0: "Bài mới hoàn toàn"})
    report = index(site, cache_dir=cache, previous_output=output, linked_previous=linked)
    assert report.indexed == ("2021",)
    staged = inodes(site / "pagefind")
    for name in ("2023", "khac"):  # moved in: the linked copy is gone, the files are live
        assert not (linked / name).exists()
    for rel, inode in staged.items():
        if rel.startswith(("2022/", "2023/", "khac/")):
            assert inode == live_inodes[rel], rel
    assert bundle_bytes(output / "pagefind") == live


def _digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): digest_bytes(p.read_bytes())
        for p in site.rglob("*.html")
        if "pagefind" not in p.parts
    }


def test_the_bundle_of_a_changed_page_starts_first_and_gives_the_same_bundle(tmp_path, monkeypatch):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    started = []
    real = indexer._Pagefind.__init__

    def noting(self, binary, root, target, options):
        started.append(target.name)
        real(self, binary, root, target, options)

    monkeypatch.setattr(indexer._Pagefind, "__init__", noting)
    words = {0: "Bài mới hoàn toàn"}
    site = make_site(tmp_path / "b2", words)
    digests = _digests(site)
    changed = [post_url(0).strip("/") + "/index.html"]
    report = index(
        site, cache_dir=cache, previous_output=output,
        page_digests=digests, changed_pages=changed,
    )  # fmt: skip
    assert report.indexed == ("2021",) and started == ["2021"]
    plain = make_site(tmp_path / "b3", words)
    index(plain)
    assert bundle_bytes(site / "pagefind/2021") == bundle_bytes(plain / "pagefind/2021")


def test_a_bundle_started_first_on_incomplete_records_is_indexed_again(tmp_path, monkeypatch):
    """The engine's records lack a page of the bundle (a page another plugin wrote): the
    walk finds it, and the bundle is indexed again with it."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_and_publish(tmp_path / "b1", output, cache)
    killed = []
    real = indexer._Pagefind.kill
    monkeypatch.setattr(indexer._Pagefind, "kill", lambda self: killed.append(1) or real(self))
    words = {0: "Bài mới hoàn toàn"}
    site = make_site(tmp_path / "b2", words)
    digests = _digests(site)
    del digests[post_url(3).strip("/") + "/index.html"]  # 2021, like post 0
    changed = [post_url(0).strip("/") + "/index.html"]
    report = index(
        site, cache_dir=cache, previous_output=output,
        page_digests=digests, changed_pages=changed,
    )  # fmt: skip
    assert report.indexed == ("2021",) and killed
    assert page_count(site / "pagefind/2021") == 4
    plain = make_site(tmp_path / "b3", words)
    index(plain)
    assert bundle_bytes(site / "pagefind/2021") == bundle_bytes(plain / "pagefind/2021")
