"""The set of countable paths, read from the JSON manifest the build writes.

Only these paths can be counted, so nobody can fill the store with junk keys. The file is
re-read when it changes (checked at most once per ``check_every`` seconds); a file that is
missing or unreadable keeps the last good set and is reported in the log.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from .paths import PathError, normalize_path

log = logging.getLogger("counter.manifest")


class ManifestError(ValueError):
    pass


def parse_manifest(text: str) -> frozenset[str]:
    """Paths of a manifest: ``{"paths": [...]}`` (snapshot.write_manifest) or a plain list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"not valid JSON: {exc}") from exc
    items = data.get("paths") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ManifestError('expected a JSON list of paths or an object with a "paths" list')
    paths = set()
    for item in items:
        try:
            paths.add(normalize_path(item))
        except PathError as exc:
            raise ManifestError(f"bad path {item!r}: {exc}") from exc
    return frozenset(paths)


class Manifest:
    """Countable paths with hot reload on change."""

    def __init__(self, path: str | os.PathLike, check_every: float = 1.0) -> None:
        self.path = Path(path)
        self.check_every = check_every
        self.paths: frozenset[str] = frozenset()
        self.loaded = False
        self._signature: tuple | None = None
        self._next_check = 0.0
        self.refresh(force=True)

    def __contains__(self, path: str) -> bool:
        self.refresh()
        return path in self.paths

    def __len__(self) -> int:
        return len(self.paths)

    def refresh(self, force: bool = False) -> bool:
        """Re-read the file if it changed; return True if the set was replaced."""
        now = time.monotonic()
        if not force and now < self._next_check:
            return False
        self._next_check = now + self.check_every
        try:
            st = self.path.stat()
        except OSError:
            if self._signature != ("missing",):
                log.warning("manifest %s is missing: no path can be counted yet", self.path)
                self._signature = ("missing",)
            return False
        signature = (st.st_mtime_ns, st.st_size, st.st_ino)
        if signature == self._signature:
            return False
        self._signature = signature
        try:
            self.paths = parse_manifest(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ManifestError) as exc:
            log.warning("manifest %s not reloaded, keeping the previous set: %s", self.path, exc)
            return False
        self.loaded = True
        log.info("manifest %s: %d countable paths", self.path, len(self.paths))
        return True
