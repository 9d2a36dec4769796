"""Fixtures for the counter tests: manifests, a real redis-server on a free loopback port,
settings for either store, the app served by a real uvicorn in a thread of the test process
(so tests can reach the service object) and the service as a subprocess (``python -m counter``).
Helpers are in counter_helpers.py.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from pathlib import Path

import pytest
from counter_helpers import (
    ADMIN_TOKEN,
    ARTICLES,
    REDIS_MISSING,
    LiveServer,
    RedisServer,
    ServiceProcess,
)

from counter.settings import load_settings
from counter.snapshot import write_manifest


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if shutil.which("redis-server") is None:
        pytest.skip(REDIS_MISSING)
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def manifest(tmp_path) -> Path:
    path = tmp_path / "counter-paths.json"
    write_manifest(["/", *ARTICLES], path)
    return path


@pytest.fixture
def base_env(tmp_path, manifest) -> dict[str, str]:
    """COUNTER_* variables every test shares (no store chosen yet)."""
    return {
        "COUNTER_MANIFEST": str(manifest),
        "COUNTER_ADMIN_TOKEN": ADMIN_TOKEN,
        "COUNTER_FLUSH_INTERVAL": "0.2",
        "COUNTER_SPILL_PATH": str(tmp_path / "spill.json"),
        "COUNTER_ALLOWED_ORIGINS": "https://sogtvt.example.vn",
    }


@pytest.fixture(params=["sqlite", "redis"])
def store_env(request, tmp_path, base_env) -> dict[str, str]:
    """The shared variables plus one store; each test gets a fresh database or key prefix."""
    env = dict(base_env)
    if request.param == "sqlite":
        env["COUNTER_STORE"] = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    else:
        server = request.getfixturevalue("redis_server")
        env["COUNTER_STORE"] = server.url
        env["COUNTER_REDIS_PREFIX"] = f"t{uuid.uuid4().hex[:8]}:"
    return env


@contextlib.contextmanager
def _live_servers(base: dict[str, str]):
    opened: list[LiveServer] = []

    def make(**env) -> LiveServer:
        server = LiveServer(load_settings({**base, **env}))
        opened.append(server)
        return server

    try:
        yield make
    finally:
        for server in opened:
            with contextlib.suppress(Exception):
                server.close()


@pytest.fixture
def make_client(store_env):
    """Start the service in-process on each store (lifespan runs), with setting overrides."""
    with _live_servers(store_env) as make:
        yield make


@pytest.fixture
def make_live(base_env):
    """Like make_client, but the test chooses the store (COUNTER_STORE=...)."""
    with _live_servers(base_env) as make:
        yield make


@pytest.fixture
def service_process(tmp_path):
    started: list[ServiceProcess] = []

    def start(env: dict[str, str]) -> ServiceProcess:
        proc = ServiceProcess(env, tmp_path / f"service-{len(started)}.log")
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait(5)
