"""Work shared with forked processes that see the whole site in memory.

A build's big loops (the compliance page checks, the incremental build's page keys) are
pure functions of an index into data the build already holds. Forked, the children share
that data without copying it; each computes every ``size``-th index of its list and
sends back ``{index: result}`` through a pipe, pickled. A child that fails sends
nothing for its share: the caller computes whatever is missing itself, so the result
never depends on the pool.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any


def processes(wanted: int | None) -> int:
    """How many processes a ``*_WORKERS`` setting asks for: 0 (or None) means one per core."""
    return wanted if wanted and wanted > 0 else (os.cpu_count() or 1)


class ForkPool:
    """``size`` forked processes, started at once; meanwhile the caller does its own share."""

    def __init__(self, work: Callable[[int], Any], indices: Sequence[int], size: int) -> None:
        self.children: list[tuple[int, int]] = []
        for share in range(size):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: work, report, leave without any exit handler
                os.close(read_end)
                gc.freeze()  # the inherited heap is never scanned (no copy-on-write)
                status = 0
                try:
                    payload: Any = {i: work(i) for i in indices[share::size]}
                except BaseException as exc:  # the caller does this share itself
                    payload = f"{type(exc).__name__}: {exc}"
                    status = 1
                try:
                    with os.fdopen(write_end, "wb") as pipe:
                        pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                finally:
                    os._exit(status)
            os.close(write_end)
            self.children.append((pid, read_end))

    def results(self) -> tuple[dict[int, Any], list[str]]:
        """What the children computed, and why a share is missing (one line per child)."""
        done: dict[int, Any] = {}
        failures: list[str] = []
        for pid, read_end in self.children:
            with os.fdopen(read_end, "rb") as pipe:
                try:
                    payload = pickle.load(pipe)
                except Exception as exc:  # a process that died before reporting
                    payload = f"no report ({type(exc).__name__})"
            os.waitpid(pid, 0)
            if isinstance(payload, dict):
                done.update(payload)
            else:
                failures.append(str(payload))
        return done, failures
