"""Service settings from ``COUNTER_*`` environment variables, validated once at start.

Every setting has a default that runs the service on loopback with SQLite and no set-up.
``load_settings`` collects every problem and raises one SettingsError that lists them all,
so an operator fixes the configuration in one go.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# name: (default, description) -- the README's settings table mirrors this.
DEFAULTS: dict[str, tuple[str, str]] = {
    "COUNTER_STORE": ("sqlite:///var/counter.sqlite3", "sqlite:///path or redis://host:port/db"),
    "COUNTER_HOST": ("127.0.0.1", "address uvicorn listens on"),
    "COUNTER_PORT": ("8001", "port uvicorn listens on"),
    "COUNTER_MANIFEST": ("output/counter-paths.json", "JSON manifest of countable paths"),
    "COUNTER_ALLOWED_ORIGINS": (
        "http://127.0.0.1:8000,http://localhost:8000",
        "comma-separated site origins allowed by CORS",
    ),
    "COUNTER_ADMIN_TOKEN": ("", "bearer token for POST /api/v1/seed; empty disables import"),
    "COUNTER_TIMEZONE": ("Asia/Ho_Chi_Minh", "time zone of 'today'"),
    "COUNTER_ONLINE_WINDOW": ("300", "seconds a visitor stays 'online' after a hit"),
    "COUNTER_VISIT_TIMEOUT": ("1800", "seconds of inactivity that end a visit"),
    "COUNTER_FLUSH_INTERVAL": ("2", "seconds between flushes of the in-memory batch"),
    "COUNTER_RATE_PER_SEC": ("4", "per-visitor hits per second (token bucket rate)"),
    "COUNTER_RATE_BURST": ("10", "per-visitor burst (token bucket size)"),
    "COUNTER_ADDRESS_NEW_VISITORS": (
        "50",
        "new visitors counted per client address (IPv6: per /64) at once, then per hour",
    ),
    "COUNTER_MAX_VISITORS": ("20000", "visitors held in memory at most (oldest forgotten first)"),
    "COUNTER_RESPECT_DNT": ("0", "1 to treat DNT: 1 like Sec-GPC: 1"),
    "COUNTER_REDIS_PREFIX": ("ctr:", "prefix of every Redis key"),
    "COUNTER_SPILL_PATH": (
        "var/counter-pending.json",
        "where a batch the store refused at shutdown is kept until the next start",
    ),
    "COUNTER_FORWARDED_ALLOW_IPS": (
        "127.0.0.1",
        "proxies whose X-Forwarded-For uvicorn trusts",
    ),
    "COUNTER_LOG_LEVEL": ("info", "debug, info, warning or error"),
}


BOOLEANS = ("0", "1", "true", "false", "yes", "no", "on", "off", "")


class SettingsError(ValueError):
    """Invalid configuration; the message lists every problem found."""


@dataclass(frozen=True)
class Settings:
    store: str = DEFAULTS["COUNTER_STORE"][0]
    host: str = "127.0.0.1"
    port: int = 8001
    manifest: Path = Path(DEFAULTS["COUNTER_MANIFEST"][0])
    allowed_origins: tuple[str, ...] = ("http://127.0.0.1:8000", "http://localhost:8000")
    admin_token: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    online_window: float = 300.0
    visit_timeout: float = 1800.0
    flush_interval: float = 2.0
    rate_per_sec: float = 4.0
    rate_burst: int = 10
    address_new_visitors: int = 50
    max_visitors: int = 20_000
    respect_dnt: bool = False
    redis_prefix: str = "ctr:"
    spill_path: Path = Path(DEFAULTS["COUNTER_SPILL_PATH"][0])
    forwarded_allow_ips: str = "127.0.0.1"
    log_level: str = "info"
    tz: ZoneInfo = field(default=ZoneInfo("Asia/Ho_Chi_Minh"), compare=False, repr=False)

    @property
    def store_kind(self) -> str:
        return urlsplit(self.store).scheme

    def with_(self, **changes) -> Settings:
        """A copy with some fields changed, re-validated."""
        return validate(replace(self, **changes))


def sqlite_path(url: str) -> Path:
    """``sqlite:///rel/path`` -> rel/path, ``sqlite:////abs/path`` -> /abs/path."""
    if not url.startswith("sqlite:///"):
        raise SettingsError(f"not a SQLite URL: {url!r}")
    return Path(url[len("sqlite:///") :])


def _number(env, name, kind, problems, minimum, maximum):
    raw = env.get(name, DEFAULTS[name][0]).strip()
    try:
        value = kind(raw)
    except ValueError:
        problems.append(f"{name}={raw!r} is not a {'whole ' if kind is int else ''}number")
        return kind(DEFAULTS[name][0])
    if not minimum <= value <= maximum:
        problems.append(f"{name}={raw!r} must be between {minimum} and {maximum}")
    return value


def _check_store(url: str, problems: list[str]) -> None:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if not url.startswith("sqlite:///") or len(url) <= len("sqlite:///"):
            problems.append(
                f"COUNTER_STORE={url!r}: write sqlite:///relative/path or sqlite:////absolute/path"
            )
    elif parts.scheme in ("redis", "rediss"):
        try:
            port = parts.port
        except ValueError:
            port = -1
        if not parts.hostname or port == -1:
            problems.append(f"COUNTER_STORE={url!r}: write redis://host:port/db")
        db = parts.path.strip("/")
        if db and not db.isdigit():
            problems.append(f"COUNTER_STORE={url!r}: the Redis database must be a number")
    else:
        problems.append(
            f"COUNTER_STORE={url!r}: the scheme must be sqlite:// or redis:// "
            "(e.g. sqlite:///var/counter.sqlite3 or redis://127.0.0.1:6379/0)"
        )


def validate(s: Settings) -> Settings:
    """Check cross-field rules and resolve the time zone; raise SettingsError listing problems."""
    problems: list[str] = []
    _check_store(s.store, problems)
    try:
        tz = ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"COUNTER_TIMEZONE={s.timezone!r} is not a known IANA time zone")
        tz = ZoneInfo("Asia/Ho_Chi_Minh")
    for origin in s.allowed_origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            problems.append(
                f"COUNTER_ALLOWED_ORIGINS: {origin!r} is not an origin like https://sogtvt.example.vn"
            )
    if s.admin_token and len(s.admin_token) < 16:
        problems.append("COUNTER_ADMIN_TOKEN must be at least 16 characters (or empty to disable)")
    if s.log_level not in ("debug", "info", "warning", "error"):
        problems.append(f"COUNTER_LOG_LEVEL={s.log_level!r} must be debug, info, warning or error")
    if s.online_window > s.visit_timeout:
        problems.append("COUNTER_ONLINE_WINDOW must not be longer than COUNTER_VISIT_TIMEOUT")
    if not 0 < s.port < 65536:
        problems.append(f"COUNTER_PORT={s.port} must be between 1 and 65535")
    if not 0.05 <= s.flush_interval <= 60:
        problems.append("COUNTER_FLUSH_INTERVAL must be between 0.05 and 60 seconds")
    if problems:
        raise SettingsError("invalid counter settings:\n  - " + "\n  - ".join(problems))
    return replace(s, tz=tz, allowed_origins=tuple(o.rstrip("/") for o in s.allowed_origins))


def load_settings(env: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Settings from ``env`` (default: os.environ), then keyword overrides (command-line flags)."""
    env = os.environ if env is None else env
    problems: list[str] = []

    def text(name: str) -> str:
        return env.get(name, DEFAULTS[name][0]).strip()

    settings = Settings(
        store=text("COUNTER_STORE"),
        host=text("COUNTER_HOST"),
        port=_number(env, "COUNTER_PORT", int, problems, 1, 65535),
        manifest=Path(text("COUNTER_MANIFEST")),
        allowed_origins=tuple(o.strip() for o in text("COUNTER_ALLOWED_ORIGINS").split(",") if o),
        admin_token=env.get("COUNTER_ADMIN_TOKEN", ""),
        timezone=text("COUNTER_TIMEZONE"),
        online_window=_number(env, "COUNTER_ONLINE_WINDOW", float, problems, 10, 86400),
        visit_timeout=_number(env, "COUNTER_VISIT_TIMEOUT", float, problems, 60, 86400),
        flush_interval=_number(env, "COUNTER_FLUSH_INTERVAL", float, problems, 0.05, 60),
        rate_per_sec=_number(env, "COUNTER_RATE_PER_SEC", float, problems, 0.01, 1e6),
        rate_burst=_number(env, "COUNTER_RATE_BURST", int, problems, 1, 1_000_000),
        address_new_visitors=_number(
            env, "COUNTER_ADDRESS_NEW_VISITORS", int, problems, 1, 1_000_000
        ),
        max_visitors=_number(env, "COUNTER_MAX_VISITORS", int, problems, 100, 10_000_000),
        respect_dnt=text("COUNTER_RESPECT_DNT").lower() in ("1", "true", "yes", "on"),
        redis_prefix=text("COUNTER_REDIS_PREFIX"),
        spill_path=Path(text("COUNTER_SPILL_PATH")),
        forwarded_allow_ips=text("COUNTER_FORWARDED_ALLOW_IPS"),
        log_level=text("COUNTER_LOG_LEVEL").lower(),
    )
    if text("COUNTER_RESPECT_DNT").lower() not in (
        "0",
        "1",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "",
    ):
        problems.append("COUNTER_RESPECT_DNT must be 0 or 1")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if overrides:
        settings = replace(settings, **overrides)
    try:
        settings = validate(settings)
    except SettingsError as exc:
        problems.extend(str(exc).split("\n  - ")[1:])
    if problems:
        raise SettingsError("invalid counter settings:\n  - " + "\n  - ".join(problems))
    return settings
