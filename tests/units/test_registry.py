import textwrap

from plugins.units.registry import load_units
from tests.conftest import ROOT


def test_the_sample_registry_is_valid_and_a_tree():
    registry, problems = load_units(str(ROOT / "content/units.yml"))
    assert problems == []
    assert len(registry) >= 8
    tree = registry.tree()
    assert tree[0][0].slug == "so-gtvt" and tree[0][1] == 0
    depth = dict((entry.slug, d) for entry, d in tree)
    assert depth["tram-kiem-tra-tai-trong"] == 2
    assert registry.contact(registry.by_slug["van-phong"]).email.endswith("@lamson.gov.vn")


def test_unknown_parent_and_cycles_are_reported(tmp_path):
    path = tmp_path / "units.yml"
    path.write_text(
        textwrap.dedent(
            """
            units:
              - slug: a
                name: A
                parent: b
              - slug: b
                name: B
                parent: a
              - slug: c
                name: C
                parent: khong-co
            """
        ),
        encoding="utf-8",
    )
    _, problems = load_units(str(path))
    text = " ".join(p.message for p in problems)
    assert "'khong-co' không có trong danh sách" in text
    assert "vòng lặp" in text
