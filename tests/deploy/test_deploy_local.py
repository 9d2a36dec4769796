"""Deploy and rollback to a local path, for real: the same commands a server runs."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading

import pytest

from portal_ops import deploy as ops
from tests.deploy.conftest import FIXED_MTIME

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")

T0 = dt.datetime(2024, 9, 10, 1, 0, tzinfo=dt.UTC)


def _deploy(site, target, keep=5, n=0, sha="abc1234", **kw):
    return ops.deploy(site, target, keep, sha, now=T0 + dt.timedelta(minutes=n), **kw)


def _live(base) -> str:
    return (base / "current" / "index.html").read_text(encoding="utf-8")


def test_first_deploy_creates_a_release_and_the_current_link(tmp_path, site_factory):
    base = tmp_path / "srv"
    steps: list[str] = []
    result = _deploy(
        site_factory("v1"), ops.parse_target(str(base)), progress=lambda i, n, t: steps.append(t)
    )
    assert result.release == "20240910T010000Z-abc1234"
    assert result.previous is None
    assert os.readlink(base / "current") == f"releases/{result.release}"  # relative: movable
    assert _live(base) == "<h1>v1</h1>"
    assert any("atomic rename" in s for s in steps)
    assert sorted(os.listdir(base)) == ["current", "releases"]  # no temp link left behind
    assert result.files_transferred == 5  # four pages and the build stamp


def test_files_are_readable_by_the_web_server(tmp_path, site_factory):
    site = site_factory("v1")
    os.chmod(site, 0o700)
    (site / "index.html").chmod(0o600)
    base = tmp_path / "srv"
    result = _deploy(site, ops.parse_target(str(base)))
    release = base / "releases" / result.release
    assert (release.stat().st_mode & 0o777) == 0o755
    assert ((release / "index.html").stat().st_mode & 0o777) == 0o644


def test_second_deploy_switches_and_hard_links_unchanged_files(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    first = _deploy(site_factory("v1"), target)
    second = _deploy(site_factory("v2"), target, n=1)
    assert second.previous == first.release
    assert _live(base) == "<h1>v2</h1>"
    old, new = base / "releases" / first.release, base / "releases" / second.release
    assert (old / "index.html").read_text() == "<h1>v1</h1>"  # the old release is intact
    same = "2024/09/bai/index.html"
    assert (old / same).stat().st_ino == (new / same).stat().st_ino
    assert (old / "index.html").stat().st_ino != (new / "index.html").stat().st_ino
    assert second.files_transferred == 1


def test_deleted_pages_disappear_from_the_new_release(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    _deploy(site_factory("v1", {"cu/index.html": "old"}), target)
    _deploy(site_factory("v2"), target, n=1)
    assert not (base / "current/cu/index.html").exists()


def test_keeps_the_last_n_releases(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    results = [_deploy(site_factory(f"v{i}"), target, keep=3, n=i) for i in range(5)]
    kept = sorted(os.listdir(base / "releases"))
    assert kept == [r.release for r in results[-3:]]
    assert results[3].pruned == [results[0].release]
    assert results[4].pruned == [results[1].release]


def test_rollback_goes_to_the_previous_release_and_back_with_to(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    results = [_deploy(site_factory(f"v{i}"), target, n=i) for i in range(3)]
    was, now = ops.rollback(target)
    assert (was, now) == (results[2].release, results[1].release)
    assert _live(base) == "<h1>v1</h1>"
    ops.rollback(target)
    assert _live(base) == "<h1>v0</h1>"
    with pytest.raises(ops.DeployError, match="nothing to roll back to"):
        ops.rollback(target)
    ops.rollback(target, to=results[2].release)
    assert _live(base) == "<h1>v2</h1>"
    with pytest.raises(ops.DeployError, match="no release 'nope'"):
        ops.rollback(target, to="nope")


def test_prune_after_a_rollback_keeps_the_live_release(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    for i in range(3):
        _deploy(site_factory(f"v{i}"), target, keep=2, n=i)
    ops.rollback(target)
    state = ops.read_state(target, ops.run_command)
    assert _live(base) == "<h1>v1</h1>" and len(state.releases) == 2


def test_a_site_without_index_is_refused_before_touching_the_target(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    base = tmp_path / "srv"
    with pytest.raises(ops.DeployError, match=r"index\.html"):
        _deploy(empty, ops.parse_target(str(base)))
    assert not base.exists()


def test_a_failed_step_leaves_the_live_site_alone(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    first = _deploy(site_factory("v1"), target)

    def failing(argv):
        if argv[0] == "test":
            return ops.subprocess.CompletedProcess(argv, 1, "", "simulated failure")
        return ops.run_command(argv)

    with pytest.raises(ops.DeployError, match="simulated failure"):
        _deploy(site_factory("v2"), target, n=1, runner=failing)
    assert os.readlink(base / "current") == f"releases/{first.release}"
    assert _live(base) == "<h1>v1</h1>"
    leftovers = [n for n in os.listdir(base / "releases") if n.endswith(".partial")]
    assert leftovers  # the unfinished upload is there …
    third = _deploy(site_factory("v3"), target, n=2)
    assert sorted(os.listdir(base / "releases")) == [first.release, third.release]  # … until next


def test_switch_is_atomic_for_readers(tmp_path, site_factory):
    """A reader hammering current/index.html during deploys never misses the file."""
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    _deploy(site_factory("v0"), target, keep=3)
    sites = [site_factory(f"v{i}") for i in range(1, 7)]
    stop, misses, reads = threading.Event(), [], [0]

    def reader():
        while not stop.is_set():
            try:
                (base / "current" / "index.html").read_bytes()
                reads[0] += 1
            except OSError as exc:
                misses.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i, site in enumerate(sites, start=1):
            _deploy(site, target, keep=3, n=i)
    finally:
        stop.set()
        thread.join()
    assert misses == [] and reads[0] > 10
    assert _live(base) == "<h1>v6</h1>"


def test_local_copy_without_rsync(tmp_path, site_factory, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        ops.shutil, "which", lambda name: None if name == "rsync" else real_which(name)
    )
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    _deploy(site_factory("v1"), target)
    result = _deploy(site_factory("v2"), target, n=1)
    assert _live(base) == "<h1>v2</h1>"
    assert result.files_transferred is None
    with pytest.raises(ops.DeployError, match="rsync is needed"):
        ops.deploy(site_factory("v3"), ops.parse_target("u@h:/srv/x"), 3)


def test_two_deploys_in_the_same_second_do_not_collide(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    first = _deploy(site_factory("v1"), target)
    second = _deploy(site_factory("v2"), target)
    assert second.release == first.release + "-2"
    assert _live(base) == "<h1>v2</h1>"


@pytest.mark.parametrize("rsync", [True, False], ids=["rsync", "no-rsync"])
def test_unchanged_bytes_with_a_new_time_are_linked_not_copied(
    tmp_path, site_factory, monkeypatch, rsync
):
    """A build that rewrites robots.txt with the same bytes costs no disk in the release."""
    if not rsync:
        real_which = shutil.which
        monkeypatch.setattr(
            ops.shutil, "which", lambda name: None if name == "rsync" else real_which(name)
        )
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    first = _deploy(site_factory("v1", {"robots.txt": "User-agent: *\n"}), target)
    site = site_factory("v2", {"robots.txt": "User-agent: *\n"})
    for path in site.rglob("*"):  # every file written again by the build, one hour later
        os.utime(path, (FIXED_MTIME + 3600, FIXED_MTIME + 3600))
    second = _deploy(site, target, n=1)
    old, new = base / "releases" / first.release, base / "releases" / second.release
    files = [p.relative_to(old) for p in old.rglob("*") if p.is_file()]
    linked = {str(f) for f in files if (old / f).stat().st_ino == (new / f).stat().st_ino}
    assert linked == {str(f) for f in files} - {"index.html"}  # only the changed page is new
    assert (new / "robots.txt").stat().st_mtime == (old / "robots.txt").stat().st_mtime
    assert (new / "robots.txt").stat().st_nlink == 2
    assert ((new / "index.html").stat().st_mode & 0o777) == 0o644
    if rsync:
        assert second.files_transferred == 1


def test_a_rollback_with_pause_stops_deploys_until_resume(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    first = _deploy(site_factory("v1"), target)
    second = _deploy(site_factory("v2"), target, n=1)
    assert ops.rollback(target, pause="commit 1a2b3c làm hỏng trang chủ") == (
        second.release,
        first.release,
    )
    note = (base / ops.PAUSE_FILE).read_text(encoding="utf-8")
    assert "làm hỏng trang chủ" in note and f"{second.release} → {first.release}" in note
    assert ops.read_state(target, ops.run_command).paused == note.strip()
    with pytest.raises(ops.DeploysPaused, match="invoke resume") as paused:
        _deploy(site_factory("v3"), target, n=2)  # the hourly run
    assert "làm hỏng trang chủ" in paused.value.note
    assert _live(base) == "<h1>v1</h1>"
    assert sorted(os.listdir(base / "releases")) == [first.release, second.release]
    assert ops.resume(target) == note.strip()
    assert ops.resume(target) is None  # resuming twice is harmless
    third = _deploy(site_factory("v3"), target, n=3)
    assert _live(base) == "<h1>v3</h1>" and third.previous == first.release


def test_pause_without_a_rollback(tmp_path, site_factory):
    base = tmp_path / "srv"
    target = ops.parse_target(str(base))
    note = ops.pause(target, "bảo trì máy chủ")  # before any deploy: the folder is made
    assert "bảo trì máy chủ" in note
    with pytest.raises(ops.DeploysPaused):
        _deploy(site_factory("v1"), target)
    assert not (base / "releases").exists()
