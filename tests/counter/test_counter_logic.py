"""Unit tests of the pure counting logic: paths, privacy, visit rules, rate limit, manifest,
bots, batches, settings and the build-side snapshot/manifest functions."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from counter.batch import Batch
from counter.bots import is_bot, is_prefetch
from counter.manifest import Manifest, ManifestError, parse_manifest
from counter.paths import PathError, normalize_path
from counter.privacy import SaltKeeper, new_salt, opted_out, visitor_key
from counter.ratelimit import RateLimiter
from counter.settings import SettingsError, load_settings, sqlite_path
from counter.snapshot import SnapshotError, read_snapshot, url_to_path, write_manifest
from counter.visits import VisitTracker, local_day

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = 1_795_000_000.0


# -- paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/tin-tuc/a.html", "/tin-tuc/a.html"),
        ("/tin-tuc/index.html", "/tin-tuc/"),
        ("/index.html", "/"),
        ("/a.html?utm=1#top", "/a.html"),
    ],
)
def test_normalize_path(raw, expected):
    assert normalize_path(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "a.html", "//evil.example/x", "/a\nb", "/a/../b", "/" + "x" * 600, "/\ud800", 5, None],
)
def test_normalize_path_refuses(raw):
    with pytest.raises(PathError):
        normalize_path(raw)


# -- privacy -------------------------------------------------------------------------------


def test_visitor_key_is_keyed_and_short():
    salt = new_salt()
    key = visitor_key(salt, "203.113.1.2", "Mozilla/5.0")
    assert len(key) == 8
    assert key == visitor_key(salt, "203.113.1.2", "Mozilla/5.0")
    assert key != visitor_key(new_salt(), "203.113.1.2", "Mozilla/5.0")
    assert key != visitor_key(salt, "203.113.1.3", "Mozilla/5.0")
    assert key != visitor_key(salt, "203.113.1.2", "Mozilla/5.1")
    # IP and UA must not be separable by moving the boundary between them
    assert visitor_key(salt, "1.2.3.4", "5x") != visitor_key(salt, "1.2.3.45", "x")
    with pytest.raises(ValueError):
        visitor_key(b"short", "1.2.3.4", "ua")


def test_salt_is_random_per_day_and_forgotten():
    keeper = SaltKeeper()
    day1 = keeper.salt("2026-11-21")
    assert keeper.salt("2026-11-21") == day1
    day2 = keeper.salt("2026-11-22")
    assert day2 != day1
    assert keeper.days() == ["2026-11-22"]  # yesterday's salt is gone
    assert SaltKeeper().salt("2026-11-22") != day2  # not derived from the date


def test_opt_out_signals():
    assert opted_out({"sec-gpc": "1"})
    assert not opted_out({"sec-gpc": "0"})
    assert not opted_out({"dnt": "1"})
    assert opted_out({"dnt": "1"}, respect_dnt=True)


# -- visit rules ---------------------------------------------------------------------------


def test_visit_and_view_rules():
    t = VisitTracker(visit_timeout=1800, online_window=300, view_window=1800)
    a, b = b"visitor-a", b"visitor-b"
    d = t.observe(a, "/x.html", T0)
    assert (d.new_visit, d.count_view) == (True, True)
    d = t.observe(a, "/x.html", T0 + 60)  # reload: same visit, not another view
    assert (d.new_visit, d.count_view) == (False, False)
    d = t.observe(a, "/y.html", T0 + 120)  # another article in the same visit
    assert (d.new_visit, d.count_view) == (False, True)
    d = t.observe(a, "/y.html", T0 + 120 + 1799)  # activity keeps the visit alive
    assert (d.new_visit, d.count_view) == (False, False)
    d = t.observe(a, "/x.html", T0 + 120 + 1799 + 1801)  # 30 min idle: new visit, new view
    assert (d.new_visit, d.count_view) == (True, True)
    assert t.observe(b, "/x.html", T0 + 4000).new_visit


def test_online_counts_distinct_visitors_in_window():
    t = VisitTracker(online_window=300)
    for i in range(5):
        t.observe(f"v{i}".encode(), "/x.html", T0 + i)
    t.observe(b"v0", "/y.html", T0 + 10)
    assert t.online(T0 + 10) == 5
    assert t.online(T0 + 302.5) == 3  # v1 (T0+1) and v2 (T0+2) idle for more than 5 min
    assert t.online(T0 + 311) == 0
    assert t.size() == 5 + 6  # 5 visitors, 6 (visitor, page) views: kept for 30 min
    t.online(T0 + 4000)
    assert t.size() == 0  # and forgotten after it


def test_today_is_local_to_ho_chi_minh():
    before = datetime(2026, 11, 22, 16, 59, 59, tzinfo=UTC).timestamp()  # 23:59:59 +07
    after = datetime(2026, 11, 22, 17, 0, 0, tzinfo=UTC).timestamp()  # 00:00:00 +07
    assert local_day(before, HCM) == "2026-11-22"
    assert local_day(after, HCM) == "2026-11-23"
    assert local_day(before, HCM) == "2026-11-22"  # the cached day bounds are checked both ways
    assert local_day(after - 1e-3, HCM) == "2026-11-22"


# -- rate limit ----------------------------------------------------------------------------


def test_token_bucket():
    rl = RateLimiter(rate=4, burst=10)
    assert all(rl.allow(b"k", T0) for _ in range(10))
    assert not rl.allow(b"k", T0)
    assert rl.allow(b"other", T0)  # per visitor
    assert rl.allow(b"k", T0 + 0.25)  # one token back after 1/rate s
    assert not rl.allow(b"k", T0 + 0.25)
    rl.allow(b"z", T0 + 100)
    assert len(rl) == 1  # idle, full buckets are dropped
    with pytest.raises(ValueError):
        RateLimiter(rate=0)


# -- manifest ------------------------------------------------------------------------------


def test_manifest_reloads_on_change_and_keeps_last_good(tmp_path):
    path = tmp_path / "m.json"
    m = Manifest(path, check_every=0)
    assert "/a.html" not in m and not m.loaded  # missing file: nothing countable
    write_manifest(["/a.html"], path)
    assert "/a.html" in m
    write_manifest(["/a.html", "b/index.html"], path)
    assert "/b/" in m
    path.write_text("{not json")
    assert "/b/" in m  # broken file: previous set kept
    path.write_text(json.dumps(["/c.html"]))  # a plain list is accepted too
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert "/c.html" in m and "/a.html" not in m


def test_parse_manifest_errors():
    with pytest.raises(ManifestError):
        parse_manifest('{"paths": "x"}')
    with pytest.raises(ManifestError):
        parse_manifest('["no-slash"]')


# -- bots ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "x" * 600,
    ],
)
def test_bots(agent):
    assert is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "coc_coc_browser/120.0.0 Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
        "Mobile Safari/537.36 Zalo android/12345 ZaloTheme/light ZaloLanguage/vi",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    ],
)
def test_people(agent):
    assert not is_bot(agent)


def test_prefetch_headers():
    assert is_prefetch({"sec-purpose": "prefetch;prerender"})
    assert is_prefetch({"x-moz": "prefetch"})
    assert is_prefetch({"purpose": "preview"})
    assert not is_prefetch({"accept": "*/*"})


# -- batches -------------------------------------------------------------------------------


def test_batch_absorb_keeps_the_visit_rule():
    older, newer = Batch(), Batch()
    older.add("2026-11-22", "/a.html", b"v", T0, view=True, new_visit=True)
    newer.add("2026-11-22", "/a.html", b"v", T0 + 2000, view=True, new_visit=True)
    newer.add("2026-11-22", "/b.html", b"w", T0 + 2000, view=True, new_visit=True)
    older.absorb(newer, visit_timeout=1800)
    assert older.views[("2026-11-22", "/a.html")] == 2
    assert older.by_path["/b.html"] == 1
    assert older.total_visits() == 3
    _day, first, last, extra = older.seen[b"v".hex()]
    assert (first, last, extra) == (T0, T0 + 2000, 1)  # the 2000 s gap is a second visit
    copy = Batch.from_json(older.to_json())
    assert copy.views == older.views and copy.seen == older.seen
    assert copy.batch_id == older.batch_id


def test_a_long_outage_folds_visitors_beyond_the_cap_into_overflow():
    backlog = Batch()
    for flush_round in range(5):  # five flushes while the store is down, 40 new visitors each
        newer = Batch()
        for i in range(40):
            vid = f"{flush_round}-{i}".encode()
            newer.add("2026-11-22", "/a.html", vid, T0 + flush_round, view=True, new_visit=True)
        backlog.absorb(newer, visit_timeout=1800, max_seen=100)
    assert len(backlog.seen) == 100 and sum(backlog.overflow.values()) == 100
    assert backlog.total_visits() == 200 and backlog.total_views() == 200
    assert b"0-0".hex() in backlog.seen  # the oldest visitors keep the shared visit rule
    copy = Batch.from_json(backlog.to_json())
    assert copy.overflow == backlog.overflow and copy.seen == backlog.seen


def test_redis_applies_overflow_visits_once(redis_server):
    import uuid

    from counter.stores.redis import RedisStore

    store = RedisStore(redis_server.url, prefix=f"o{uuid.uuid4().hex[:8]}:")
    batch = Batch()
    batch.add("2026-11-22", "/a.html", b"v", T0, view=True, new_visit=True)
    batch.overflow["2026-11-22"] += 7
    numbers = store.apply(batch, "2026-11-22", T0)
    assert (numbers.visits_total, numbers.today) == (8, 8)
    again = store.apply(batch, "2026-11-22", T0)  # a retry of the same batch
    assert (again.visits_total, again.views["/a.html"]) == (8, 1)
    store.close()


# -- settings ------------------------------------------------------------------------------


def test_default_settings_are_valid():
    s = load_settings({})
    assert s.store == "sqlite:///var/counter.sqlite3"
    assert (s.host, s.port, s.online_window, s.visit_timeout) == ("127.0.0.1", 8001, 300, 1800)
    assert s.tz == HCM
    assert sqlite_path("sqlite:////abs/c.db").as_posix() == "/abs/c.db"


def test_bad_settings_are_all_reported():
    env = {
        "COUNTER_STORE": "postgres://x",
        "COUNTER_PORT": "http",
        "COUNTER_FLUSH_INTERVAL": "0",
        "COUNTER_TIMEZONE": "Mars/Base",
        "COUNTER_ADMIN_TOKEN": "short",
        "COUNTER_ALLOWED_ORIGINS": "sogtvt.example.vn",
    }
    with pytest.raises(SettingsError) as info:
        load_settings(env)
    message = str(info.value)
    for name in env:
        assert name in message, name


def test_redis_url_checked():
    assert load_settings({"COUNTER_STORE": "redis://127.0.0.1:6379/2"}).store_kind == "redis"
    with pytest.raises(SettingsError, match="database must be a number"):
        load_settings({"COUNTER_STORE": "redis://127.0.0.1:6379/x"})


# -- build side ----------------------------------------------------------------------------


def test_write_manifest_normalises_and_dedups(tmp_path):
    dest = tmp_path / "out" / "counter-paths.json"
    n = write_manifest(["tin-tuc/a.html", "/tin-tuc/a.html", "https://x.vn/b/index.html"], dest)
    assert n == 2
    assert json.loads(dest.read_text())["paths"] == ["/b/", "/tin-tuc/a.html"]
    assert not [p for p in dest.parent.iterdir() if p.name.endswith(".tmp")]
    assert url_to_path("") == "/"


def test_read_snapshot_json(tmp_path):
    assert read_snapshot(tmp_path / "missing.json") is None
    path = tmp_path / "snap.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "asof": "2026-11-22T14:05:00+07:00",
                "site": {"online": 3, "today": 27, "total": 278872},
                "views": {"/a.html": 12, "/b/index.html": 4, "bad": 1, "/c.html": -1},
            }
        )
    )
    snap = read_snapshot(path)
    assert (snap.online, snap.today, snap.total) == (3, 27, 278872)
    assert snap.views == {"/a.html": 12, "/b/": 4}
    assert snap.asof.strftime("%H:%M %d/%m/%Y") == "14:05 22/11/2026"
    path.write_text("[1, 2")
    with pytest.raises(SnapshotError):
        read_snapshot(path)


def test_tracker_forgets_the_least_recently_active_beyond_its_cap():
    t = VisitTracker(max_visitors=3)
    for n, vid in enumerate([b"a", b"b", b"c", b"a", b"d"]):  # a is active again before d
        t.observe(vid, "/x.html", 1000.0 + n)
    assert t.visitors() == 3 and t.evicted == 1
    assert t.knows(b"a", 1005.0) and not t.knows(b"b", 1005.0)  # b was the idlest
    assert t.observe(b"b", "/x.html", 1006.0).new_visit  # forgotten: a new visit
    for i in range(100):
        t.observe(b"a", f"/p{i}.html", 1010.0)
    assert len(t._viewed) <= 3 * 4


def test_rate_limiter_holds_at_most_max_keys():
    rl = RateLimiter(rate=1, burst=1, max_keys=10)
    for i in range(100):
        assert rl.allow(str(i).encode(), 1000.0)
    assert len(rl) == 10
    assert rl.allow(b"0", 1000.0)  # dropped, so a fresh bucket: memory wins over precision


def test_address_key_groups_an_ipv6_64_and_unwraps_mapped_ipv4():
    from counter.privacy import address_key

    salt = b"s" * 16
    assert address_key(salt, "2001:db8::1") == address_key(salt, "2001:db8::ffff:1")
    assert address_key(salt, "2001:db8::1") != address_key(salt, "2001:db8:0:1::1")
    assert address_key(salt, "::ffff:203.0.113.9") == address_key(salt, "203.0.113.9")
    assert address_key(salt, "203.0.113.9") != address_key(salt, "203.0.113.10")
    assert address_key(salt, "not-an-ip") != address_key(b"t" * 16, "not-an-ip")
