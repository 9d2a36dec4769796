from plugins.build_guard.planning import find_collisions


def test_collisions_compare_normalised_paths():
    found = find_collisions(
        [
            ("a/index.html", "bài x.md"),
            ("/a/", "trang y.md"),
            ("b/index.html", "bài z.md"),
        ]
    )
    assert found == {"a/index.html": ["bài x.md", "trang y.md"]}


def test_no_collision_no_report():
    assert find_collisions([("a/index.html", "x"), ("b/index.html", "y")]) == {}
