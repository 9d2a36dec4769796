"""Helpers shared by the counter tests (servers, clients, store readers); fixtures that use
them live in conftest.py."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from counter.app import create_app

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
ADMIN_TOKEN = "test-admin-token-0123456789"
ARTICLES = [f"/tin-tuc/bai-viet-{i}.html" for i in range(400)]
REDIS_MISSING = "redis-server binary not found (CI installs it with: apt-get install redis-server)"


def run_async(coro):
    """asyncio.run() in a thread of its own.

    Playwright's sync API leaves an event loop marked as running in the main thread for the
    rest of the session, so a plain asyncio.run() there fails when the browser tests ran first.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ua(n: int | str) -> str:
    """A distinct, human-looking user agent per simulated visitor."""
    return BROWSER_UA.replace("Safari/537.36", f"Safari/537.36 Edg/131.0.{n}")


class RedisServer:
    """A real redis-server on 127.0.0.1, started and stopped by the tests."""

    def __init__(self, workdir: Path, persistent: bool = False) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.workdir = workdir
        self.persistent = persistent
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir"]
        args += [str(self.workdir), "--save", "", "--protected-mode", "yes"]
        args += (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else [
                "--appendonly",
                "no",
            ]
        )
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        import redis

        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
        self.proc = None


class LiveServer:
    """The app on a real uvicorn in a background thread, with an HTTP client to it."""

    def __init__(self, settings) -> None:
        self.app = create_app(settings)
        self.counter = self.app.state.counter
        self.port = free_port()
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            access_log=False,
            log_level="warning",
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("in-process counter did not start")
            time.sleep(0.02)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    def get(self, url: str, **kw) -> httpx.Response:
        return self.http.get(url, **kw)

    def post(self, url: str, **kw) -> httpx.Response:
        return self.http.post(url, **kw)

    def request(self, method: str, url: str, **kw) -> httpx.Response:
        return self.http.request(method, url, **kw)

    def call(self, coro_fn, *args):
        """Run a coroutine of the service on the server's event loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coro_fn(*args), self.counter.loop).result(30)

    def flush(self) -> bool:
        return self.call(self.counter.flush)

    def close(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(30)


def flush(client: LiveServer) -> None:
    """Write the pending batch now (instead of waiting for the flush interval)."""
    assert client.flush()


def hit(client, path: str, agent: str = BROWSER_UA, **headers) -> httpx.Response:
    return client.post(
        "/api/v1/hit",
        content=json.dumps({"p": path}),
        headers={"User-Agent": agent, "Content-Type": "text/plain", **headers},
    )


class ServiceProcess:
    """``python -m counter`` as a subprocess on a free loopback port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full = {**os.environ, **env, "PYTHONPATH": str(ROOT), "COUNTER_LOG_LEVEL": "warning"}
        self.log_path = log
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "counter", "--port", str(self.port)],
            cwd=ROOT,
            env=full,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"counter exited: {log.read_text()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=0.5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("counter did not start")

    def terminate(self, timeout: float = 20) -> bool:
        """SIGTERM, then True if the process shut down gracefully."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.graceful(self.proc.wait(timeout))

    def graceful(self, code: int) -> bool:
        # a clean stop exits 0 (uvicorn's re-raised signal is absorbed by counter.__main__)
        self.log.close()
        text = self.log_path.read_text()
        return code == 0 and "Traceback" not in text


def stored_counts(env: dict[str, str]) -> tuple[int, int, dict[str, int]]:
    """(views, visits, views per path) as written in the store, read without the service."""
    url = env["COUNTER_STORE"]
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite:///") :])
        views = dict(conn.execute("SELECT path, views FROM page_total"))
        visits = conn.execute("SELECT COALESCE(SUM(visits), 0) FROM site_day").fetchone()[0]
        day_views = conn.execute("SELECT COALESCE(SUM(views), 0) FROM page_day").fetchone()[0]
        conn.close()
        assert day_views == sum(views.values())
        return sum(views.values()), visits, views
    import redis

    r = redis.Redis.from_url(url)
    p = env["COUNTER_REDIS_PREFIX"]
    views = {k.decode(): int(v) for k, v in r.hgetall(p + "views").items()}
    visits = int(r.get(p + "visits_all") or 0)
    r.close()
    return sum(views.values()), visits, views
