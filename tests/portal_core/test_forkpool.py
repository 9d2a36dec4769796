"""Work shared with forked processes: every share comes back, or says why not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from plugins.portal_core.forkpool import ForkPool, processes


def test_each_child_computes_its_share():
    indices = list(range(0, 500, 3))
    done, failures = ForkPool(lambda i: (i * i, os.getpid()), indices, 3).results()
    assert failures == []
    assert sorted(done) == indices
    assert all(value == i * i for i, (value, _pid) in done.items())
    assert len({pid for _value, pid in done.values()} - {os.getpid()}) == 3


def test_a_failing_share_is_reported_and_missing():
    def work(i: int) -> int:
        if i % 2:
            raise ValueError("odd")
        return i

    done, failures = ForkPool(work, [0, 1, 2, 3], 2).results()
    # share 0 is [0, 2] (fine), share 1 is [1, 3] (fails on 1)
    assert done == {0: 0, 2: 2}
    assert failures == ["ValueError: odd"]


def test_a_workers_setting_of_zero_means_one_process_per_core():
    assert processes(0) == processes(None) == (os.cpu_count() or 1)
    assert processes(3) == 3


_DETACHED_CALLER = """
import pathlib, sys, time
sys.path.insert(0, {root!r})
from plugins.portal_core.forkpool import detached
folder = pathlib.Path({folder!r})

def work():
    while not (folder / "go").exists():  # the test says when
        time.sleep(0.01)
    print("lost")  # standard output is /dev/null here
    (folder / "done").write_text(str(__import__("os").getpid()))

saved = __import__("os").dup(1)  # another descriptor of the caller's output, as pytest keeps
print("caller", detached(work))
"""


def test_detached_work_outlives_its_caller_without_holding_its_output(tmp_path):
    root = str(Path(__file__).resolve().parents[2])
    caller = subprocess.run(
        [sys.executable, "-c", _DETACHED_CALLER.format(root=root, folder=str(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,  # a work that held the caller's output would hold this too
    )
    assert caller.returncode == 0, caller.stderr
    assert caller.stdout == "caller True\n"  # its own output, once; nothing of the work's
    assert not (tmp_path / "done").exists()  # the caller ended first
    (tmp_path / "go").touch()
    deadline = time.monotonic() + 30
    while not (tmp_path / "done").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (tmp_path / "done").exists()  # its work done, after its caller had ended
