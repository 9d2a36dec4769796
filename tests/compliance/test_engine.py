"""The engine over a small written site: one pass, aggregation, waivers, packs, reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plugins.compliance import engine, report
from plugins.compliance.model import ERROR, INFO
from plugins.compliance.rules import PACKS, rules_for

from .builders import TOOLS, config, good_pages, html, page_doc, post, site


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _output(tmp: Path, docs, body: str = "<p>Nội dung.</p>") -> Path:
    out = tmp / "output"
    _write(out, "index.html", html())
    for doc in docs:
        _write(out, doc.save_as, html(body=body, url=doc.url))
    return out


def test_template_problems_are_counted_once_and_post_problems_per_post(tmp_path):
    docs = [post(), post(path="content/posts/b.md", url="b/", save_as="b/index.html", slug="b")]
    out = tmp_path / "output"
    for doc in docs:  # no print button on any article; an image without alt in each
        _write(out, doc.save_as, html(body='<img src="/a.jpg">', tools="", url=doc.url))
    result = engine.run(site([*docs, *good_pages()]), str(out))
    print_save = [f for f in result.findings if f.rule_id == "D43-15.1.c"]
    assert len(print_save) == 1 and print_save[0].count == 2 and len(print_save[0].examples) == 2
    alt = [f for f in result.findings if f.rule_id == "TT32-18.1.c"]
    assert sorted(f.target for f in alt) == ["content/posts/2026/bai.md", "content/posts/b.md"]
    assert result.pages == 2


def test_waivers_per_rule_and_per_post_are_kept_with_their_reason(tmp_path):
    # no Author and no Unit: nothing on the page says who wrote the post
    waived_post = post(
        author="", unit="", fields={"compliance_waiver": "D43-5.3: bài của nhiều phòng"}
    )
    other = post(path="content/posts/c.md", url="c/", save_as="c/index.html", author="", unit="")
    cfg = config(waivers={"D43-10.1.l.fax": "Sở không còn dùng fax"}, identity={"agency": "x"})
    result = engine.run(site([waived_post, other, *good_pages()], cfg), None)
    author = {f.target: f.waived for f in result.findings if f.rule_id == "D43-5.3"}
    assert author == {"content/posts/2026/bai.md": "bài của nhiều phòng", "content/posts/c.md": ""}
    fax = [f for f in result.findings if f.rule_id == "D43-10.1.l.fax"]
    assert fax and all("không còn dùng fax" in f.waived for f in fax)
    assert result.waived == 2
    assert "Không có thư mục xuất bản" in result.notes[0]


def test_agency_level_decides_which_rows_apply():
    so = {r.id: r for r in rules_for("43/2011", "so")}
    tinh = {r.id: r for r in rules_for("43/2011", "ubnd_tinh")}
    assert "D43-10.1.g" not in so and "D43-10.1.g" in tinh
    assert "D43-11" not in so and "D43-11" in tinh
    assert so["D43-13.1"].severity == INFO and tinh["D43-13.1"].severity == ERROR


def test_packs_change_what_the_successor_decrees_change():
    ids = {pack: {r.id for r in rules} for pack, rules in PACKS.items()}
    assert "N42-7.2" in ids["42/2022"] and "D43-13.1" not in ids["42/2022"]
    assert "N224-13.1.a" in ids["224/2026"] and "D43-18.2" not in ids["224/2026"]
    refs = {r.id: r.ref for r in PACKS["224/2026"]}
    assert "224/2026" in refs["D43-6.1.b"]
    for rules in PACKS.values():
        for rule in rules:
            assert rule.message and rule.hint and rule.ref
            assert rule.scope in ("site", "page", "post", "asset")


def test_a_rule_applies_to_the_kinds_it_names_and_only_to_those():
    """``Rule.kinds`` is where a rule applies: a fixed page without Summary or Unit breaks
    no article rule, while the same post breaks them; a misspelt kind would silence a rule."""
    kinds = {"article", "page", "document", "home", "listing"}
    assert all(set(r.kinds) <= kinds for rules in PACKS.values() for r in rules)
    page = page_doc("gioi-thieu", summary="", unit="")
    bare = post(summary="", unit="", path="content/posts/2026/tran.md")
    found = engine.run(site([post(), bare, *good_pages(), page])).findings
    by_target = {(f.target, f.rule_id) for f in found}
    assert {(bare.path, "TT24-5"), (bare.path, "TT24-5.desc")} <= by_target
    assert not {(page.path, "TT24-5"), (page.path, "TT24-5.desc")} & by_target


def test_reports_cite_the_law_and_list_waivers(tmp_path):
    docs = [post(author="", unit="", fields={"compliance_waiver": "D43-5.3: bài của nhiều phòng"})]
    out = _output(tmp_path, docs, body="<table><tr><td>x</td></tr></table>")
    cfg = config()
    result = engine.run(site([*docs, *good_pages()], cfg), str(out))
    json_path, html_path = report.write(result, cfg, str(tmp_path / "reports"))
    data = json.loads(Path(json_path).read_text(encoding="utf-8"))
    tables = [f for f in data["findings"] if f["rule"] == "TT32-18.1.dd"]
    assert tables and tables[0]["ref"] == "Điểm đ khoản 1 Điều 18 Thông tư 32/2017/TT-BTTTT"
    assert tables[0]["severity"] == "error" and tables[0]["target"] == "content/posts/2026/bai.md"
    assert data["summary"]["error"] == result.errors >= 1
    assert {r["id"] for r in data["rules"]} == {r.id for r in result.rules}
    page = Path(html_path).read_text(encoding="utf-8")
    for text in ("Theo quy tắc", "Theo bài", "Miễn trừ", "bài của nhiều phòng", "Thông tư 32/2017"):
        assert text in page
    lines = report.console_lines(result, cfg)
    assert any("TT32-18.1.dd" in line and "Điều 18" in line for line in lines)


# -- the page cache -----------------------------------------------------------------------


def _comparable(result) -> list[tuple]:
    return [
        (f.rule_id, f.target, f.detail, f.url, f.count, f.examples, f.waived)
        for f in result.findings
    ]


def test_the_page_cache_rechecks_only_changed_pages_and_keeps_the_findings(tmp_path):
    from plugins.compliance.cache import PageCache, fingerprint

    docs = [
        post(path=f"content/posts/{n}.md", url=f"{n}/", save_as=f"{n}/index.html", slug=n)
        for n in ("a", "b", "c")
    ]
    out = tmp_path / "output"
    _write(out, "index.html", html())
    for doc in docs:  # an image without alt in each: a page finding per post
        _write(out, doc.save_as, html(body='<img src="/a.jpg">', url=doc.url))
    the_site = site([*docs, *good_pages()])
    key = fingerprint(the_site.config, [r.id for r in rules_for("43/2011", "so")])
    folder = str(tmp_path / "cache")

    def run(cache_folder):
        cache = PageCache(cache_folder, key)
        result = engine.run(the_site, str(out), cache)
        cache.save()
        return result

    cold = run(folder)
    assert cold.cached == 0 and len([f for f in cold.findings if f.rule_id == "TT32-18.1.c"]) == 3
    warm = run(folder)
    assert warm.cached == 3  # the three articles; the home page is always checked
    assert _comparable(warm) == _comparable(cold)

    # one page changes: only it is checked again, and its new finding shows
    _write(out, "b/index.html", html(body='<img src="/a.jpg" alt="">', url="b/"))
    edited = run(folder)
    assert edited.cached == 2
    assert _comparable(edited) == _comparable(run(None))
    details = {f.target: f.detail for f in edited.findings if f.rule_id == "TT32-18.1.c"}
    assert "alt rỗng" in details["content/posts/b.md"]

    # what the page checks read of a post (its author) is part of the key
    docs[0].author = "Người khác"
    changed = run(folder)
    assert changed.cached == 2
    assert _comparable(changed) == _comparable(run(None))


def test_pages_recorded_by_the_build_engine_are_looked_up_by_their_recorded_digest(tmp_path):
    """With the engine's records (``portal_core.pages``) a page's entry is found by its
    recorded digest: the report is the one of reading every page, a page with a new
    digest or without a record is checked again, and a recorded one is trusted unread."""
    from plugins.compliance.cache import PageCache, fingerprint
    from plugins.portal_core.pages import digest_bytes

    docs = [
        post(path=f"content/posts/{n}.md", url=f"{n}/", save_as=f"{n}/index.html", slug=n)
        for n in ("a", "b", "c")
    ]
    out = tmp_path / "output"
    _write(out, "index.html", html())
    for doc in docs:
        _write(out, doc.save_as, html(body='<img src="/a.jpg">', url=doc.url))
    the_site = site([*docs, *good_pages()])
    key = fingerprint(the_site.config, [r.id for r in rules_for("43/2011", "so")])
    folder = str(tmp_path / "cache")

    def recorded(*names: str) -> dict[str, str]:
        return {name: digest_bytes((out / name).read_bytes()) for name in names}

    def run(cache_folder, digests):
        cache = PageCache(cache_folder, key)
        result = engine.run(the_site, str(out), cache, digests=digests)
        cache.save()
        return result

    every = ("index.html", "a/index.html", "b/index.html", "c/index.html")
    cold = run(folder, recorded(*every))
    assert cold.cached == 0
    warm = run(folder, recorded(*every))
    assert warm.cached == 3 and _comparable(warm) == _comparable(cold) == _comparable(run(None, {}))

    # b rewritten and recorded anew, c rewritten and not recorded: both checked again
    _write(out, "b/index.html", html(body='<img src="/a.jpg" alt="">', url="b/"))
    _write(out, "c/index.html", html(body='<img src="/c.jpg" alt="">', url="c/"))
    edited = run(folder, recorded("index.html", "a/index.html", "b/index.html"))
    assert edited.cached == 1
    assert _comparable(edited) == _comparable(run(None, {}))
    details = {f.target: f.detail for f in edited.findings if f.rule_id == "TT32-18.1.c"}
    assert "alt rỗng" in details["content/posts/b.md"] and "content/posts/c.md" in details

    # a recorded digest with an entry is trusted: the file is not read again
    digests = recorded(*every)
    (out / "a/index.html").write_text("<html>không đọc lại</html>", encoding="utf-8")
    trusted = run(folder, digests)
    assert trusted.cached == 3 and _comparable(trusted) == _comparable(edited)


def test_a_cache_from_other_settings_or_a_damaged_one_is_not_used(tmp_path):
    from plugins.compliance.cache import PageCache, fingerprint

    docs = [post()]
    out = _output(tmp_path, docs)
    the_site = site([*docs, *good_pages()])
    ids = [r.id for r in rules_for("43/2011", "so")]
    folder = str(tmp_path / "cache")
    cache = PageCache(folder, fingerprint(the_site.config, ids))
    engine.run(the_site, str(out), cache)
    cache.save()
    other = fingerprint(config(menu_labels=["Trang chủ"]), ids)
    assert other != fingerprint(the_site.config, ids)
    assert PageCache(folder, other).old == {}
    assert fingerprint(config(waivers={"D43-5.3": "lý do đủ dài"}), ids) == fingerprint(
        config(), ids
    )  # waivers are applied after the checks: they do not empty the cache
    for garbage in (b"{not a pickle", (tmp_path / "cache" / "trang.pickle").read_bytes()[:-9]):
        (tmp_path / "cache" / "trang.pickle").write_bytes(garbage)
        damaged = PageCache(folder, fingerprint(the_site.config, ids))
        assert damaged.old == {}
        assert engine.run(the_site, str(out), damaged).cached == 0


def _varied_site(tmp: Path, count: int):
    """Articles with different page findings and notes (forms, others' scripts), listings
    and a few other files: enough pages for the engine's process pool."""
    bodies = [
        "<p>Nội dung.</p>",
        '<img src="/a.jpg">',
        '<form action="/gop-y/"><input type="checkbox" name="dong-y" checked></form>',
        '<script src="https://cdn.example.net/x.js"></script><p>Bài.</p>',
        "<h3>Mục</h3><p>Sai cấp tiêu đề.</p>",
        '<table><tr><td>1</td></tr></table><a href="/x/">xem thêm</a>',
    ]
    docs = [
        post(path=f"content/posts/p{n}.md", url=f"p{n}/", save_as=f"p{n}/index.html", slug=f"p{n}")
        for n in range(count)
    ]
    out = tmp / "output"
    _write(out, "index.html", html())
    for n, doc in enumerate(docs):
        tools = "" if n % 7 == 0 else TOOLS
        _write(out, doc.save_as, html(body=bodies[n % len(bodies)], tools=tools, url=doc.url))
    for n in range(count // 4):  # listings (no post of their own)
        _write(out, f"chuyen-muc/c{n}/index.html", html(body='<img src="/b.png">', url=f"c{n}/"))
    _write(out, "rss/tat-ca.xml", '<?xml version="1.0" encoding="utf-8"?><rss></rss>')
    _write(out, "theme/css/in.css", "@media print { body { color: black } }")
    return site([*docs, *good_pages()]), out


def _report_json(result, the_site) -> dict:
    data = report.to_json(result, the_site.config)
    data.pop("generated", None)
    data["summary"].pop("seconds", None)
    return data


def test_the_process_pool_gives_the_same_report_as_one_process(tmp_path):
    from plugins.compliance.cache import PageCache, fingerprint

    the_site, out = _varied_site(tmp_path, 240)
    alone = engine.run(the_site, str(out), workers=1)
    assert alone.pages == 301 and engine.POOL_MIN_PAGES <= 300
    expected = _report_json(alone, the_site)
    assert any(f.rule_id == "TT25-8.2" for f in alone.findings)  # notes from pooled pages
    for workers in (2, 3):
        pooled = engine.run(the_site, str(out), workers=workers)
        assert json.dumps(_report_json(pooled, the_site)) == json.dumps(expected)

    # with the page cache: the pool fills it, then serves it, with the same report
    key = fingerprint(the_site.config, [r.id for r in rules_for("43/2011", "so")])
    folder = str(tmp_path / "cache")
    for expected_hits in (0, 300):
        cache = PageCache(folder, key)
        result = engine.run(the_site, str(out), cache, workers=2)
        cache.save()
        assert result.cached == expected_hits == cache.hits
        assert json.dumps(_report_json(result, the_site)) == json.dumps(expected)


def test_a_failing_pool_process_leaves_its_pages_to_the_parent(tmp_path, monkeypatch):
    import os

    from plugins.compliance import checks_html

    the_site, out = _varied_site(tmp_path, 240)
    expected = _report_json(engine.run(the_site, str(out), workers=1), the_site)
    parent = os.getpid()
    real = checks_html.page_notes

    def broken_in_children(page, the_site):
        if os.getpid() != parent:
            raise RuntimeError("hỏng")
        return real(page, the_site)

    monkeypatch.setattr(checks_html, "page_notes", broken_in_children)
    result = engine.run(the_site, str(out), workers=2)
    assert json.dumps(_report_json(result, the_site)) == json.dumps(expected)


def test_the_cache_key_of_a_page_follows_every_field_of_its_post():
    import dataclasses

    from plugins.compliance.cache import page_context
    from plugins.compliance.model import Doc

    doc = post()
    assert page_context("a/index.html", "article", doc) == page_context(
        "a/index.html", "article", post()
    )
    assert page_context("a/index.html", "article", doc) != page_context(
        "b/index.html", "article", doc
    )
    assert page_context("x/index.html", "listing", None) != page_context(
        "x/index.html", "article", None
    )
    for name in (f.name for f in dataclasses.fields(Doc)):  # the body included
        value = getattr(doc, name)
        other = {"x": 1} if isinstance(value, dict) else "khác" if value != "khác" else "x"
        changed = dataclasses.replace(doc, **{name: other})
        assert page_context("a/index.html", "article", changed) != page_context(
            "a/index.html", "article", doc
        ), name


def test_every_output_file_is_checked_once_and_links_to_folders_are_not_followed(tmp_path):
    root = tmp_path / "out"
    for rel in ("index.html", "b/index.html", "a/z.css", "a/b/c.html", "a-b/x", "A/y", "ä/ü"):
        _write(root, rel, html("<main><h1>Trang</h1></main>") if rel.endswith(".html") else "x")
    (root / "empty").mkdir()
    (root / "link-to-folder").symlink_to(root / "a", target_is_directory=True)
    (root / "link-to-file").symlink_to(root / "index.html")
    (root / "broken-link").symlink_to(root / "missing")

    result = engine.run(site(), str(root), workers=1)
    assert result.pages == 3  # index.html, b/index.html, a/b/c.html: not link-to-folder's
    assert result.files == 6  # a/z.css, a-b/x, A/y, ä/ü, link-to-file, broken-link
    missing = engine.run(site(), str(tmp_path / "missing"), workers=1)
    assert (missing.pages, missing.files) == (0, 0)


def test_the_build_guards_list_of_files_gives_the_walks_report(tmp_path):
    """A build passes the files it knows the output holds (``portal_core.pages.
    staged_files``) instead of a walk: the same files, checked and reported in the same
    order."""
    from plugins.build_guard import files_in

    the_site, out = _varied_site(tmp_path, 40)
    for rel in ("a/z.css", "a/b/c.html", "a-b/x.xml", "A/y.html", "ä/ü.html", "z.html"):
        _write(out, rel, html('<img src="/c.jpg">') if rel.endswith(".html") else "x")
    listed = files_in(out)
    assert sorted(listed, key=engine._walk_order) == list(engine._walk(str(out)))
    walked = engine.run(the_site, str(out), workers=1)
    given = engine.run(the_site, str(out), workers=1, files=listed)
    assert (given.pages, given.files) == (walked.pages, walked.files) == (55, 4)
    assert json.dumps(_report_json(given, the_site)) == json.dumps(_report_json(walked, the_site))


def test_the_heap_is_frozen_only_while_the_checks_run():
    import gc

    assert gc.get_freeze_count() == 0
    with engine.old_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), engine.old_objects_frozen():
        raise RuntimeError("a check failed")
    assert gc.get_freeze_count() == 0
    gc.freeze()  # frozen by someone else: left as it is
    try:
        frozen = gc.get_freeze_count()
        with engine.old_objects_frozen():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
