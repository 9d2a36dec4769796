"""Results of pure, costly steps kept on disk between builds, keyed by a digest of their inputs.

A build does the same work for every post although few posts changed: reading Markdown,
sanitising HTML, folding text for search. Each of those steps keys its result by a
digest of everything it depends on (the caller's job) and finds it here next time.
Entries live in one SQLite file per step; an entry unused for ``max_age`` seconds is
dropped, so the file follows the site. Objects shared by the whole build (the
settings, say) can be stored as references and joined to this build's own on the way
back.

Pure: no Pelican imports.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: entries unused for this long are dropped
MAX_AGE_SECONDS = 30 * 24 * 3600
#: an entry's time of last use is written again only when it is older than this (writing
#: 10,000 times per build cost a second; a day's precision is plenty for a 30-day expiry)
RESTAMP_SECONDS = 24 * 3600


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


class DiskMemo:
    """``get(key)`` / ``put(key, value)``; ``close()`` commits and drops old entries.

    ``get`` returns None for a missing key and for an entry that no longer unpickles
    (written by other code): the caller computes the value again.
    """

    def __init__(
        self,
        path: Path,
        shared: dict[str, Any] | None = None,
        max_age: float = MAX_AGE_SECONDS,
        table: str = "memo",
    ) -> None:
        if not table.isidentifier():
            raise ValueError(f"table name {table!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.shared_by_name = dict(shared or {})
        self.shared_by_id = {id(obj): name for name, obj in self.shared_by_name.items()}
        self.max_age = max_age
        self.table = table
        try:
            self.db = self._open()
        except sqlite3.DatabaseError:  # not a database any more: a cache, so start afresh
            path.unlink(missing_ok=True)
            self.db = self._open()
        self.now = time.time()
        self.hits: list[str] = []
        self.stats = {"hits": 0, "misses": 0}
        self._rows: dict[str, tuple[float, bytes]] | None = None  # see ``preload``
        self.closed = False

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=60)
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, used REAL, value BLOB)"
        )
        # ``close`` drops old entries by their time of use: without an index that read the
        # whole table, every build (0.3-1.4 s for a post store of 600 MB after a few code
        # updates at 10,000 posts); a file made before the index gets it once, here
        db.execute(f"CREATE INDEX IF NOT EXISTS {self.table}_used ON {self.table} (used)")
        return db

    def preload(self, keys: list[str] | None = None) -> None:
        """Read every entry, or those of ``keys``, a few hundred per query (a build that
        asks for most of them: not one query per key). Only what may be asked for: the
        entries of an older version of every post (a code or settings change stores them
        all again) held in memory for nothing made a build's peak 90 MB higher."""
        try:
            if keys is None:
                rows = self.db.execute(f"SELECT key, used, value FROM {self.table}").fetchall()
            else:
                rows = list(self._rows_of(keys, "key, used, value"))
        except sqlite3.DatabaseError:  # damaged: computed again
            rows = []
        self._rows = {key: (used, value) for key, used, value in rows}

    def _open_db(self) -> sqlite3.Connection:
        """The database, or an error for a memo used after ``close`` (its entries would be
        lost without a word: the damaged-file path below swallows sqlite's own error)."""
        if self.closed:
            raise RuntimeError(f"{self.path}: used after close()")
        return self.db

    def get(self, key: str) -> Any | None:
        db = self._open_db()
        if self._rows is not None:
            row = self._rows.get(key)
            used, blob = row if row is not None else (0.0, None)
        else:
            try:
                found = db.execute(
                    f"SELECT used, value FROM {self.table} WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.DatabaseError:  # damaged: computed again
                found = None
            used, blob = found if found is not None else (0.0, None)
        value = None if blob is None else self.decode(blob)
        if value is None:
            self.stats["misses"] += 1
            return None
        self.stats["hits"] += 1
        if used < self.now - min(RESTAMP_SECONDS, self.max_age / 2):
            self.hits.append(key)
        return value

    def stored(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` have an entry (not whether it still unpickles), a few hundred
        per query rather than one query each."""
        try:
            return {row[0] for row in self._rows_of(keys, "key")}
        except sqlite3.DatabaseError:  # damaged: as if nothing were stored
            return set()

    def _rows_of(self, keys: list[str], columns: str) -> Iterator[tuple]:
        """``columns`` of the entries of ``keys``, a few hundred keys per query."""
        db = self._open_db()
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            yield from db.execute(
                f"SELECT {columns} FROM {self.table} WHERE key IN ({marks})", batch
            )

    def encode(self, value: Any) -> bytes:
        """The stored form of ``value`` (made in another process, say; see ``put_encoded``)."""
        buffer = io.BytesIO()
        _Pickler(buffer, self.shared_by_id).dump(value)
        return buffer.getvalue()

    def decode(self, blob: bytes) -> Any | None:
        """``value`` from ``encode(value)``; None for bytes written by other code."""
        try:
            return _Unpickler(io.BytesIO(blob), self.shared_by_name).load()
        except Exception:  # written by other code: computed again
            return None

    def put(self, key: str, value: Any) -> None:
        self.put_encoded(key, self.encode(value))

    def put_encoded(self, key: str, blob: bytes) -> None:
        db = self._open_db()
        with contextlib.suppress(sqlite3.DatabaseError):  # damaged: not kept, the build goes on
            db.execute(
                f"INSERT OR REPLACE INTO {self.table} (key, used, value) VALUES (?, ?, ?)",
                (key, self.now, blob),
            )

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.db.executemany(
                f"UPDATE {self.table} SET used = ? WHERE key = ?",
                [(self.now, k) for k in self.hits],
            )
            self.db.execute(f"DELETE FROM {self.table} WHERE used < ?", (self.now - self.max_age,))
            self.db.commit()
        except sqlite3.DatabaseError:
            pass
        finally:
            self.db.close()
