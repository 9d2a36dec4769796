"""The in-memory batch of counted hits waiting to be flushed to the store.

Requests only touch a Batch; a background task swaps it out and writes it in one
transaction. A batch the store refused is merged back (older first) and retried, so nothing
is lost while the store is down. Every count is additive, so applying a batch once is exact.

``visits`` holds the local decision (one instance: authoritative, used by SQLite). ``seen``
holds, per visitor key, enough to let a shared store (Redis) re-decide visits across several
instances with the same 30-minute rule: the first and last hit time in this batch and the
number of visits that started inside the batch after its first hit. Each batch has an id the
stores remember for a day, so a batch retried after an unclear failure is applied only once.

While the store is down the backlog absorbs every flush's hits; ``seen`` would then grow with
every visitor of the outage. Past ``max_seen`` entries, the newest visitors are folded into
``overflow`` (day -> visits, counted as new visits without the shared rule), so the backlog's
memory is bounded by the number of pages, days and ``max_seen``.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Batch:
    views: Counter = field(default_factory=Counter)  # (day, path) -> views
    by_path: Counter = field(default_factory=Counter)  # path -> views (all days)
    visits: Counter = field(default_factory=Counter)  # day -> visits (local rule)
    seen: dict[str, list] = field(default_factory=dict)  # vid hex -> [day, first, last, extra]
    overflow: Counter = field(default_factory=Counter)  # day -> visits folded out of seen
    batch_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    attempted: bool = False  # sent to the store at least once (so it may have been applied)

    def add(self, day: str, path: str, vid: bytes, now: float, view: bool, new_visit: bool) -> None:
        """Record one accepted hit."""
        if view:
            self.views[(day, path)] += 1
            self.by_path[path] += 1
        if new_visit:
            self.visits[day] += 1
        key = vid.hex()
        entry = self.seen.get(key)
        if entry is None:
            self.seen[key] = [day, now, now, 0]
        else:
            if new_visit:
                entry[3] += 1
            entry[2] = now

    def __bool__(self) -> bool:
        return bool(self.views or self.visits or self.seen or self.overflow)

    def total_views(self) -> int:
        return sum(self.views.values())

    def total_visits(self) -> int:
        return sum(self.visits.values())

    def absorb(self, newer: Batch, visit_timeout: float, max_seen: int | None = None) -> None:
        """Fold a newer batch into this one (used while the store is down).

        The id is kept: only a batch that was never sent to the store absorbs newer hits.
        """
        self.views.update(newer.views)
        self.by_path.update(newer.by_path)
        self.visits.update(newer.visits)
        self.overflow.update(newer.overflow)
        for key, new in newer.seen.items():
            old = self.seen.get(key)
            if old is None:
                self.seen[key] = list(new)
            else:
                gap_visit = 1 if new[1] - old[2] > visit_timeout else 0
                self.seen[key] = [old[0], old[1], new[2], old[3] + new[3] + gap_visit]
        if max_seen is not None and len(self.seen) > max_seen:
            for key in list(self.seen)[max_seen:]:  # the newest visitors of the outage
                day, _first, _last, extra = self.seen.pop(key)
                self.overflow[day] += 1 + extra

    def to_json(self) -> str:
        return json.dumps(
            {
                "views": [[d, p, n] for (d, p), n in self.views.items()],
                "visits": dict(self.visits),
                "seen": self.seen,
                "overflow": dict(self.overflow),
                "batch_id": self.batch_id,
                "attempted": self.attempted,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Batch:
        data = json.loads(text)
        batch = cls(
            batch_id=data.get("batch_id") or uuid.uuid4().hex,
            attempted=bool(data.get("attempted", True)),
        )
        for day, path, n in data["views"]:
            batch.views[(day, path)] += n
            batch.by_path[path] += n
        batch.visits.update(data["visits"])
        batch.seen = {k: list(v) for k, v in data["seen"].items()}
        batch.overflow.update(data.get("overflow") or {})
        return batch
