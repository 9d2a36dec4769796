"""The counting rules, in one place so every store counts the same way.

* A *visit* starts with a visitor's first hit, and again after ``visit_timeout`` seconds
  (30 min) without any hit from that visitor. Visitor keys change at local midnight (daily
  salt), so a visit never spans two days: "Hôm nay" counts every visitor active today.
* A *view* of a page counts at most once per visitor per page per ``view_window`` (30 min).
* *Online* is the number of distinct visitors with a hit in the last ``online_window`` (5 min).

State is kept in insertion-ordered dicts, oldest activity first, so expiry and the online
count cost O(1) amortised per hit instead of a scan. Memory is capped: at most
``max_visitors`` visitors and ``VIEWS_PER_VISITOR`` × that many (visitor, page) pairs are
held; past the cap the least recently active are forgotten first (``evicted`` counts them),
so a flood of made-up visitors cannot grow the process without bound. A forgotten visitor
who comes back within the visit timeout starts a new visit: a flood can add visits, never
memory.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Decision:
    new_visit: bool
    count_view: bool


_day_cache: dict[str, tuple[float, float, str]] = {}


def local_day(now: float, tz: ZoneInfo) -> str:
    """The local calendar day (YYYY-MM-DD) of an epoch timestamp in the site's time zone.

    Called on every hit, so the current day's bounds are cached per time zone.
    """
    cached = _day_cache.get(tz.key)
    if cached is not None and cached[0] <= now < cached[1]:
        return cached[2]
    local = datetime.fromtimestamp(now, tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    day = local.date().isoformat()
    _day_cache[tz.key] = (start.timestamp(), (start + timedelta(days=1)).timestamp(), day)
    return day


VIEWS_PER_VISITOR = 4  # (visitor, page) pairs held per visitor of the cap, on average


class VisitTracker:
    """Applies the visit, view and online rules to a stream of (visitor, path, time) hits."""

    def __init__(
        self,
        visit_timeout: float = 1800,
        online_window: float = 300,
        view_window: float = 1800,
        max_visitors: int = 20_000,
    ) -> None:
        self.visit_timeout = visit_timeout
        self.online_window = online_window
        self.view_window = view_window
        self.max_visitors = max_visitors
        self.max_views = max_visitors * VIEWS_PER_VISITOR
        self.evicted = 0
        self._last_seen: OrderedDict[bytes, float] = OrderedDict()
        self._online: OrderedDict[bytes, float] = OrderedDict()
        self._viewed: OrderedDict[tuple[bytes, str], float] = OrderedDict()

    def knows(self, vid: bytes, now: float) -> bool:
        """True if a hit from ``vid`` now would continue a visit (not start a new one)."""
        last = self._last_seen.get(vid)
        return last is not None and now - last <= self.visit_timeout

    def observe(self, vid: bytes, path: str, now: float) -> Decision:
        """Record a hit and say whether it starts a visit and whether it counts as a view."""
        self._expire(now)
        last = self._last_seen.get(vid)
        new_visit = last is None or now - last > self.visit_timeout
        self._touch(self._last_seen, vid, now)
        self._touch(self._online, vid, now)
        key = (vid, path)
        viewed = self._viewed.get(key)
        count_view = viewed is None or now - viewed > self.view_window
        if count_view:
            self._touch(self._viewed, key, now)
        self._cap()
        return Decision(new_visit, count_view)

    def _cap(self) -> None:
        """Forget the least recently active visitors beyond the caps."""
        while len(self._last_seen) > self.max_visitors:
            vid, _ = self._last_seen.popitem(last=False)
            self._online.pop(vid, None)
            self.evicted += 1
        while len(self._online) > self.max_visitors:  # cannot happen; kept as a guard
            self._online.popitem(last=False)
        while len(self._viewed) > self.max_views:
            self._viewed.popitem(last=False)

    def online(self, now: float) -> int:
        """Distinct visitors with a hit in the last ``online_window`` seconds."""
        self._expire(now)
        return len(self._online)

    def size(self) -> int:
        return len(self._last_seen) + len(self._viewed)

    def visitors(self) -> int:
        return len(self._last_seen)

    @staticmethod
    def _touch(d: OrderedDict, key, now: float) -> None:
        d[key] = now
        d.move_to_end(key)

    def _expire(self, now: float) -> None:
        for d, window in (
            (self._online, self.online_window),
            (self._last_seen, self.visit_timeout),
            (self._viewed, self.view_window),
        ):
            while d:
                key, seen = next(iter(d.items()))
                if now - seen <= window:
                    break
                del d[key]
