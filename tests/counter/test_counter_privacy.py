"""What the counter leaves on disk: never the day's salt, with either store.

A real redis-server with the append-only file on (as the README recommends) and an RDB
snapshot; the salt is what could link the stored visitor keys back to an IP address and
user agent, so it must exist in the services' memory only.
"""

from __future__ import annotations

import shutil
import time

import pytest
import redis
from counter_helpers import ARTICLES, REDIS_MISSING, RedisServer, flush, hit, ua

from counter.visits import local_day


@pytest.fixture
def persistent_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip(REDIS_MISSING)
    server = RedisServer(tmp_path / "redis", persistent=True)
    server.workdir.mkdir()
    server.start()
    yield server
    server.stop()


def _files(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_instances_share_the_salt_but_redis_never_stores_it(persistent_redis, make_live):
    url = persistent_redis.url
    first = make_live(COUNTER_STORE=url)
    for i in range(5):
        assert hit(first, ARTICLES[i], agent=ua(i)).json()["counted"]
    flush(first)
    second = make_live(COUNTER_STORE=url)  # a second instance behind the load balancer
    day = local_day(time.time(), first.counter.settings.tz)
    salt = first.counter.salts.salt(day)
    assert second.counter.salts.salt(day) == salt  # adopted the running instance's salt
    # the same visitors on the other instance: the same keys, so no new visits
    for i in range(5):
        assert hit(second, ARTICLES[i + 5], agent=ua(i)).json()["counted"]
    flush(second)
    flush(first)
    r = redis.Redis.from_url(url)
    assert int(r.get("ctr:visits_all")) == 5
    assert r.keys("*salt*") == []
    r.bgsave()
    deadline = time.monotonic() + 10
    while r.info("persistence")["rdb_bgsave_in_progress"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert r.zcard("ctr:seen") == 5  # visitor keys are there (for the visit rule) …
    on_disk = _files(persistent_redis.workdir)
    assert b"ctr:seen" in on_disk and b"visits_all" in on_disk  # … and the AOF is on …
    tomorrow = sorted(first.counter.salts.days())[-1]
    for secret in (salt, first.counter.salts.salt(day), first.counter.salts.prepare(tomorrow)):
        assert secret not in on_disk and secret.hex().encode() not in on_disk  # … the salt not
    r.close()


def test_a_new_salt_born_later_never_replaces_the_running_one():
    from counter.privacy import SaltKeeper

    running, newcomer = SaltKeeper(), SaltKeeper()
    old = running.prepare("2026-12-07", now=1000.0)
    new = newcomer.prepare("2026-12-07", now=2000.0)
    assert not running.offer("2026-12-07", new, 2000.0)
    assert newcomer.offer("2026-12-07", old, 1000.0)
    assert newcomer.salt("2026-12-07") == running.salt("2026-12-07") == old
    assert not running.offer("2026-12-06", new, 1.0)  # a day already over is not revived
