"""Per-unit archives, the units index and unit registry errors, in real builds."""


def test_every_unit_has_a_page_with_contact_and_feeds(sample_build):
    from plugins.units.registry import load_units
    from tests.conftest import ROOT

    registry, _ = load_units(str(ROOT / "content/units.yml"))
    for entry in registry:
        html = sample_build.page(f"don-vi/{entry.slug}/")
        assert f"<h1>{entry.name}</h1>" in html
        assert f"rss/don-vi/{entry.slug}.xml" in html
        contact = registry.contact(entry)
        assert contact.email in html


def test_units_index_groups_by_parent_with_counts_and_latest(sample_build):
    html = sample_build.page("don-vi/")
    assert "Sở Giao thông vận tải tỉnh Lam Sơn" in html
    assert 'class="depth-2"' in html  # the Trạm under Thanh tra Sở
    assert "Bài mới nhất" in html
    assert " bài)" in html


def test_unit_archive_is_paginated(tiny_site):
    tiny_site.settings("DEFAULT_PAGINATION = 5\n")
    for day in range(1, 13):
        tiny_site.post(f"p{day}", title=f"Tin số {day}", Date=f"{day}/10/2024", Unit="thanh-tra")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    # pages count from the oldest post: page 1 holds posts 1-5, the unit's own address
    # the newest seven (12 to 6), so a new post moves no post to another page
    first = result.page("don-vi/thanh-tra/")
    assert "Tin số 12" in first and "Tin số 6<" in first and "Tin số 5<" not in first
    assert "don-vi/thanh-tra/trang/1/" in first
    oldest = result.page("don-vi/thanh-tra/trang/1/")
    assert "Tin số 1<" in oldest and "Tin số 5<" in oldest and "Tin số 6<" not in oldest
    assert not (result.output / "don-vi/thanh-tra/trang/2").exists()


def test_a_broken_registry_is_reported_with_its_line(tiny_site):
    tiny_site.post("a")
    registry = tiny_site.content / "units.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("parent: thanh-tra", "parent: thanh-traa"),
        encoding="utf-8",
    )
    result = tiny_site.build()
    assert result.returncode == 1
    assert "content/units.yml:" in result.log
    assert "'thanh-traa' không có trong danh sách" in result.log
