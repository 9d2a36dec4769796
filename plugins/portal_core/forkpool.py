"""Work shared with forked processes that see the whole site in memory.

A build's big loops (the compliance page checks, the incremental build's page keys) are
pure functions of an index into data the build already holds. Forked, the children share
that data without copying it; each computes every ``size``-th index of its list and
sends back ``{index: result}`` through a pipe, pickled. A child that fails sends
nothing for its share: the caller computes whatever is missing itself, so the result
never depends on the pool.

``detached`` runs work that may end after the build's own process (saving what the
next build reads).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import sys
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


def detached(work: Callable[[], None], keep: Sequence[int] = ()) -> bool:
    """Run ``work`` in a process that outlives this one (a build that has published
    leaves at once; what it writes for the next build goes on). The process is detached:
    its own session, standard streams on /dev/null and every other inherited file
    descriptor closed but ``keep`` (a caller reading this process's output is not held
    until it ends); it leaves without running exit handlers. False where this system
    cannot fork: the caller then does the work itself."""
    if not hasattr(os, "fork"):
        return False
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)  # the first child leaves at once: no zombie is left behind
        return True
    status = 1
    try:
        os.setsid()
        if os.fork():  # the second child is adopted by init
            status = 0
        else:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            low = 3
            for fd in sorted({fd for fd in keep if fd >= low}):
                os.closerange(low, fd)
                low = fd + 1
            os.closerange(low, os.sysconf("SC_OPEN_MAX"))
            logging.getLogger().handlers.clear()  # a handler's lock may be held elsewhere
            gc.freeze()
            work()
            status = 0
    finally:
        os._exit(status)
