"""API tests against the real app on a real uvicorn, for both stores (SQLite file, real Redis)."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from counter_helpers import ADMIN_TOKEN, ARTICLES, BROWSER_UA, flush, hit, ua

from counter.snapshot import read_snapshot, write_manifest

A, B = ARTICLES[0], ARTICLES[1]
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def test_hit_counts_views_and_visits(make_client):
    c = make_client()
    r = hit(c, A)
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "counted": True,
        "reason": None,
        "path": A,
        "views": 1,
        "site": {"online": 1, "today": 1, "total": 1},
    }
    assert "set-cookie" not in r.headers
    assert r.headers["cache-control"] == "no-store"
    again = hit(c, A).json()  # a reload within 30 min is not another view or visit
    assert (again["counted"], again["reason"], again["views"]) == (False, "repeat_view", 1)
    other = hit(c, B).json()  # another article in the same visit
    assert other["counted"] and other["site"]["total"] == 1
    second = hit(c, A, agent=ua(2)).json()  # another visitor
    assert second["views"] == 2 and second["site"] == {"online": 2, "today": 2, "total": 2}
    flush(c)
    stats = c.get("/api/v1/stats", params={"paths": f"{A},{B},/khong-co.html"}).json()
    assert stats == {
        "site": {"online": 2, "today": 2, "total": 2},
        "views": {A: 2, B: 1},
        "unknown": ["/khong-co.html"],
    }
    assert c.get("/api/v1/site").json() == {"site": {"online": 2, "today": 2, "total": 2}}
    health = c.get("/healthz").json()
    assert health["status"] == "ok" and health["unflushed_views"] == 0


def test_numbers_survive_a_restart(make_client):
    c = make_client()
    for i in range(3):
        hit(c, A, agent=ua(i))
    c.close()  # graceful stop flushes
    c2 = make_client()
    body = c2.get("/api/v1/stats", params={"paths": A}).json()
    assert body["views"] == {A: 3}
    assert body["site"]["total"] == 3 and body["site"]["today"] == 3


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}, "bot"),
        ({"User-Agent": "curl/8.5.0"}, "bot"),
        ({"Sec-GPC": "1"}, "opted_out"),
        ({"Sec-Purpose": "prefetch"}, "prefetch"),
    ],
)
def test_not_counted(make_client, headers, reason):
    c = make_client()
    hit(c, B)  # someone else, so numbers are known and non-zero
    r = c.post(
        "/api/v1/hit",
        content=json.dumps({"p": A}),
        headers={"User-Agent": BROWSER_UA, "Content-Type": "text/plain", **headers},
    )
    assert r.status_code == 200
    body = r.json()
    assert (body["counted"], body["reason"], body["views"]) == (False, reason, 0)
    assert body["site"]["total"] == 1  # numbers are still served
    flush(c)
    assert c.get("/api/v1/stats", params={"paths": A}).json()["views"] == {A: 0}


def test_webdriver_flag_is_a_bot(make_client):
    c = make_client()
    body = json.dumps({"p": A, "b": 1})
    r = c.post("/api/v1/hit", content=body, headers={"User-Agent": BROWSER_UA})
    assert r.json()["reason"] == "bot"


MALFORMED_HITS = [
    ('{"p": "/tin-tuc/bai-viet-0.html"}', {"User-Agent": ""}, 400, "empty_user_agent"),
    ('{"p": "/khong-co.html"}', {}, 404, "unknown_path"),
    ('{"p": "tin-tuc"}', {}, 400, "bad_path"),
    ('{"p": "/a\\u0000b"}', {}, 400, "bad_path"),
    ('{"p": 5}', {}, 400, "bad_request"),
    ("[1, 2]", {}, 400, "bad_request"),
    ("null", {}, 400, "bad_request"),
    ('{"p":', {}, 400, "bad_json"),
    ("[" * 2000, {}, 400, "bad_json"),
    ('{"p": "/\\ud800.html"}', {}, 400, "bad_path"),
    (b"\xff\xfe", {}, 400, "bad_json"),
    ("", {}, 400, "bad_json"),
    (
        '{"p": "/x"}',
        {"Content-Type": "application/x-www-form-urlencoded"},
        415,
        "unsupported_media_type",
    ),
    ('{"p": "' + "a" * 4000 + '"}', {}, 413, "body_too_large"),
    ('{"p": "/x"}', {"Origin": "https://evil.example"}, 403, "origin_not_allowed"),
]


def test_malformed_hits_get_clear_4xx(make_client):
    c = make_client()
    for body, headers, status, error in MALFORMED_HITS:
        sent = {"User-Agent": BROWSER_UA, "Content-Type": "text/plain", **headers}
        r = c.post("/api/v1/hit", content=body, headers=sent)
        case = f"{body[:40]!r} {headers}"
        assert r.status_code == status, case
        assert r.json()["error"] == error, case
        assert r.json()["message"], case


def test_malformed_queries_get_4xx(make_client):
    c = make_client()
    many = ",".join(ARTICLES[:101])
    assert c.get("/api/v1/stats", params={"paths": many}).status_code == 400
    assert c.get("/api/v1/stats", params={"paths": "no-slash"}).status_code == 400
    for method, url, status, error in [
        ("GET", "/api/v1/hit", 405, "method_not_allowed"),
        ("POST", "/api/v1/stats", 405, "method_not_allowed"),
        ("DELETE", "/api/v1/seed", 405, "method_not_allowed"),
        ("GET", "/api/v1/nothing", 404, "not_found"),
        ("POST", "/", 404, "not_found"),
    ]:
        r = c.request(method, url)
        assert r.status_code == status, (method, url)
        assert r.headers["content-type"] == "application/json", (method, url)
        assert r.json()["error"] == error and r.json()["message"], (method, url)
    assert c.get("/api/v1/hit").headers["allow"] == "POST"


def test_rate_limit_per_visitor(make_client):
    c = make_client(COUNTER_RATE_PER_SEC="0.01", COUNTER_RATE_BURST="3")
    codes = [hit(c, ARTICLES[i]).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    r = hit(c, ARTICLES[9])
    assert r.json()["error"] == "rate_limited" and r.headers["retry-after"] == "1"
    assert hit(c, ARTICLES[9], agent=ua("other")).status_code == 200  # other visitors unaffected
    flush(c)
    stats = c.get("/api/v1/stats", params={"paths": ",".join(ARTICLES[:10])}).json()
    assert sum(stats["views"].values()) == 4


def test_cors_is_limited_to_the_site(make_client):
    c = make_client()
    site = {"Origin": "https://sogtvt.example.vn"}
    r = hit(c, A, **site)
    assert r.headers["access-control-allow-origin"] == "https://sogtvt.example.vn"
    assert "access-control-allow-credentials" not in r.headers
    pre = c.request(
        "OPTIONS",
        "/api/v1/hit",
        headers={**site, "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 204 and "POST" in pre.headers["access-control-allow-methods"]
    evil = {"Origin": "https://evil.example"}
    assert c.request("OPTIONS", "/api/v1/hit", headers=evil).status_code == 403
    assert c.get("/api/v1/site", headers=evil).status_code == 403
    assert "access-control-allow-origin" not in c.get("/api/v1/site").headers


def test_seed_import_is_admin_only(make_client):
    c = make_client()
    payload = {"total": 278_000, "views": {A: 100, "/tin-tuc/bai-viet-1.html": 7}}
    assert c.post("/api/v1/seed", json=payload).status_code == 401
    wrong = {"Authorization": "Bearer wrong-token-wrong-token"}
    assert c.post("/api/v1/seed", json=payload, headers=wrong).status_code == 401
    bad = c.post("/api/v1/seed", json={"views": {"/cu/khong-co.html": 1}}, headers=AUTH)
    assert bad.status_code == 422 and bad.json()["paths"] == ["/cu/khong-co.html"]
    assert c.post("/api/v1/seed", json={"total": -1}, headers=AUTH).status_code == 400
    assert c.post("/api/v1/seed", json={"total": "1"}, headers=AUTH).status_code == 400
    assert c.post("/api/v1/seed", json={}, headers=AUTH).status_code == 400
    deep = c.post("/api/v1/seed", content="[" * 5000, headers=AUTH)
    assert deep.status_code == 400 and deep.json()["error"] == "bad_json"
    lone = c.post("/api/v1/seed", content='{"views": {"/\\udc00": 1}}', headers=AUTH)
    assert lone.status_code == 400 and lone.json()["error"] == "bad_path"
    hit(c, A)
    r = c.post("/api/v1/seed", json=payload, headers=AUTH)
    assert r.status_code == 200 and r.json()["imported"] == 2
    body = hit(c, A, agent=ua(9)).json()
    assert body["views"] == 100 + 2  # seed + counted views
    assert body["site"]["total"] == 278_000 + 2  # seed + visits
    # importing again replaces the seed (idempotent), it does not add
    c.post("/api/v1/seed", json=payload, headers=AUTH)
    flush(c)
    assert c.get("/api/v1/site").json()["site"]["total"] == 278_002


def test_seed_disabled_without_token(make_client):
    c = make_client(COUNTER_ADMIN_TOKEN="")
    r = c.post("/api/v1/seed", json={"total": 5}, headers=AUTH)
    assert r.status_code == 403 and r.json()["error"] == "admin_disabled"


def test_snapshot_export_and_build_reader(make_client, store_env, tmp_path):
    c = make_client()
    c.post("/api/v1/seed", json={"total": 1000, "views": {B: 50}}, headers=AUTH)
    for i in range(3):
        hit(c, A, agent=ua(i))
    hit(c, B, agent=ua(0))
    assert c.get("/api/v1/snapshot").status_code == 401
    r = c.get("/api/v1/snapshot", headers=AUTH)
    assert r.status_code == 200
    data = r.json()
    assert data["site"] == {"online": 3, "today": 3, "total": 1003}
    assert data["views"] == {A: 3, B: 51}
    datetime.fromisoformat(data["asof"]).astimezone(UTC)  # a real timestamp
    path = tmp_path / "counters-snapshot.json"
    path.write_text(r.text)
    snap = read_snapshot(path)
    assert (snap.online, snap.today, snap.total, snap.views) == (3, 3, 1003, {A: 3, B: 51})
    if store_env["COUNTER_STORE"].startswith("sqlite"):
        direct = read_snapshot(store_env["COUNTER_STORE"])
        assert (direct.online, direct.today, direct.total) == (None, 3, 1003)
        assert direct.views == {A: 3, B: 51}


def test_no_ip_or_user_agent_stored_or_logged(make_client, store_env, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0 UNIQUE-MARKER-7391"
    c = make_client()
    hit(c, A, agent=marker)
    hit(c, "/khong-co.html", agent=marker)
    c.close()
    service_logs = [r for r in caplog.records if r.name.startswith(("counter", "uvicorn"))]
    assert service_logs  # the manifest load at least: the check below is not vacuous
    logged = "\n".join(r.getMessage() for r in service_logs)
    assert "UNIQUE-MARKER" not in logged and "127.0.0.1" not in logged
    if store_env["COUNTER_STORE"].startswith("sqlite"):
        db = Path(store_env["COUNTER_STORE"][len("sqlite:///") :])
        files = (db, db.with_name(db.name + "-wal"))
        raw = b"".join(p.read_bytes() for p in files if p.exists())
        assert b"UNIQUE-MARKER" not in raw and b"127.0.0.1" not in raw
    else:
        import redis

        r = redis.Redis.from_url(store_env["COUNTER_STORE"])
        for key in r.scan_iter(store_env["COUNTER_REDIS_PREFIX"] + "*"):
            dump = r.dump(key) or b""
            assert b"UNIQUE-MARKER" not in dump and b"127.0.0.1" not in dump
        r.close()


def test_manifest_is_reloaded_when_the_build_rewrites_it(make_client, manifest):
    c = make_client()
    new = "/tin-tuc/bai-moi.html"
    assert hit(c, new).status_code == 404
    write_manifest(["/", *ARTICLES, new], manifest)
    deadline = time.monotonic() + 5
    while hit(c, new).status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert hit(c, new, agent=ua(1)).json()["views"] == 2


def test_rotating_the_user_agent_adds_only_a_few_visits(make_client):
    """One address cycling through user agents: N new visitors counted, then N per hour."""
    c = make_client(COUNTER_ADDRESS_NEW_VISITORS="5")
    bodies = [hit(c, ARTICLES[0], agent=ua(f"rot{i}")).json() for i in range(40)]
    assert [b["counted"] for b in bodies] == [True] * 5 + [False] * 35
    assert {b["reason"] for b in bodies[5:]} == {"too_many_visitors"}
    assert bodies[-1]["site"]["today"] == 5 and bodies[-1]["views"] == 5
    # the five counted visitors go on reading; another address is not affected
    assert hit(c, ARTICLES[1], agent=ua("rot0")).json()["counted"]
    other = {"X-Forwarded-For": "203.0.113.7"}  # trusted from the proxy on 127.0.0.1
    assert hit(c, ARTICLES[0], agent=ua("rot39"), **other).json()["counted"]
    # IPv6: the /64 is one address (one host gets a whole /64)
    for i in range(6):
        r = hit(c, ARTICLES[0], agent=BROWSER_UA, **{"X-Forwarded-For": f"2001:db8:1:2::{i + 1}"})
        assert r.json()["counted"] is (i < 5), i
    flush(c)
    assert c.get("/api/v1/site").json()["site"]["today"] == 11


def test_visitor_memory_is_capped(make_client):
    c = make_client(COUNTER_MAX_VISITORS="100", COUNTER_ADDRESS_NEW_VISITORS="100000")
    for i in range(350):  # a flood of made-up visitors
        assert hit(c, ARTICLES[i % 3], agent=ua(f"flood{i}")).json()["counted"]
    service = c.counter
    assert service.tracker.visitors() == 100 and service.tracker.evicted == 250
    assert len(service.limiter) <= 100 and len(service.address_limiter) <= 100
    assert service.tracker.size() <= 100 + 400
    health = c.get("/healthz").json()
    assert (health["visitors_in_memory"], health["visitors_forgotten"]) == (100, 250)
    assert c.get("/api/v1/site").json()["site"]["online"] >= 100  # Redis: all instances


def test_an_unexpected_error_is_a_json_500(make_live, tmp_path):
    c = make_live(COUNTER_STORE=f"sqlite:///{tmp_path / 'e.sqlite3'}")

    def broken(path):
        raise RuntimeError("simulated bug")

    c.counter.page_views = broken
    r = c.get("/api/v1/stats", params={"paths": A})
    assert r.status_code == 500 and r.json()["error"] == "internal_error"
    assert "simulated" not in r.text  # details go to the log, not to the visitor
