"""Digests of the content files' bytes, reused while a file's status says it is unchanged.

Every build, even one with nothing to do, must know whether any of 10,000-30,000 posts
changed; reading and hashing all of them is most of a no-change build. As git does, a
file whose inode, size, modification and status-change times are those recorded is
taken as unchanged; any write sets the status-change time, which no tool can set back.
A file written in the last seconds may be written again within the same clock tick
without its times changing, so its digest is not recorded and it is read next time.

Pure: no Pelican imports.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from plugins.portal_core.files import write_atomic

FORMAT = 1
#: a file whose status changed more recently than this is read again next time
RACY_SECONDS = 2.0


class FileDigests:
    """``digest(path)`` of absolute paths; ``save()`` keeps what may be trusted next time."""

    def __init__(
        self, record: Path, digest_bytes: Callable[[bytes], bytes], trust: bool = True
    ) -> None:
        """``trust=False`` (a --full build) reads every file and records afresh."""
        self.record = record
        self.digest_bytes = digest_bytes
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        self.read = 0  # files whose bytes were read this time
        if not trust:
            return
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("files"), dict):
                self.old = data["files"]
        except (OSError, ValueError, AttributeError):
            pass

    def digest(self, path: str) -> bytes:
        status = os.stat(path)
        signature = [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]
        old = self.old.get(path)
        digest = None
        if isinstance(old, list) and len(old) == 5 and old[:4] == signature:
            try:
                digest = bytes.fromhex(old[4])
            except (TypeError, ValueError):  # a damaged record: read the file
                digest = None
        if digest is None:
            with open(path, "rb") as handle:
                digest = self.digest_bytes(handle.read())
            self.read += 1
        if time.time_ns() - status.st_ctime_ns > RACY_SECONDS * 1e9:
            self.new[path] = [*signature, digest.hex()]
        return digest

    def save(self) -> None:
        if self.new == self.old:
            return
        write_atomic(self.record, json.dumps({"format": FORMAT, "files": self.new}))
