"""What the reader made of each source file, keyed by the file's bytes and everything else
the reader depends on (settings, registries, plugin code, library versions).

A hit gives back the HTML, the metadata, and the problems and log lines the reader
reported for that file, so a broken post fails every build, cached or not. Entries
live in one SQLite file; objects shared by the whole build (the settings) are stored
as references and joined to this build's own on the way back.

Pure: no Pelican imports.
"""

from __future__ import annotations

import io
import pickle
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: entries unused for this long are dropped
MAX_AGE_SECONDS = 30 * 24 * 3600


@dataclass
class ReadResult:
    content: str
    metadata: dict[str, Any]
    problems: list[Any] = field(default_factory=list)  # portal_core Problem objects
    log_lines: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, text


class _Pickler(pickle.Pickler):
    def __init__(self, file, shared: dict[int, str]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def persistent_id(self, obj: Any) -> str | None:
        return self.shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict[str, Any]) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: str) -> Any:
        return self.shared[pid]


class ReadCache:
    """``get(key)`` / ``put(key, result)``; ``close()`` commits and drops old entries."""

    def __init__(self, path: Path, shared: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.shared_by_name = shared
        self.shared_by_id = {id(obj): name for name, obj in shared.items()}
        self.db = sqlite3.connect(str(path), timeout=60)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS reads (key TEXT PRIMARY KEY, used REAL, value BLOB)"
        )
        self.now = time.time()
        self.hits: list[str] = []
        self.stats = {"hits": 0, "misses": 0}

    def get(self, key: str) -> ReadResult | None:
        row = self.db.execute("SELECT value FROM reads WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.stats["misses"] += 1
            return None
        try:
            result = _Unpickler(io.BytesIO(row[0]), self.shared_by_name).load()
        except Exception:  # written by other code: read the file again
            self.stats["misses"] += 1
            return None
        self.stats["hits"] += 1
        self.hits.append(key)
        return result

    def put(self, key: str, result: ReadResult) -> None:
        buffer = io.BytesIO()
        _Pickler(buffer, self.shared_by_id).dump(result)
        self.db.execute(
            "INSERT OR REPLACE INTO reads (key, used, value) VALUES (?, ?, ?)",
            (key, self.now, buffer.getvalue()),
        )

    def close(self) -> None:
        self.db.executemany(
            "UPDATE reads SET used = ? WHERE key = ?", [(self.now, k) for k in self.hits]
        )
        self.db.execute("DELETE FROM reads WHERE used < ?", (self.now - MAX_AGE_SECONDS,))
        self.db.commit()
        self.db.close()
