import textwrap

from plugins.portal_core import problems
from plugins.portal_core.registry import Registry, RegistryEntry, Taxonomy, load_entries
from plugins.portal_core.text import closest, fold


def _write(tmp_path, text):
    path = tmp_path / "reg.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def test_fold_removes_diacritics_and_dj():
    assert fold("  Đường   Tỉnh ") == "duong tinh"


def test_closest_ignores_diacritics():
    assert closest("Van phong So", ["Văn phòng Sở", "Thanh tra Sở"]) == ["Văn phòng Sở"]
    assert closest("xyz", ["Văn phòng Sở"]) == []


def test_resolve_by_any_name_but_not_without_diacritics():
    reg = Registry([RegistryEntry("van-phong", "Văn phòng Sở", "Văn phòng", ("VP Sở",))], "đơn vị")
    for name in ("van-phong", "Văn phòng Sở", "văn  phòng sở", "VP Sở", "Văn phòng"):
        assert reg.resolve(name).slug == "van-phong"
    assert reg.resolve("Van phong So") is None
    assert reg.suggest("Van phong So") == "Văn phòng Sở"


def test_problems_name_the_line(tmp_path):
    path = _write(
        tmp_path,
        """
        items:
          - slug: a
            name: Một
          - slug: Bad Slug
            name: Hai
          - slug: c
            name: Một
          - slug: d
        """,
    )
    entries, problems = load_entries(path, "items", "mục")
    assert [e.slug for e in entries] == ["a", "c"]
    messages = {(p.line, p.message.split(":")[0]) for p in problems}
    assert (5, "mục 'Bad Slug'") in messages
    assert any(p.line == 7 and "đã được dùng" in p.message for p in problems)
    assert any(p.line == 9 and "thiếu 'name'" in p.message for p in problems)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = _write(tmp_path, "items:\n  - slug: a\n    name: [unclosed\n")
    entries, problems = load_entries(path, "items", "mục")
    assert entries == []
    assert problems[0].line is not None and "YAML" in problems[0].message


def test_missing_file(tmp_path):
    _, problems = load_entries(str(tmp_path / "none.yml"), "items", "mục")
    assert "không tìm thấy tệp" in problems[0].message


def test_a_taxonomy_reports_its_file_and_words_a_miss_its_own_way(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "reg.yml").write_text(
        "items:\n  - slug: van-phong\n    name: Văn phòng Sở\n  - slug: Bad\n    name: X\n",
        encoding="utf-8",
    )
    taxonomy = Taxonomy(
        key="unit", label="mục", setting="REG_FILE", top_key="items",
        did_you_mean='"{suggestion}"? xem {file}', make=lambda entry, settings: entry.slug,
    )  # fmt: skip
    log = problems.reset()
    found = taxonomy.load({"PATH": str(tmp_path / "content"), "REG_FILE": "reg.yml"})
    assert [(p.path, p.line, p.field) for p in log.problems] == [("content/reg.yml", 4, "items")]
    assert len(found) == 1
    reported, metadata = [], {}
    for value in (" văn  phòng sở ", "Van phong So"):
        raw = {"unit": value}
        taxonomy.resolve(None, raw, metadata, "article", {}, lambda *a: reported.append(a))
    assert metadata == {"unit": "van-phong"}
    assert reported == [
        ("unit", 'không có mục "Van phong So"', '"Văn phòng Sở"? xem content/reg.yml')
    ]
