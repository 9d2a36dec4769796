"""Posts read on every core: forked processes read from the end of the list while the
build reads from the start.

Pelican reads posts one after another in the build's own process, so a cold build reads
10,000 Markdown files on one core while the other waits. Here ``helpers`` forked
processes take files from the end of the same list and send back what ``work`` made of
each (bytes, the reader cache's own encoding); the build takes the result of a file a
helper has claimed, or reads the file itself if no helper has. A claim is made under a
lock in shared memory, so no file is read twice. A helper that fails leaves its claimed
files to the build, which then reads them itself: the result never depends on the
helpers, only the time does.

Pure: no Pelican imports.
"""

from __future__ import annotations

import gc
import logging
import mmap
import multiprocessing
import os
import struct
import threading
from collections.abc import Callable, Sequence
from typing import NoReturn

FREE, BUILD, HELPER = 0, 1, 2  # a claim: HELPER + the helper's number
_HEADER = struct.Struct("<qq")  # index, length of the payload (-1: no result)


class Prefetch:
    """``take(item)``: a helper's result for ``item``, or None when the caller reads it."""

    def __init__(
        self, items: Sequence[str], work: Callable[[str], bytes | None], helpers: int
    ) -> None:
        self.position = {item: index for index, item in enumerate(items)}
        self.claims = mmap.mmap(-1, max(len(items), 1))  # shared with the forked helpers
        self.lock = multiprocessing.Lock()
        self.results: dict[int, bytes | None] = {}
        self.ready = threading.Condition()
        self.failures: list[str] = []
        self.pids: list[int] = []
        pipes = []
        helpers = min(helpers, 255 - HELPER)
        for number in range(helpers):  # every fork before any thread starts
            read_end, write_end = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no more processes: the ones started share the work
                os.close(read_end)
                os.close(write_end)
                if not pipes:
                    self.claims.close()
                    raise
                break
            if pid == 0:  # the helper: read, send, leave without running any exit handler
                os.close(read_end)
                for other in pipes:
                    os.close(other)
                _helper(items, work, self.claims, self.lock, HELPER + number, write_end)
            os.close(write_end)
            self.pids.append(pid)
            pipes.append(read_end)
        self.running = [True] * len(pipes)  # per helper: still sending
        self.threads = [
            threading.Thread(target=self._receive, args=(read_end, number), daemon=True)
            for number, read_end in enumerate(pipes)
        ]
        for thread in self.threads:
            thread.start()

    def take(self, item: str) -> bytes | None:
        """The helper's bytes for ``item`` (waiting while a helper reads it); None: the
        caller reads it itself (no helper took it, or the helper could not)."""
        index = self.position.get(item)
        if index is None:
            return None
        with self.lock:
            owner = self.claims[index]
            if owner == FREE:
                self.claims[index] = BUILD
        if owner < HELPER:
            return None
        with self.ready:
            while index not in self.results and self.running[owner - HELPER]:
                self.ready.wait()
            return self.results.pop(index, None)

    def close(self) -> list[str]:
        """Wait for the helpers; why any of them stopped early (one line each). What is
        left in ``results`` was read by a helper and never taken."""
        for pid in self.pids:
            _, status = os.waitpid(pid, 0)
            if status:
                self.failures.append(f"a reading process ended with status {status}")
        for thread in self.threads:
            thread.join()
        self.pids = []
        self.claims.close()
        return self.failures

    def _receive(self, read_end: int, number: int) -> None:
        with os.fdopen(read_end, "rb") as pipe:
            try:
                while header := pipe.read(_HEADER.size):
                    index, length = _HEADER.unpack(header)
                    payload = pipe.read(length) if length >= 0 else None
                    if payload is not None and len(payload) < length:
                        break  # the helper died while sending: the build reads this one
                    with self.ready:
                        self.results[index] = payload
                        self.ready.notify_all()
            except Exception as exc:  # whatever it is, the build reads the rest
                self.failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                with self.ready:
                    self.running[number] = False
                    self.ready.notify_all()


def _helper(items, work, claims, lock, claim: int, write_end: int) -> NoReturn:
    status = 0
    gc.freeze()  # the inherited heap is never scanned (no copy-on-write)
    root = logging.getLogger()
    for handler in list(root.handlers):  # what a read logs travels in its result
        root.removeHandler(handler)
    try:
        with os.fdopen(write_end, "wb") as pipe:
            for index in range(len(items) - 1, -1, -1):
                with lock:
                    if claims[index] != FREE:
                        continue
                    claims[index] = claim
                try:
                    payload = work(items[index])
                except Exception:  # the build reads it and reports the error
                    payload = None
                if payload is None:
                    pipe.write(_HEADER.pack(index, -1))
                else:
                    pipe.write(_HEADER.pack(index, len(payload)) + payload)
                pipe.flush()
    except BaseException:  # the build reads whatever is missing
        status = 1
    finally:
        os._exit(status)
