"""The site model's lock: a build never reads, replaces or forgets a model being saved."""

from __future__ import annotations

import time

from plugins.incremental import model as site_model


def _wait_for(flag, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds  # (a failing test leaves no process waiting)
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return flag.exists()


def test_a_model_saved_in_the_background_is_waited_for(tmp_path):
    path = tmp_path / "model-x.sqlite3"
    go = tmp_path / "go"

    def save() -> None:  # in a detached process, until the test says so
        _wait_for(go)
        path.write_bytes(b"the new model")

    site_model.save_detached(path, save)  # returns while the process saves
    assert not path.exists()
    with site_model.locked(path, exclusive=False, wait=0.2) as held:
        assert held is False
    assert site_model.load(path, {}, wait=0.2) is None  # the reader goes without it
    go.touch()
    site_model.wait_saved(path)
    assert path.read_bytes() == b"the new model"
    report = site_model.save_report(path)  # what the save took, for operators and bench/
    assert report["seconds"] > 0 and report["peak_rss_kib"] > 1000, report


def test_forgetting_a_model_waits_for_its_save(tmp_path):
    path = tmp_path / "model-x.sqlite3"
    go = tmp_path / "go"

    finished = tmp_path / "finished"

    def save() -> None:
        _wait_for(go)
        path.write_bytes(b"a model")
        finished.touch()

    site_model.save_detached(path, save)
    go.touch()
    site_model.forget(path)  # after the save, never before it (which would leave the model)
    assert _wait_for(finished)
    assert not path.exists()
