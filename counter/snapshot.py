"""Build-side access to the counter: read a snapshot, write the manifest. Standard library only,
never the network, so the Pelican build works with the counter service stopped or absent.

Interface for the Pelican plugin::

    from counter.snapshot import read_snapshot, write_manifest, url_to_path

    snap = read_snapshot("var/counter.sqlite3")      # or "counters-snapshot.json",
                                                     # or "sqlite:///var/counter.sqlite3"
    if snap is not None:                             # None: no snapshot yet (first build)
        snap.total, snap.today, snap.online          # int, or None when not known
        snap.views.get("/tin-tuc/bai-viet.html", 0)  # seed + counted views per page path
        snap.asof                                    # aware datetime in Asia/Ho_Chi_Minh
    write_manifest(["/tin-tuc/bai-viet.html", ...], "output/counter-paths.json")
    url_to_path("tin-tuc/bai-viet.html")             # "/tin-tuc/bai-viet.html"

The JSON snapshot is what ``GET /api/v1/snapshot`` returns::

    {"version": 1, "asof": "2026-11-22T14:05:00+07:00", "timezone": "Asia/Ho_Chi_Minh",
     "site": {"online": 3, "today": 27, "total": 278872}, "views": {"/path.html": 12}}

Reading the SQLite store gives the same numbers except "online" (kept in the service's memory
only, so None), with "today" computed for the day of ``now`` and "asof" the store's last write.
A file that exists but cannot be read raises SnapshotError: a broken snapshot should be seen,
a missing one is normal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from plugins.portal_core.files import write_atomic

from .paths import PathError, normalize_path
from .stores.sqlite import connect, read_numbers

SQLITE_MAGIC = b"SQLite format 3\x00"


class SnapshotError(ValueError):
    """A snapshot file exists but is not a readable snapshot."""


@dataclass(frozen=True)
class Snapshot:
    online: int | None
    today: int | None
    total: int | None
    views: dict[str, int] = field(default_factory=dict)
    asof: datetime | None = None
    source: str = ""


def _int_or_none(value: object) -> int | None:
    return value if type(value) is int and value >= 0 else None


def _source_path(source: str | os.PathLike) -> Path:
    text = os.fspath(source)
    if text.startswith("sqlite:///"):
        return Path(text[len("sqlite:///") :])
    return Path(text)


def read_snapshot(
    source: str | os.PathLike,
    *,
    timezone: str = "Asia/Ho_Chi_Minh",
    now: float | None = None,
) -> Snapshot | None:
    """Site numbers and per-path views from a JSON snapshot or a SQLite store; None if absent."""
    path = _source_path(source)
    tz = ZoneInfo(timezone)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SnapshotError(f"{path}: {exc}") from exc
    if head == SQLITE_MAGIC:
        return _read_sqlite(path, tz, time.time() if now is None else now)
    return _read_json(path, tz)


def _read_json(path: Path, tz: ZoneInfo) -> Snapshot:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SnapshotError(f"{path}: not a JSON snapshot ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("site", {}), dict):
        raise SnapshotError(f'{path}: expected an object with "site" and "views"')
    site = data.get("site") or {}
    views: dict[str, int] = {}
    raw_views = data.get("views") or {}
    if not isinstance(raw_views, dict):
        raise SnapshotError(f'{path}: "views" must be an object of path -> number')
    for raw, n in raw_views.items():
        count = _int_or_none(n)
        try:
            key = normalize_path(raw)
        except PathError:
            continue
        if count is not None:
            views[key] = count
    asof = None
    if isinstance(data.get("asof"), str):
        try:
            asof = datetime.fromisoformat(data["asof"])
            asof = asof.replace(tzinfo=UTC) if asof.tzinfo is None else asof
            asof = asof.astimezone(tz)
        except ValueError:
            asof = None
    return Snapshot(
        online=_int_or_none(site.get("online")),
        today=_int_or_none(site.get("today")),
        total=_int_or_none(site.get("total")),
        views=views,
        asof=asof,
        source=str(path),
    )


def _read_sqlite(path: Path, tz: ZoneInfo, now: float) -> Snapshot:
    day = datetime.fromtimestamp(now, tz).date().isoformat()
    try:
        conn = connect(path, readonly=True)
        try:
            numbers = read_numbers(conn, day)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise SnapshotError(f"{path}: not a counter store ({exc})") from exc
    stamps = [p.stat().st_mtime for p in (path, Path(f"{path}-wal")) if p.exists()]
    return Snapshot(
        online=None,
        today=numbers.today,
        total=numbers.seed_total + numbers.visits_total,
        views=numbers.views,
        asof=datetime.fromtimestamp(max(stamps), tz),
        source=str(path),
    )


def url_to_path(url: str) -> str:
    """A page's URL (relative like Pelican's ``article.url``, or absolute) as a counter path."""
    parts = urlsplit(url)
    path = parts.path if parts.scheme or parts.netloc else url
    return normalize_path("/" + path.lstrip("/"))


def write_manifest(paths: Iterable[str], dest: str | os.PathLike) -> int:
    """Write the countable paths as JSON (atomically, so the service never reads half a file).

    Accepts page URLs or paths; returns how many distinct paths were written.
    """
    unique = sorted({url_to_path(p) for p in paths})
    # no timestamp: the same site gives the same bytes (incremental builds compare outputs)
    payload = {"version": 1, "paths": unique}
    write_atomic(dest, json.dumps(payload, ensure_ascii=False, indent=0))
    return len(unique)
