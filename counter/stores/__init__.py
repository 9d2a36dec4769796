"""Storage back-ends, chosen by one URL: ``sqlite:///path`` (default) or ``redis://host:port/db``.

Both implement the same small, synchronous interface (the service calls it from one worker
thread, never from the event loop):

  load(day, now) -> Numbers        all per-path totals and the site numbers
  apply(batch, day, now) -> Numbers   write a batch once (idempotent per batch id); totals
                                      of the paths it touched and the site numbers
  seed(total, views)               set the totals carried over from the old portal
  exchange_salts([(day, born, salt)]) -> [(day, born, salt)]   announce ours, hear others'
                                   (Redis pub/sub; never stored), so instances share one salt
  ping(), close()
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Numbers:
    seed_total: int = 0
    visits_total: int = 0  # every visit counted by the service, all days
    today: int = 0  # visits on the requested day
    online: int | None = None  # shared online count (Redis) or None (per-process)
    views: dict[str, int] = field(default_factory=dict)  # path -> seed + counted views


def open_store(settings):
    """The store for ``settings.store`` (a URL already checked by counter.settings)."""
    if settings.store_kind == "sqlite":
        from ..settings import sqlite_path
        from .sqlite import SQLiteStore

        return SQLiteStore(sqlite_path(settings.store))
    from .redis import RedisStore

    return RedisStore(
        settings.store,
        prefix=settings.redis_prefix,
        visit_timeout=settings.visit_timeout,
        online_window=settings.online_window,
    )
