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


def test_clean_waits_for_a_model_being_saved(tmp_path, monkeypatch):
    import time

    from plugins.incremental import model as site_model

    root = tmp_path / "repo"
    model = root / "cache" / "build" / "model-x.sqlite3"
    finished = tmp_path / "finished"

    def save() -> None:  # the last build's, detached: it would write the model after clean
        time.sleep(0.5)
        model.parent.mkdir(parents=True, exist_ok=True)
        model.write_bytes(b"model")
        finished.touch()

    site_model.save_detached(model, save)
    monkeypatch.setattr(tasks, "ROOT", root)
    monkeypatch.setattr(tasks, "OUTPUT", root / "output")
    tasks.clean.body(None)
    deadline = time.monotonic() + 30
    while not finished.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert finished.exists()
    assert not model.exists()  # saved, then removed with the rest
