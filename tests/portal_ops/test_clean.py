"""`invoke clean` removes the site, the caches and what builds leave beside the site."""

from __future__ import annotations

import tasks


def test_clean_removes_the_output_the_caches_and_the_folders_beside_the_output(
    tmp_path, monkeypatch
):
    root, output = tmp_path / "repo", tmp_path / "repo" / "output"
    made = [
        output / "index.html",
        root / "cache" / "build" / "posts.sqlite3",
        root / ".output.seed-12-34" / "index.html",  # the next quick build's copy
        root / ".output.building-99-search-99" / "site-2024" / "a.html",  # a killed build's
    ]
    for path in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    (root / ".output.seeding-12-34.pid").write_text("99", encoding="utf-8")
    (root / "content").mkdir()
    (root / ".outputs-of-someone-else").mkdir()
    monkeypatch.setattr(tasks, "ROOT", root)
    monkeypatch.setattr(tasks, "OUTPUT", output)
    tasks.clean.body(None)
    assert sorted(p.name for p in root.iterdir()) == [".outputs-of-someone-else", "content"]
