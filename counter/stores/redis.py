"""Redis store: several service instances share one Redis.

Keys (all under COUNTER_REDIS_PREFIX, default ``ctr:``):
  views            HASH  path -> counted views        seed      HASH  path -> seeded views
  site:visits      HASH  day -> visits                site:views HASH day -> views
  visits_all       INT   every visit counted          meta      HASH  seed_total
  seen             ZSET  visitor key -> last hit time, trimmed to the visit timeout
                         (cross-instance visit rule and the shared "online" figure)
  batch:<id>       STRING applied batch ids, expire after a day (idempotent retries)

The day's salt is never a key: instances announce theirs on the pub/sub channel
``<prefix>salt`` every second and adopt the oldest one they hear (``SaltKeeper.offer``).
Redis writes data commands to its AOF and keys to its RDB snapshots; a PUBLISH is
neither, so the salt never reaches the disk, and the visitor keys that are written (the
``seen`` set) cannot be linked to anyone once the day's salt is gone from memory.

A flush is one Lua script, so a batch is applied atomically and at most once. Use
``appendonly yes`` (appendfsync everysec) on the Redis server for durable counts.
"""

from __future__ import annotations

import contextlib

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from ..batch import Batch
from . import Numbers

APPLY = """
local p = ARGV[1]
local now = tonumber(ARGV[2])
local timeout = tonumber(ARGV[3])
local online_window = tonumber(ARGV[4])
local today = ARGV[5]
local fresh = redis.call('SET', p .. 'batch:' .. ARGV[6], '1', 'NX', 'EX', 86400)
local i = 7
local nviews = tonumber(ARGV[i]); i = i + 1
if fresh then
  for _ = 1, nviews do
    local day, path, n = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
    redis.call('HINCRBY', p .. 'views', path, n)
    redis.call('HINCRBY', p .. 'site:views', day, n)
    i = i + 3
  end
else
  i = i + 3 * nviews
end
local nseen = tonumber(ARGV[i]); i = i + 1
if fresh then
  for _ = 1, nseen do
    local vid, day = ARGV[i], ARGV[i + 1]
    local first, last, extra = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
    local score = redis.call('ZSCORE', p .. 'seen', vid)
    local v = extra
    if (not score) or (first - tonumber(score) > timeout) then v = v + 1 end
    if v > 0 then
      redis.call('HINCRBY', p .. 'site:visits', day, v)
      redis.call('INCRBY', p .. 'visits_all', v)
    end
    redis.call('ZADD', p .. 'seen', 'GT', last, vid)
    i = i + 5
  end
else
  i = i + 5 * nseen
end
local noverflow = tonumber(ARGV[i]); i = i + 1
for _ = 1, noverflow do
  local day, v = ARGV[i], tonumber(ARGV[i + 1])
  if fresh and v > 0 then
    redis.call('HINCRBY', p .. 'site:visits', day, v)
    redis.call('INCRBY', p .. 'visits_all', v)
  end
  i = i + 2
end
redis.call('ZREMRANGEBYSCORE', p .. 'seen', '-inf', '(' .. tostring(now - timeout))
local npaths = tonumber(ARGV[i]); i = i + 1
local out = {
  redis.call('HGET', p .. 'meta', 'seed_total') or '0',
  redis.call('GET', p .. 'visits_all') or '0',
  redis.call('HGET', p .. 'site:visits', today) or '0',
  redis.call('ZCOUNT', p .. 'seen', tostring(now - online_window), '+inf'),
}
for _ = 1, npaths do
  local path = ARGV[i]
  out[#out + 1] = path
  out[#out + 1] = tostring(tonumber(redis.call('HGET', p .. 'views', path) or '0')
                           + tonumber(redis.call('HGET', p .. 'seed', path) or '0'))
  i = i + 1
end
return out
"""


class RedisStore:
    kind = "redis"

    def __init__(
        self,
        url: str,
        prefix: str = "ctr:",
        timeout: float = 1.0,
        visit_timeout: float = 1800,
        online_window: float = 300,
    ) -> None:
        self.p = prefix
        self.visit_timeout = visit_timeout
        self.online_window = online_window
        # Fail fast (no retry loop): the service keeps the batch and retries on the next flush.
        self.r = Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._apply = self.r.register_script(APPLY)
        self._pubsub = None

    def load(self, day: str, now: float) -> Numbers:
        p = self.p
        pipe = self.r.pipeline(transaction=True)
        pipe.hgetall(p + "views").hgetall(p + "seed").hget(p + "meta", "seed_total")
        pipe.get(p + "visits_all").hget(p + "site:visits", day)
        pipe.zcount(p + "seen", now - self.online_window, "+inf")
        counted, seeds, seed_total, visits, today, online = pipe.execute()
        views: dict[str, int] = {}
        for source in (counted, seeds):
            for path, n in source.items():
                key = path.decode()
                views[key] = views.get(key, 0) + int(n)
        return Numbers(int(seed_total or 0), int(visits or 0), int(today or 0), int(online), views)

    def apply(self, batch: Batch, day: str, now: float) -> Numbers:
        args: list = [self.p, repr(now), self.visit_timeout, self.online_window, day]
        args += [batch.batch_id, len(batch.views)]
        for (d, path), n in batch.views.items():
            args += [d, path, n]
        args.append(len(batch.seen))
        for vid, (d, first, last, extra) in batch.seen.items():
            args += [vid, d, repr(first), repr(last), extra]
        args.append(len(batch.overflow))
        for d, n in batch.overflow.items():
            args += [d, n]
        paths = list(batch.by_path)
        args.append(len(paths))
        args += paths
        out = self._apply(keys=[], args=args)
        views = {out[k].decode(): int(out[k + 1]) for k in range(4, len(out), 2)}
        return Numbers(int(out[0]), int(out[1]), int(out[2]), int(out[3]), views)

    def seed(self, total: int | None, views: dict[str, int]) -> None:
        pipe = self.r.pipeline(transaction=True)
        if total is not None:
            pipe.hset(self.p + "meta", "seed_total", total)
        if views:
            pipe.hset(self.p + "seed", mapping=views)
        pipe.execute()

    def exchange_salts(
        self, mine: list[tuple[str, float, bytes]]
    ) -> list[tuple[str, float, bytes]]:
        """Announce our salts (day, birth time, salt); return those heard since the last call.

        Over pub/sub, never a key, so no salt is ever written to Redis's files. Announced
        every second, so an instance that starts (or comes back after an outage) hears the
        running instances' salts within a second.
        """
        channel = self.p + "salt"
        if self._pubsub is None:
            pubsub = self.r.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(channel)
            self._pubsub = pubsub
        heard: list[tuple[str, float, bytes]] = []
        try:
            for _ in range(10_000):
                message = self._pubsub.get_message(timeout=0)
                if message is None:
                    break
                if message.get("type") != "message":
                    continue
                try:
                    day, born, salt = message["data"].decode("ascii").split(" ")
                    heard.append((day, float(born), bytes.fromhex(salt)))
                except (UnicodeDecodeError, ValueError):
                    continue  # not ours: ignore
            for day, born, salt in mine:
                self.r.publish(channel, f"{day} {born!r} {salt.hex()}")
        except Exception:
            self._close_pubsub()
            raise
        return heard

    def salt_peers(self) -> int:
        """How many other instances listen on the salt channel (PUBSUB NUMSUB, not stored)."""
        listening = int(self.r.pubsub_numsub(self.p + "salt")[0][1])
        return max(0, listening - (1 if self._pubsub is not None else 0))

    def _close_pubsub(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to release
                self._pubsub.close()
            self._pubsub = None

    def ping(self) -> None:
        self.r.ping()

    def close(self) -> None:
        self._close_pubsub()
        self.r.close()
