"""Concurrency and fault tests on real processes: the service as a uvicorn subprocess, a real
redis-server that is stopped and restarted, SIGTERM under load and kill -9."""

from __future__ import annotations

import asyncio
import json
import signal
import time

import httpx
import pytest
from counter_helpers import (
    ADMIN_TOKEN,
    ARTICLES,
    RedisServer,
    flush,
    hit,
    run_async,
    stored_counts,
    ua,
)

CLIENTS, HITS = 16, 30
FAST = {"COUNTER_RATE_PER_SEC": "100000", "COUNTER_RATE_BURST": "100000"}


async def _client(url: str, n: int, paths: list[str], results: list, stop_on_error=False):
    headers = {"User-Agent": ua(n), "Content-Type": "text/plain"}
    # plain http on loopback: verify=False skips loading the CA bundle for each client
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10, verify=False) as http:
        for path in paths:
            try:
                r = await http.post("/api/v1/hit", content=json.dumps({"p": path}))
            except httpx.HTTPError:
                if stop_on_error:
                    return
                raise
            results.append((r.status_code, r.status_code == 200 and r.json()["counted"]))


async def _load(url: str, per_client: int, stop_on_error=False, results=None) -> list:
    results = [] if results is None else results
    await asyncio.gather(
        *(
            _client(
                url,
                n,
                [ARTICLES[(n * 7 + j) % len(ARTICLES)] for j in range(per_client)],
                results,
                stop_on_error,
            )
            for n in range(CLIENTS)
        )
    )
    return results


def test_concurrent_hits_are_counted_exactly(store_env, service_process):
    env = {**store_env, **FAST}
    svc = service_process(env)
    results = run_async(_load(svc.url, HITS))
    # each client also reloads its first page: not another view
    again = run_async(_load(svc.url, 1))
    assert {code for code, _ in results + again} == {200}
    accepted = sum(1 for _, counted in results + again if counted)
    assert accepted == CLIENTS * HITS
    assert svc.terminate()
    views, visits, per_path = stored_counts(env)
    assert views == accepted
    assert visits == CLIENTS
    assert per_path[ARTICLES[0]] == 1 and max(per_path.values()) <= CLIENTS


def test_sigterm_under_load_loses_nothing(store_env, service_process):
    env = {**store_env, **FAST, "COUNTER_FLUSH_INTERVAL": "2"}
    svc = service_process(env)

    async def scenario():
        results: list = []
        load = asyncio.create_task(_load(svc.url, 2000, stop_on_error=True, results=results))
        deadline = time.monotonic() + 10
        while len(results) < 400 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        svc.proc.send_signal(signal.SIGTERM)  # mid-load: 16 requests in flight
        return await load

    results = run_async(scenario())
    assert svc.graceful(svc.proc.wait(20))
    accepted = sum(1 for _, counted in results if counted)
    assert accepted >= 400  # the load really ran when the signal arrived
    views, _visits, _ = stored_counts(env)
    assert views == accepted


def test_kill_9_loses_at_most_the_unflushed_batch(store_env, service_process):
    env = {**store_env, **FAST, "COUNTER_FLUSH_INTERVAL": "30"}
    svc = service_process(env)
    run_async(_load(svc.url, 5))  # 80 views, pending (the flush interval is 30 s)
    # the snapshot export flushes first
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert httpx.get(svc.url + "/api/v1/snapshot", headers=auth).status_code == 200
    run_async(_load(svc.url, 10))  # 80 more views, still in memory
    svc.proc.send_signal(signal.SIGKILL)
    svc.proc.wait(10)
    views, _, _ = stored_counts(env)
    assert views == CLIENTS * 5  # exactly what had been flushed; the pending batch is lost


def test_redis_outage_serves_last_numbers_and_recovers(tmp_path, make_live):
    server = RedisServer(tmp_path, persistent=True)
    if server.binary is None:
        pytest.skip("redis-server binary not found (CI installs it: apt-get install redis-server)")
    server.start()
    try:
        c = make_live(COUNTER_STORE=server.url, **FAST)
        for i in range(5):
            assert hit(c, ARTICLES[i], agent=ua(i)).status_code == 200
        flush(c)
        assert c.get("/healthz").json()["status"] == "ok"

        server.stop()
        assert not c.flush()  # the store is down
        health = c.get("/healthz").json()
        assert (health["status"], health["store_ok"]) == ("degraded", False)
        for i in range(5, 10):  # still counting, in memory
            body = hit(c, ARTICLES[0], agent=ua(i)).json()
            assert body["counted"]
        assert body["views"] == 6 and body["site"]["total"] == 10  # last known + memory
        stats = c.get("/api/v1/stats", params={"paths": ARTICLES[0]}).json()
        assert stats["views"] == {ARTICLES[0]: 6} and stats["site"]["today"] == 10
        time.sleep(0.5)  # several failed flush rounds
        assert c.get("/healthz").json()["unflushed_views"] == 5

        server.start()  # same port, same data directory (appendonly)
        deadline = time.monotonic() + 10
        while c.get("/healthz").json()["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.get("/healthz").json() | {"last_flush": None} == {
            "status": "ok",
            "store": "redis",
            "store_ok": True,
            "numbers_known": True,
            "manifest_paths": len(ARTICLES) + 1,
            "unflushed_views": 0,
            "visitors_in_memory": 10,
            "visitors_forgotten": 0,
            "last_flush": None,
            "last_error": None,
        }
        env = {"COUNTER_STORE": server.url, "COUNTER_REDIS_PREFIX": "ctr:"}
        views, visits, per_path = stored_counts(env)
        assert (views, visits, per_path[ARTICLES[0]]) == (10, 10, 6)
    finally:
        server.stop()


def test_store_down_at_shutdown_spills_and_replays(tmp_path, make_live):
    server = RedisServer(tmp_path, persistent=True)
    if server.binary is None:
        pytest.skip("redis-server binary not found (CI installs it: apt-get install redis-server)")
    server.start()
    try:
        c = make_live(COUNTER_STORE=server.url, **FAST)
        hit(c, ARTICLES[0])
        flush(c)
        server.stop()
        for i in range(3):
            hit(c, ARTICLES[1], agent=ua(i))
        c.close()  # graceful stop while Redis is down: the batch goes to the spill file
        spill = tmp_path / "spill.json"
        assert spill.exists()
        server.start()
        c2 = make_live(COUNTER_STORE=server.url, **FAST)
        assert not spill.exists()  # replayed and removed
        stats = c2.get("/api/v1/stats", params={"paths": ARTICLES[1]}).json()
        assert stats["views"] == {ARTICLES[1]: 3}
        c2.close()
        views, visits, _ = stored_counts(
            {"COUNTER_STORE": server.url, "COUNTER_REDIS_PREFIX": "ctr:"}
        )
        assert (views, visits) == (4, 4)
    finally:
        server.stop()
