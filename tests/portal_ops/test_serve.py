"""`invoke serve` for real: the page carries the live-reload script, a save rebuilds and
tells the browser to reload, and a broken save keeps the last good site up."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

from tests.conftest import ROOT

POST = """\
Title: {title}
Date: {date}
Unit: Văn phòng Sở
Category: Thông báo

Nội dung.
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float, what: str, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; serve printed:\n{log()}")


@pytest.fixture
def served(tmp_path):
    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    for name in ("units.yml", "categories.yml"):
        shutil.copy(ROOT / "content" / name, content / name)
    post = content / "posts/bai.md"
    post.write_text(POST.format(title="Bản đầu tiên", date="12/09/2023 08:00"), encoding="utf-8")
    port, liveport = _free_port(), _free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "PORTAL_CONTENT": str(content),
        "PORTAL_OUTPUT": str(tmp_path / "output"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "invoke", "serve", "--port", str(port)]
    command += ["--liveport", str(liveport), "--no-counter"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    text = lambda: log.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    try:
        _wait_for(lambda: "Bản đầu tiên" in _fetch(f"http://127.0.0.1:{port}/"), 60, "site", text)
        yield {"port": port, "liveport": liveport, "post": post, "log": text}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def _reload_after(liveport: int, change) -> dict:
    """Connect like livereload.js does, make the change, return the next message."""
    socket_ = await websocket_connect(f"ws://127.0.0.1:{liveport}/livereload")
    hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
    socket_.write_message(json.dumps(hello))
    assert json.loads(await socket_.read_message())["command"] == "hello"
    socket_.write_message(json.dumps({"command": "info", "url": "http://test/", "plugins": {}}))
    change()
    while True:
        message = json.loads(await socket_.read_message())
        if message.get("command") == "reload":
            socket_.close()
            return message


def test_save_rebuilds_and_reloads_and_a_broken_save_keeps_the_site(served):
    base = f"http://127.0.0.1:{served['port']}"
    home = _fetch(base + "/")
    assert f"var port={served['liveport']};" in home and "livereload.js" in home
    assert f'href="{base}/' in home  # SITEURL follows --port

    def edit():
        time.sleep(1.1)  # a new mtime second: the watcher compares mtimes
        served["post"].write_text(
            POST.format(title="Bản đã sửa", date="12/09/2023 08:00"), encoding="utf-8"
        )

    message = IOLoop.current().run_sync(lambda: _reload_after(served["liveport"], edit), timeout=60)
    assert message["command"] == "reload"
    assert "Bản đã sửa" in _fetch(base + "/")

    time.sleep(1.1)
    served["post"].write_text(POST.format(title="Hỏng", date="32/09/2023"), encoding="utf-8")
    _wait_for(lambda: "không phải ngày có thật" in served["log"](), 60, "the error", served["log"])
    _wait_for(lambda: "bản dựng tốt gần nhất" in served["log"](), 10, "the summary", served["log"])
    assert "KHÔNG THÀNH CÔNG" in served["log"]()
    assert "Bản đã sửa" in _fetch(base + "/")  # the last good site is still served
