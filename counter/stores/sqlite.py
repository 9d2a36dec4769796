"""SQLite store (default): one file, WAL, additive upserts in one transaction per flush.

Tables (the snapshot reader in counter/snapshot.py reads the same ones):
  page_total(path, seed, views)   per-article totals: shown = seed + views
  page_day(path, day, views)      per-article views per local day
  site_day(day, visits, views)    site visits and views per local day
  site_meta(k, v)                 seed_total, schema version
  applied_batch(id, at)           batch ids applied in the last day (idempotent retries)
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from ..batch import Batch
from . import Numbers

SCHEMA = """
CREATE TABLE IF NOT EXISTS page_total (path TEXT PRIMARY KEY, seed INTEGER NOT NULL DEFAULT 0,
                                       views INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_day (path TEXT NOT NULL, day TEXT NOT NULL,
                                     views INTEGER NOT NULL, PRIMARY KEY (path, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS site_day (day TEXT PRIMARY KEY, visits INTEGER NOT NULL DEFAULT 0,
                                     views INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS site_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS applied_batch (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO site_meta (k, v) VALUES ('schema', '1'), ('seed_total', '0');
"""


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas the counter relies on."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def read_numbers(conn: sqlite3.Connection, day: str, paths=None) -> Numbers:
    """Site numbers for ``day`` and the totals of ``paths`` (all paths when None)."""
    seed = conn.execute("SELECT v FROM site_meta WHERE k='seed_total'").fetchone()
    visits = conn.execute("SELECT COALESCE(SUM(visits), 0) FROM site_day").fetchone()[0]
    today = conn.execute("SELECT visits FROM site_day WHERE day=?", (day,)).fetchone()
    if paths is None:
        rows = conn.execute("SELECT path, seed + views FROM page_total")
        views = dict(rows)
    else:
        views = {}
        for path in paths:
            row = conn.execute("SELECT seed + views FROM page_total WHERE path=?", (path,))
            found = row.fetchone()
            views[path] = found[0] if found else 0
    return Numbers(int(seed[0]) if seed else 0, int(visits), today[0] if today else 0, None, views)


class SQLiteStore:
    kind = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn = connect(self.path)
        self._conn.executescript(SCHEMA)
        self._lock = threading.Lock()

    def load(self, day: str, now: float) -> Numbers:
        with self._lock:
            return read_numbers(self._conn, day)

    def apply(self, batch: Batch, day: str, now: float) -> Numbers:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                fresh = c.execute(
                    "INSERT OR IGNORE INTO applied_batch (id, at) VALUES (?, ?)",
                    (batch.batch_id, int(now)),
                ).rowcount
                if fresh:
                    self._write(c, batch)
                c.execute("DELETE FROM applied_batch WHERE at < ?", (int(now) - 86400,))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
            return read_numbers(c, day, paths=list(batch.by_path))

    @staticmethod
    def _write(c: sqlite3.Connection, batch: Batch) -> None:
        c.executemany(
            "INSERT INTO page_total (path, views) VALUES (?, ?) "
            "ON CONFLICT(path) DO UPDATE SET views = views + excluded.views",
            batch.by_path.items(),
        )
        c.executemany(
            "INSERT INTO page_day (path, day, views) VALUES (?, ?, ?) "
            "ON CONFLICT(path, day) DO UPDATE SET views = views + excluded.views",
            ((path, day, n) for (day, path), n in batch.views.items()),
        )
        site: dict[str, list[int]] = {}
        for (day, _path), n in batch.views.items():
            site.setdefault(day, [0, 0])[1] += n
        for day, n in batch.visits.items():
            site.setdefault(day, [0, 0])[0] += n
        c.executemany(
            "INSERT INTO site_day (day, visits, views) VALUES (?, ?, ?) ON CONFLICT(day) "
            "DO UPDATE SET visits = visits + excluded.visits, views = views + excluded.views",
            ((day, v, n) for day, (v, n) in site.items()),
        )

    def seed(self, total: int | None, views: dict[str, int]) -> None:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                if total is not None:
                    c.execute("UPDATE site_meta SET v=? WHERE k='seed_total'", (str(total),))
                c.executemany(
                    "INSERT INTO page_total (path, seed) VALUES (?, ?) "
                    "ON CONFLICT(path) DO UPDATE SET seed = excluded.seed",
                    views.items(),
                )
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def exchange_salts(self, mine: list) -> list:
        return []  # one process: the salt stays in its memory

    def salt_peers(self) -> int:
        return 0

    def ping(self) -> None:
        with self._lock:
            self._conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
