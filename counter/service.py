"""The counting core, independent of the web framework.

Requests call ``record_hit`` on the event loop: it only touches memory (visitor state, rate
limiter, the pending Batch). ``flush`` moves the pending batch to a backlog and writes the
backlog's head in one store call in a worker thread, every COUNTER_FLUSH_INTERVAL seconds and
at shutdown. The numbers shown are the last numbers read from the store plus everything not
yet written, so a visitor always sees their own hit.

When the store is down the backlog keeps growing (at most two batches: the one being retried
and one that absorbs new hits), the last known numbers keep being served and the health check
says "degraded". At shutdown a backlog the store still refuses is written to
COUNTER_SPILL_PATH and replayed at the next start, so a graceful stop loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from plugins.portal_core.files import write_atomic

from . import bots
from .batch import Batch
from .manifest import Manifest
from .paths import PathError, normalize_path
from .privacy import SaltKeeper, address_key, opted_out, visitor_key
from .ratelimit import RateLimiter
from .settings import Settings
from .stores import Numbers, open_store
from .visits import VisitTracker, local_day

log = logging.getLogger("counter")
REFRESH_EVERY = 30.0  # seconds between full reloads (other instances' counts, manual seeds)
SALT_EXCHANGE_EVERY = 1.0  # seconds between salt announcements between instances (Redis)


@dataclass
class HitResult:
    status: int
    counted: bool = False
    reason: str | None = None  # why not counted / why refused
    message: str | None = None
    path: str | None = None
    views: int | None = None
    site: dict | None = None


class CounterService:
    def __init__(self, settings: Settings, store=None, manifest: Manifest | None = None) -> None:
        self.settings = settings
        self.store = store if store is not None else open_store(settings)
        self.manifest = manifest if manifest is not None else Manifest(settings.manifest)
        self.salts = SaltKeeper()
        self.tracker = VisitTracker(
            settings.visit_timeout,
            settings.online_window,
            settings.visit_timeout,
            max_visitors=settings.max_visitors,
        )
        self.limiter = RateLimiter(
            settings.rate_per_sec, settings.rate_burst, max_keys=settings.max_visitors
        )
        # New visitors per client address: rotating the User-Agent makes a new visitor key
        # on every hit, so the per-visitor bucket alone would let one machine add a visit
        # (and a view) per hit. N at once, then N per hour, per address (IPv6: per /64).
        self.address_limiter = RateLimiter(
            settings.address_new_visitors / 3600.0,
            settings.address_new_visitors,
            max_keys=settings.max_visitors,
        )
        self.pending = Batch()
        self.backlog: list[Batch] = []
        self.known = False
        self.cache = Numbers()
        self.cache_day: str | None = None
        self.store_ok = False
        self.last_flush: float | None = None
        self.last_error: str | None = None
        self._last_refresh = 0.0
        self._spill_loaded = False
        self._lock = asyncio.Lock()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="counter-store")
        self._task: asyncio.Task | None = None
        self._salt_task: asyncio.Task | None = None
        self._heard_peer = False  # another instance's salt announcement was heard
        self.loop: asyncio.AbstractEventLoop | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Load numbers and salts, replay a spilled backlog, start the flush loop."""
        self.loop = asyncio.get_running_loop()
        bots.warm_up()
        self._load_spill()
        await self.flush()
        if self.store.kind == "redis":
            # Hear the running instances' salt before the first hit (they announce it every
            # second) and adopt the oldest one heard; alone on the channel, nothing to wait for.
            if await self._exchange_salts():
                with contextlib.suppress(Exception):
                    if await self._run(self.store.salt_peers):
                        deadline = time.monotonic() + 3 * SALT_EXCHANGE_EVERY
                        while not self._heard_peer and time.monotonic() < deadline:
                            await asyncio.sleep(0.1)
                            await self._exchange_salts()
            self._salt_task = asyncio.create_task(self._salt_loop(), name="counter-salt")
        self._task = asyncio.create_task(self._flush_loop(), name="counter-flush")

    async def stop(self) -> None:
        """Stop the loops, flush everything; spill what the store refuses."""
        for task in (self._salt_task, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for attempt in range(3):
            await self.flush()
            if not self.backlog and not self.pending:
                break
            await asyncio.sleep(0.2 * (attempt + 1))
        if self.backlog or self.pending:
            self._write_spill()
        await self._run(self.store.close)
        self._executor.shutdown(wait=True)

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.flush_interval)
            try:
                await self.flush()
            except Exception:  # never let the loop die; the next round retries
                log.exception("flush failed unexpectedly")

    async def _salt_loop(self) -> None:
        while True:
            await asyncio.sleep(SALT_EXCHANGE_EVERY)
            await self._exchange_salts()

    async def _exchange_salts(self) -> bool:
        """One salt exchange; False while Redis is down (the flush loop reports that)."""
        try:
            await self._sync_salts(time.time())
        except Exception as exc:
            log.debug("salt exchange failed: %s", exc)
            return False
        return True

    async def _run(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    # -- hits ------------------------------------------------------------------------------

    def record_hit(
        self,
        raw_path: object,
        ip: str,
        user_agent: str,
        headers,
        now: float | None = None,
        flagged_bot: bool = False,
    ) -> HitResult:
        """Apply the abuse, privacy and counting rules to one hit; memory only."""
        now = time.time() if now is None else now
        ua = (user_agent or "").strip()
        if not ua:
            return HitResult(400, reason="empty_user_agent", message="a User-Agent is required")
        try:
            path = normalize_path(raw_path)  # type: ignore[arg-type]
        except PathError as exc:
            return HitResult(400, reason="bad_path", message=str(exc))
        if path not in self.manifest:
            return HitResult(
                404, reason="unknown_path", message="this path is not a countable page", path=path
            )
        result = HitResult(200, path=path)
        if opted_out(headers, self.settings.respect_dnt):
            result.reason = "opted_out"
        elif bots.is_prefetch(headers):
            result.reason = "prefetch"
        elif flagged_bot or bots.is_bot(ua):
            result.reason = "bot"
        else:
            day = local_day(now, self.settings.tz)
            vid = visitor_key(self.salts.salt(day), ip, ua)
            if not self.limiter.allow(vid, now):
                return HitResult(
                    429, reason="rate_limited", message="too many hits, slow down", path=path
                )
            if not self.tracker.knows(vid, now) and not self.address_limiter.allow(
                address_key(self.salts.salt(day), ip), now
            ):
                result.reason = "too_many_visitors"  # from this address: not counted
            else:
                decision = self.tracker.observe(vid, path, now)
                self.pending.add(day, path, vid, now, decision.count_view, decision.new_visit)
                result.counted = decision.count_view
                if not decision.count_view:
                    result.reason = "repeat_view"
        result.views = self.page_views(path)
        result.site = self.site_numbers(now)
        return result

    # -- numbers ---------------------------------------------------------------------------

    def _unflushed(self) -> list[Batch]:
        return [*self.backlog, self.pending]

    def page_views(self, path: str) -> int | None:
        """Seed + counted views of one page, including hits not yet written; None if unknown."""
        if not self.known:
            return None
        return self.cache.views.get(path, 0) + sum(b.by_path[path] for b in self._unflushed())

    def site_numbers(self, now: float | None = None) -> dict | None:
        """online / today / total, or None before the store has ever answered."""
        now = time.time() if now is None else now
        if not self.known:
            return None
        day = local_day(now, self.settings.tz)
        batches = self._unflushed()
        today = self.cache.today if self.cache_day == day else 0
        today += sum(b.visits[day] for b in batches)
        total = self.cache.seed_total + self.cache.visits_total
        total += sum(b.total_visits() for b in batches)
        online = max(self.tracker.online(now), self.cache.online or 0)
        return {"online": online, "today": today, "total": total}

    def health(self) -> dict:
        return {
            "status": "ok" if self.store_ok else "degraded",
            "store": self.store.kind,
            "store_ok": self.store_ok,
            "numbers_known": self.known,
            "manifest_paths": len(self.manifest),
            "visitors_in_memory": self.tracker.visitors(),
            "visitors_forgotten": self.tracker.evicted,
            "unflushed_views": sum(b.total_views() for b in self._unflushed()),
            "last_flush": self.last_flush,
            "last_error": self.last_error,
        }

    # -- flushing --------------------------------------------------------------------------

    async def flush(self) -> bool:
        """Write what is pending; True when nothing is left unwritten."""
        async with self._lock:
            now = time.time()
            day = local_day(now, self.settings.tz)
            if self.pending:
                tail = self.backlog[-1] if self.backlog else None
                if tail is not None and not tail.attempted:
                    tail.absorb(
                        self.pending, self.settings.visit_timeout, self.settings.max_visitors
                    )
                else:
                    self.backlog.append(self.pending)
                self.pending = Batch()
            try:
                if not self.known or now - self._last_refresh > REFRESH_EVERY:
                    numbers = await self._run(self.store.load, day, now)
                    self.cache, self.cache_day = numbers, day
                    self.known, self._last_refresh = True, now
                elif not self.backlog:
                    await self._run(self.store.ping)  # nothing to write: is the store up?
                while self.backlog:
                    head = self.backlog[0]
                    head.attempted = True
                    numbers = await self._run(self.store.apply, head, day, now)
                    self.backlog.pop(0)
                    self._absorb_numbers(numbers, day)
            except Exception as exc:  # store down or failing: keep everything, retry later
                if self.store_ok or self.last_error is None:
                    log.warning("counter store unavailable, counting in memory: %s", exc)
                self.store_ok, self.last_error = False, f"{type(exc).__name__}: {exc}"
                return False
            if not self.store_ok and self.last_error is not None:
                log.warning("counter store available again; backlog written")
            self.store_ok, self.last_error, self.last_flush = True, None, now
            if self._spill_loaded:
                self._spill_loaded = False
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.settings.spill_path)
            return True

    def _absorb_numbers(self, numbers: Numbers, day: str) -> None:
        self.cache.views.update(numbers.views)
        self.cache.seed_total = numbers.seed_total
        self.cache.visits_total = numbers.visits_total
        self.cache.today, self.cache_day = numbers.today, day
        self.cache.online = numbers.online

    async def _sync_salts(self, now: float) -> None:
        """With a shared store, every instance uses the same salt for today and tomorrow.

        Announced and heard over Redis pub/sub, never stored (see stores/redis.py).
        """
        if self.store.kind != "redis":
            return
        today = date.fromisoformat(local_day(now, self.settings.tz))
        mine = []
        for d in (today, today + timedelta(days=1)):
            day = d.isoformat()
            salt = self.salts.prepare(day, now)
            mine.append((day, self.salts.born(day) or now, salt))
        heard = await self._run(self.store.exchange_salts, mine)
        for day, born, salt in heard:
            if (day, born, salt) not in mine:  # our own announcement comes back too
                self._heard_peer = True
            self.salts.offer(day, salt, born)

    # -- admin -----------------------------------------------------------------------------

    async def seed(self, total: int | None, views: dict[str, int]) -> None:
        """Set totals carried over from the old portal, then reload the numbers."""
        async with self._lock:
            await self._run(self.store.seed, total, views)
            self._last_refresh = 0.0
        await self.flush()

    async def snapshot(self) -> dict:
        """Everything the build needs, after writing what is pending."""
        await self.flush()
        now = time.time()
        async with self._lock:
            numbers = await self._run(self.store.load, local_day(now, self.settings.tz), now)
        site = {
            "online": max(self.tracker.online(now), numbers.online or 0),
            "today": numbers.today,
            "total": numbers.seed_total + numbers.visits_total,
        }
        asof = datetime.fromtimestamp(now, self.settings.tz).isoformat(timespec="seconds")
        return {
            "version": 1,
            "asof": asof,
            "timezone": self.settings.timezone,
            "site": site,
            "views": dict(sorted(numbers.views.items())),
        }

    # -- spill file --------------------------------------------------------------------------

    def _write_spill(self) -> None:
        path = self.settings.spill_path
        batches = [b for b in self._unflushed() if b]
        write_atomic(path, json.dumps([b.to_json() for b in batches]))
        log.error(
            "store unavailable at shutdown: %d views kept in %s for the next start",
            sum(b.total_views() for b in batches),
            path,
        )

    def _load_spill(self) -> None:
        path = self.settings.spill_path
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.error("spill file %s unreadable, left in place: %s", path, exc)
            return
        self.backlog = [Batch.from_json(item) for item in items] + self.backlog
        for batch in self.backlog:
            batch.attempted = True  # never absorb into a batch that may have been applied
        self._spill_loaded = True
        log.warning("replaying %d views from %s", sum(b.total_views() for b in self.backlog), path)
