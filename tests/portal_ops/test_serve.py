"""`invoke serve` for real: the page carries the live-reload script, a save shows the saved
post, rebuilds and tells the browser to reload, and a broken save keeps the last good site
up."""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

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
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "PORTAL_CONTENT": str(content),
        "PORTAL_OUTPUT": str(tmp_path / "output"),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "invoke", "serve", "--port", str(port), "--no-counter"]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    text = lambda: log.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    try:
        _wait_for(lambda: "Bản đầu tiên" in _fetch(f"http://127.0.0.1:{port}/"), 60, "site", text)
        yield {"port": port, "post": post, "log": text}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _reloads(port: int) -> queue.Queue:
    """Listen like the page's script does: each ``reload`` event lands in the queue."""
    events: queue.Queue = queue.Queue()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/__live/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def read() -> None:
        for line in response:
            if line.strip() == b"data: reload":
                events.put(time.monotonic())

    threading.Thread(target=read, daemon=True).start()
    return events


def test_save_shows_the_post_rebuilds_and_reloads_and_a_broken_save_keeps_the_site(served):
    base = f"http://127.0.0.1:{served['port']}"
    home = _fetch(base + "/")
    assert '<script src="/__live/reload.js" defer></script>' in home
    assert "EventSource" in _fetch(base + "/__live/reload.js")
    assert f'href="{base}/' in home  # SITEURL follows --port
    article = base + "/2023/09/ban-dau-tien/"
    assert "Bản đầu tiên" in _fetch(article)

    reloads = _reloads(served["port"])
    served["post"].write_text(
        POST.format(title="Bản đầu tiên", date="12/09/2023 08:00").replace(
            "Nội dung.", "Nội dung đã sửa."
        ),
        encoding="utf-8",
    )
    reloads.get(timeout=60)  # the saved post first
    assert "Nội dung đã sửa." in _fetch(article)
    reloads.get(timeout=60)  # then the rest of the site
    _wait_for(lambda: "Dựng lại xong" in served["log"](), 10, "the build", served["log"])
    assert "Đã hiển thị bài vừa lưu" in served["log"]()

    new_post = served["post"].with_name("moi.md")
    new_post.write_text(POST.format(title="Bài mới", date="13/09/2023 08:00"), encoding="utf-8")
    reloads.get(timeout=60)  # a new post: its own page first
    assert "Bài mới" in _fetch(base + "/2023/09/bai-moi/")
    reloads.get(timeout=60)  # then the build shows it everywhere
    assert "Bài mới" in _fetch(base + "/")

    served["post"].write_text(POST.format(title="Hỏng", date="32/09/2023"), encoding="utf-8")
    _wait_for(lambda: "không phải ngày có thật" in served["log"](), 60, "the error", served["log"])
    _wait_for(lambda: "bản dựng tốt gần nhất" in served["log"](), 10, "the summary", served["log"])
    assert "KHÔNG THÀNH CÔNG" in served["log"]()
    assert "Nội dung đã sửa." in _fetch(article)  # the last good site is still served
    assert reloads.empty()


def test_a_busy_port_is_said_at_once_without_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "invoke", "serve", "--port", str(port), "--no-counter"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PORTAL_CONTENT": str(tmp_path / "content"),
                 "PORTAL_OUTPUT": str(tmp_path / "output")},
        )  # fmt: skip
    said = run.stdout + run.stderr
    assert run.returncode == 1, said
    assert f"Không mở được cổng {port}" in said and "--port" in said, said
    assert "Traceback" not in said and "Đang dựng" not in said, said  # before any build
