"""Page keys computed on every core give the keys computed in one process."""

from __future__ import annotations

import os

from plugins.incremental.writer import _Job, _keys_in_workers


class _Session:
    """Just what _keys_in_workers asks of a Session."""

    def __init__(self, fail_in_children: bool = False) -> None:
        self.parent = os.getpid()
        self.fail_in_children = fail_in_children

    def key_for(self, name, template, localcontext):
        if self.fail_in_children and os.getpid() != self.parent:
            raise RuntimeError("a child that fails")
        if name.startswith("new"):
            return None  # a page the last build did not have
        return f"{name}:{localcontext['n'] * 7}"


def _jobs(count: int) -> list[_Job]:
    return [
        _Job(None, {"n": i}, f"new{i}" if i % 97 == 0 else f"page{i}", f"/tmp/x/{i}")
        for i in range(count)
    ]


def test_keys_from_forked_processes_are_the_keys_of_one_process():
    jobs = _jobs(1000)
    alone = _keys_in_workers(_Session(), jobs, 1)
    assert alone[1] == "page1:7" and alone[0] is None
    assert _keys_in_workers(_Session(), jobs, 2) == alone
    assert _keys_in_workers(_Session(), jobs, 3) == alone


def test_a_failing_process_share_is_computed_here():
    jobs = _jobs(1000)
    expected = _keys_in_workers(_Session(), jobs, 1)
    assert _keys_in_workers(_Session(fail_in_children=True), jobs, 2) == expected
