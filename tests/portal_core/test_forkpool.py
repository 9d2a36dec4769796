"""Work shared with forked processes: every share comes back, or says why not."""

from __future__ import annotations

import os

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
