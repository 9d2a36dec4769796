"""What is kept between builds: the post memo, the cache files, the faster JSON writer.

Every memo test compares a run served from the memo with a run without it: the memo
must never change a finding, whatever changed between the two builds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.compliance import engine, jsontext, manifest, report
from plugins.compliance.cache import (
    CACHE_NAME,
    POSTS_NAME,
    PageCache,
    PostMemo,
    fingerprint,
    post_fingerprint,
    post_key,
)
from plugins.compliance.holidays import parse_holidays
from plugins.compliance.model import CategoryInfo, Doc, UnitInfo
from plugins.compliance.registry import CHECKS, POST_ONLY
from plugins.compliance.rules import rules_for

from .builders import config, good_pages, post, site

RULES = rules_for("43/2011", "so")
LAW = {"category": "pho-bien-phap-luat"}


def _post(name: str, **changes) -> Doc:
    return post(
        path=f"content/posts/{name}.md",
        url=f"{name}/",
        save_as=f"{name}/index.html",
        slug=name,
        **changes,
    )


def _posts() -> list[Doc]:
    """Posts that break post rules in different ways (and one that breaks none)."""
    return [
        _post("sach"),
        _post("khong-tac-gia", author="", unit="", summary="ngắn"),
        _post("mat", content="<p>Kế hoạch TỐI MẬT của Sở.</p>"),
        _post("tcvn3", content="<p>Së Giao th«ng vËn t¶i tØnh L©m S¬n</p>"),
        _post(
            "van-ban",
            kind="document",
            category="",
            fields={"document_type": "Quyết định", "document_number": "sai số"},
        ),
        _post(
            "luat",
            **LAW,
            fields={"related_doc_number": "36/2024/QH15", "related_doc_date": "28/10/2026"},
        ),
        _post("mien-tru", author="", unit="", fields={"compliance_waiver": "D43-5.3 không lý do"}),
    ]


def _run(the_site, memo: PostMemo | None):
    return engine.run(the_site, None, memo=memo)


def _found(result) -> list[tuple]:
    return [
        (f.rule_id, f.target, f.detail, f.url, f.count, f.examples, f.waived)
        for f in result.findings
    ]


def _memo(folder: Path, the_site) -> PostMemo:
    return PostMemo(str(folder), post_fingerprint(the_site.config, RULES))


def _memo_run(folder: Path, the_site):
    """A run with the memo kept in ``folder`` (saved after), and its memo."""
    memo = _memo(folder, the_site)
    result = _run(the_site, memo)
    memo.save()
    return result, memo


def _fresh(the_site) -> list[tuple]:
    for doc in the_site.docs:  # what a new process would have: nothing computed yet
        for name in ("_plain", "_content_digest"):
            doc.__dict__.pop(name, None)
    return _found(_run(the_site, None))


# -- the post memo ------------------------------------------------------------------------


def test_a_warm_run_gives_the_findings_of_a_run_without_the_memo(tmp_path):
    docs = [*_posts(), *good_pages()]
    cold, memo = _memo_run(tmp_path, site(docs))
    assert memo.hits == 0 and memo.misses == len(docs)
    expected = _fresh(site(docs))
    assert _found(cold) == expected
    rules = {f[0] for f in expected}
    for rule_id in ("D43-5.2", "D43-5.3", "D43-7.1.legacy", "D43-10.1.e.fields", "D43-17.1.b"):
        assert rule_id in rules
    assert "CHK-WAIVER" in rules and "TT24-5.desc" in rules
    warm, memo = _memo_run(tmp_path, site(_posts() + good_pages()))
    assert memo.hits == len(docs) and memo.misses == 0
    assert _found(warm) == expected  # same findings, same order


def test_an_edited_post_is_checked_again(tmp_path):
    _memo_run(tmp_path, site([*_posts(), *good_pages()]))
    edited = _posts()
    edited[0].content = "<p>Tài liệu MẬT, không phổ biến.</p>"  # now D43-5.2 fires
    edited[1].author = "Nguyễn Văn B"  # and D43-5.3 no longer does
    the_site = site([*edited, *good_pages()])
    warm, memo = _memo_run(tmp_path, the_site)
    assert memo.misses == 2
    assert _found(warm) == _fresh(site([*edited, *good_pages()]))
    targets = {(f.rule_id, f.target) for f in warm.findings}
    assert ("D43-5.2", "content/posts/sach.md") in targets
    assert ("D43-5.3", "content/posts/khong-tac-gia.md") not in targets


def test_every_field_of_a_post_is_in_its_key():
    base = _post("a", fields={"section": "lien-he"})
    keys = {post_key(base)}
    changes = {
        "kind": "page",
        "date": dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC),
        "modified": dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC),
        "fields": {"section": "lien-he; hoi-dap"},
        "content": base.content + " ",
    }
    for field in dataclasses.fields(Doc):
        value = changes.get(field.name, str(getattr(base, field.name)) + "x")
        changed = dataclasses.replace(base, **{field.name: value})
        keys.add(post_key(changed))
        assert post_key(changed) != post_key(base), field.name
    assert len(keys) == len(dataclasses.fields(Doc)) + 1
    # a value of another type with the same text is another key ("1" is not 1)
    assert post_key(_post("a", fields={"x": "1"})) != post_key(_post("a", fields={"x": 1}))


def test_holidays_are_part_of_the_memo(tmp_path):
    # posted 16 working days after the law it explains (limit 15) ...
    docs = [_post("luat", **LAW, fields={"related_doc_date": "28/10/2026"}), *good_pages()]
    before, _ = _memo_run(tmp_path, site(docs))
    assert [f.rule_id for f in before.findings].count("D43-17.1.b") == 1
    # ... or 15, once 2 November is a holiday: the memo must not serve the old finding
    cfg = config(holidays=parse_holidays(["2026-09-02", "2026-11-02"]))
    after, memo = _memo_run(tmp_path, site(docs, cfg))
    assert memo.hits == 0
    assert "D43-17.1.b" not in {f.rule_id for f in after.findings}
    assert _found(after) == _fresh(site(docs, cfg))


def test_today_the_manifest_and_other_posts_are_read_afresh(tmp_path):
    docs = [*_posts(), *good_pages()]
    _memo_run(tmp_path, site(docs))
    sach = docs[0]
    # another day, a previous build that published "sach" with other text but the same
    # Modified (TT24-9), a duplicate title, other units and categories: served from the memo
    twin = _post("trung-ten", title=sach.title)
    changed = site(
        [*docs, twin],
        config(today=dt.date(2027, 3, 1), moved_urls={"cu/": "moi/"}),
        previous_manifest={sach.url: {"hash": "0" * 16, "modified": "", "source": sach.path}},
        units=[UnitInfo("khac", "Đơn vị khác")],
        categories={"moi": CategoryInfo("moi", "Mới", "chuyen-muc/moi/", 3)},
    )
    result, memo = _memo_run(tmp_path, changed)
    assert memo.hits == len(docs) and memo.misses == 1
    assert _found(result) == _fresh(changed)
    assert ("TT24-9", sach.path) in {(f.rule_id, f.target) for f in result.findings}
    assert "D43-17.1.a" in {f.rule_id for f in result.findings}  # no news for months


def test_waivers_apply_to_memoized_findings_and_do_not_stick(tmp_path):
    docs = [*_posts(), *good_pages()]
    _memo_run(tmp_path, site(docs))
    cfg = config(waivers={"D43-5.2": "trích tên kế hoạch công khai"})
    waived, memo = _memo_run(tmp_path, site(docs, cfg))
    assert memo.hits == len(docs)
    secret = [f for f in waived.findings if f.rule_id == "D43-5.2"]
    assert secret and all("công khai" in f.waived for f in secret)
    assert _found(waived) == _fresh(site(docs, cfg))
    # a waiver in the post itself changes the post, hence its key
    docs[2].fields = {"compliance_waiver": "D43-5.2: tên một kế hoạch đã công bố"}
    per_post, memo = _memo_run(tmp_path, site(docs))
    assert memo.misses == 1
    assert [f.waived for f in per_post.findings if f.rule_id == "D43-5.2"] == [
        "tên một kế hoạch đã công bố"
    ]
    # and without waivers the memo serves findings nobody waived
    plain, memo = _memo_run(tmp_path, site([*_posts(), *good_pages()]))
    assert not [f for f in plain.findings if f.waived]
    assert _found(plain) == _fresh(site([*_posts(), *good_pages()]))


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps({"format": 2, "fingerprint": "x", "entries": []}),
        # a pickle that would call a function: refused, never run
        b"cos\nsystem\n(S'echo pwned > /dev/null'\ntR.",
        pickle.dumps(CategoryInfo("a", "b", "c")),
    ],
)
def test_a_damaged_memo_file_is_an_empty_memo(tmp_path, garbage):
    docs = [*_posts(), *good_pages()]
    _memo_run(tmp_path, site(docs))
    (tmp_path / POSTS_NAME).write_bytes(garbage)
    result, memo = _memo_run(tmp_path, site(docs))
    assert memo.hits == 0
    assert _found(result) == _fresh(site(docs))
    assert PostMemo(str(tmp_path), memo.fingerprint).old  # written afresh


def test_a_damaged_entry_is_checked_again(tmp_path):
    docs = [*_posts(), *good_pages()]
    _, memo = _memo_run(tmp_path, site(docs))
    entries = dict(memo.new)
    keys = [post_key(d) for d in docs[:4]]
    entries[keys[0]] = ((99, "D43-5.2", "x", "y", "z", 1, ()),)  # no such check
    entries[keys[1]] = (("not a row",),)
    entries[keys[2]] = None
    entries[keys[3]] = 5
    data = {"format": 2, "fingerprint": memo.fingerprint, "entries": entries}
    (tmp_path / POSTS_NAME).write_bytes(pickle.dumps(data))
    result, memo = _memo_run(tmp_path, site(docs))
    assert memo.misses == 4
    assert _found(result) == _fresh(site(docs))


def test_post_only_checks_read_nothing_but_the_post_and_the_fingerprinted_settings():
    """Guard for new checks: a POST_ONLY check must give the same findings whatever the
    day, the other posts, registries, previous manifest, waivers and moved URLs are."""
    docs = [*_posts(), *good_pages()]
    one = site(docs)
    other = site(
        [*docs, _post("trung-ten", title=docs[0].title)],
        config(
            today=dt.date(2030, 1, 2),
            waivers={"D43-5.2": "lý do đủ dài"},
            moved_urls={"a/": "b/"},
            maintenance={"start": "2030-02-01", "notice": "x"},
        ),
        previous_manifest={d.url: {"hash": "0", "modified": "", "source": d.path} for d in docs},
        units=[],
        categories={},
    )
    doc_checks = {name for name, (kind, _fn) in CHECKS.items() if kind == "doc"}
    assert POST_ONLY and POST_ONLY.issubset(doc_checks)
    assert "modified_updated" not in POST_ONLY  # reads the previous manifest
    for rule in RULES:
        for name in rule.checks:
            if name not in POST_ONLY:
                continue
            fn = CHECKS[name][1]
            for doc in (d for d in docs if rule.applies_to(d.kind)):
                first = [(f.rule_id, f.detail) for f in fn(doc, one, rule)]
                assert first == [(f.rule_id, f.detail) for f in fn(doc, other, rule)], name


def test_the_memo_fingerprint_follows_what_post_checks_read():
    base = post_fingerprint(config(), RULES)
    assert post_fingerprint(config(today=dt.date(2030, 1, 1)), RULES) == base
    assert post_fingerprint(config(waivers={"D43-5.2": "lý do đủ dài"}), RULES) == base
    assert post_fingerprint(config(moved_urls={"a/": "b/"}), RULES) == base
    assert post_fingerprint(config(holidays=parse_holidays(["2026-11-02"])), RULES) != base
    assert post_fingerprint(config(law_categories=["khac"]), RULES) != base
    assert post_fingerprint(config(agency_name="Sở khác"), RULES) != base
    assert post_fingerprint(config(), rules_for("224/2026", "so")) != base
    assert post_fingerprint(config(), RULES) != fingerprint(config(), [r.id for r in RULES])


def test_fingerprints_do_not_depend_on_the_process():
    """Holidays are a set: its order changes with PYTHONHASHSEED, the fingerprint must not."""
    code = (
        "from plugins.compliance.cache import fingerprint, post_fingerprint\n"
        "from plugins.compliance.rules import rules_for\n"
        "from plugins.compliance.holidays import DEFAULT_HOLIDAYS, parse_holidays\n"
        "from tests.compliance.builders import config\n"
        "rules = rules_for('43/2011', 'so')\n"
        "cfg = config(holidays=parse_holidays(DEFAULT_HOLIDAYS))\n"
        "print(post_fingerprint(cfg, rules), fingerprint(cfg, [r.id for r in rules]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_a_memo_file_is_written_only_when_it_changed(tmp_path):
    docs = [*_posts(), *good_pages()]
    _memo_run(tmp_path, site(docs))
    path = tmp_path / POSTS_NAME
    os.utime(path, (1, 1))
    _memo_run(tmp_path, site(docs))
    assert path.stat().st_mtime == 1  # nothing changed: not written
    docs[0].title = "Tiêu đề mới"
    _memo_run(tmp_path, site(docs))
    assert path.stat().st_mtime != 1


def test_the_page_cache_is_written_only_when_it_changed(tmp_path):
    cache = PageCache(str(tmp_path), "f")
    cache.put("k", [], [["form", "/a/"]])
    cache.save()
    path = tmp_path / CACHE_NAME
    assert path.exists()
    os.utime(path, (1, 1))
    again = PageCache(str(tmp_path), "f")
    entry, hit = again.lookup("k")
    assert hit == ([], [["form", "/a/"]])
    again.keep("k", entry)
    again.save()
    assert path.stat().st_mtime == 1
    (tmp_path / "trang.json").write_text("{}", encoding="utf-8")  # an old cache file
    again.put("k2", [], [])
    again.save()
    assert path.stat().st_mtime != 1 and not (tmp_path / "trang.json").exists()


# -- JSON written faster, the same text ---------------------------------------------------

VALUES = [
    {},
    [],
    {"a": {}, "b": [], "c": [[], {}], "d": [{"e": None}]},
    {"z": 1, "a": 2.5, "m": [True, False, None, -3, 1e-7, 1e22, 12345678901234567890]},
    {"văn bản": "Sở “Giao thông” vận tải\n\t\\/\u2028\x00\x1f😀", "b": ("t", "u")},
    ["a", ["b", ["c", ["d", {"e": ["f"]}]]]],
]
NOT_PLAIN = [
    {1: "int key"},
    {"x": float("nan")},
    {"x": float("inf")},
    {"x": {2: "a", 10: "b"}},
]


@pytest.mark.parametrize("value", VALUES + NOT_PLAIN)
@pytest.mark.parametrize("indent", [0, 2, 4])
@pytest.mark.parametrize("sort_keys", [False, True])
def test_jsontext_writes_what_json_writes(value, indent, sort_keys):
    expected = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    assert jsontext.dumps(value, indent=indent, sort_keys=sort_keys) == expected


def test_jsontext_fails_where_json_fails():
    with pytest.raises(TypeError):
        jsontext.dumps({"x": object()}, indent=2)
    with pytest.raises(TypeError):
        jsontext.dumps({"b": 1, 2: 1}, indent=0, sort_keys=True)


def _save_manifest(folder: str, current: dict, previous: dict | None = None) -> None:
    """As a build does it, at once: prepared, then put in place."""
    pending = manifest.prepare(folder, current, previous)
    if pending is not None:
        manifest.commit(folder, pending)


def test_the_report_and_the_manifest_are_the_text_json_dump_wrote(tmp_path):
    docs = [*_posts(), *good_pages()]
    the_site = site(docs)
    result = _run(the_site, None)
    json_path, _html = report.write(result, the_site.config, str(tmp_path))
    written = Path(json_path).read_text(encoding="utf-8")
    data = json.loads(written)
    assert written == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert len(data["findings"]) > 10

    current = manifest.build(docs)
    _save_manifest(str(tmp_path), current)
    path = tmp_path / manifest.MANIFEST_NAME
    expected = json.dumps(current, ensure_ascii=False, indent=0, sort_keys=True)
    assert path.read_text(encoding="utf-8") == expected
    # unchanged: not written again; changed: written
    os.utime(path, (1, 1))
    _save_manifest(str(tmp_path), manifest.build(docs), manifest.load(str(tmp_path)))
    assert path.stat().st_mtime == 1
    docs[0].content += "<p>Thêm.</p>"
    docs[0].__dict__.pop("_content_digest", None)
    _save_manifest(str(tmp_path), manifest.build(docs), manifest.load(str(tmp_path)))
    assert path.stat().st_mtime != 1
    assert manifest.load(str(tmp_path)) == manifest.build(docs)


def test_the_manifest_is_prepared_before_the_swap_and_put_in_place_after(tmp_path):
    docs = [*_posts(), *good_pages()]
    path = tmp_path / manifest.MANIFEST_NAME
    _save_manifest(str(tmp_path), manifest.build(docs))
    published = path.read_text(encoding="utf-8")
    left = tmp_path / f"{manifest.MANIFEST_NAME}.99999.pending"  # a stopped build's
    left.write_text("{}", encoding="utf-8")
    docs[0].content += "<p>Thêm.</p>"
    docs[0].__dict__.pop("_content_digest", None)
    pending = manifest.prepare(str(tmp_path), manifest.build(docs), manifest.load(str(tmp_path)))
    assert pending is not None and not left.exists()
    assert path.read_text(encoding="utf-8") == published  # until the site is published
    manifest.commit(str(tmp_path), pending)
    assert manifest.load(str(tmp_path)) == manifest.build(docs)
    assert sorted(p.name for p in tmp_path.iterdir()) == [manifest.MANIFEST_NAME]
