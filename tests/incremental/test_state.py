"""The record of the last build: round trip, and records of vanished outputs dropped."""

from __future__ import annotations

from pathlib import Path

from plugins.incremental import state


def test_round_trip_and_prune(tmp_path: Path):
    live, gone = tmp_path / "output", tmp_path / "tmp-output"
    live.mkdir()
    cache = tmp_path / "cache"
    record = state.BuildState(
        "g",
        {"theme": "t"},
        {"index.html": state.Written("k", 10, 5, "d")},
        inputs="i",
        output=str(live),
    )
    state.save(state.state_file(cache, live), record)
    state.save(state.state_file(cache, gone), state.BuildState(output=str(gone)))
    assert state.load(state.state_file(cache, live)) == record
    assert state.prune(cache) == [state.state_file(cache, gone)]
    assert state.state_file(cache, live).exists()


def test_unreadable_record_means_no_record(tmp_path: Path):
    path = tmp_path / "pages-x.json"
    path.write_text("{not json", encoding="utf-8")
    assert state.load(path) == state.BuildState()
