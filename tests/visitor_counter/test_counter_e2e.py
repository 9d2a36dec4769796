"""End to end in headless Chromium: a real counter service, a built site, the widget.

The site is served as in production: the production CSP, and ``/api/`` proxied to the
service on the site's own origin (deploy/nginx/portal.conf does the same). Opening an
article records a hit; the widget then shows the article's new count and the live
site figures. With the service stopped, the snapshot figures stay.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.browser_fixtures import SiteHandler, browser, serve  # noqa: F401
from tests.conftest import ROOT, TinySite

ARTICLE = "2023/09/hop-giao-ban-thang-9/"


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _ProxyingHandler(SiteHandler):
    """``/api/…`` goes to the counter service, like nginx's ``location /api/``."""

    upstream = ""

    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() in {"content-type", "origin", "user-agent"}
        }
        request = urllib.request.Request(
            self.upstream + self.path, data=body, headers=headers, method=self.command
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                status, payload, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            status, payload, kind = exc.code, exc.read(), exc.headers
        except OSError:
            status, payload, kind = 502, b"", {}
        self.send_response(status)
        self.send_header("Content-Type", kind.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path.startswith("/api/"):
            return self._proxy()
        return super().do_GET()

    def do_POST(self):
        if self.path.startswith("/api/"):
            return self._proxy()
        self.send_error(405)


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.fixture
def counted_site(tmp_path):
    """The site built for a served origin, with the widget pointing at a live service."""
    site_sock = _bound_socket()
    origin = f"http://127.0.0.1:{site_sock.getsockname()[1]}"
    api_port = _free_port()
    api = f"http://127.0.0.1:{api_port}/api/v1"
    site = TinySite(tmp_path / "site")
    site.post("a", title="Họp giao ban tháng 9")
    site.post("b", title="Thông báo lịch tiếp công dân", Date="14/09/2023 08:00")
    site.settings(f"SITEURL = {origin!r}\nCOUNTER_ENDPOINT = '/api/v1'\n")
    result = site.build()
    assert result.returncode == 0, result.log
    env = {
        **os.environ,
        "COUNTER_ALLOWED_ORIGINS": origin,
        "COUNTER_FLUSH_INTERVAL": "0.2",
    }
    service = subprocess.Popen(
        [
            sys.executable, "-m", "counter", "--host", "127.0.0.1", "--port", str(api_port),
            "--store", f"sqlite:///{tmp_path / 'counter.sqlite3'}",
            "--manifest", str(result.output / "counter-paths.json"),
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            _get_json(f"http://127.0.0.1:{api_port}/healthz")
            break
        except OSError:
            if service.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(service.stderr.read().decode()) from None
            time.sleep(0.1)
    handler = type("Handler", (_ProxyingHandler,), {"upstream": f"http://127.0.0.1:{api_port}"})
    server = serve(
        result.output, site_sock, functools.partial(handler, directory=str(result.output))
    )
    yield {"origin": origin, "api": api, "service": service}
    server.shutdown()
    server.server_close()
    if service.poll() is None:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=10)


def _views(api: str, path: str) -> int:
    return _get_json(f"{api}/stats?paths={path}")["views"].get(path, 0)


#: Headless Chromium says so in its user agent and in navigator.webdriver, and the
#: service rightly counts neither; the test plays a person's browser.
PERSON_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


def _person_context(browser):  # noqa: F811
    context = browser.new_context(locale="vi-VN", user_agent=PERSON_UA)
    context.add_init_script("Object.defineProperty(navigator, 'webdriver', {get: () => false})")
    return context


def test_opening_an_article_counts_it_and_updates_the_widget(browser, counted_site):  # noqa: F811
    context = _person_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assert _views(counted_site["api"], "/" + ARTICLE) == 0

    page.goto(f"{counted_site['origin']}/{ARTICLE}")
    views = page.locator(".view-count [data-counter-views]")
    views.filter(has_text="1").wait_for(timeout=10_000)
    page.locator('[data-counter="total"]').filter(has_text="1").wait_for(timeout=10_000)
    assert "Số liệu đến" in page.locator("[data-counter-asof]").inner_text()

    deadline = time.monotonic() + 10
    while _views(counted_site["api"], "/" + ARTICLE) != 1:  # flushed to the store
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert errors == []
    context.close()


def test_with_the_service_down_the_static_figures_stay_and_no_script_fails(
    browser,  # noqa: F811
    counted_site,
):
    counted_site["service"].send_signal(signal.SIGTERM)
    counted_site["service"].wait(timeout=10)
    context = _person_context(browser)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{counted_site['origin']}/{ARTICLE}")
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-counter="total"]').inner_text() == "—"
    assert page.locator(".view-count [data-counter-views]").inner_text() == "—"
    assert page_errors == []
    # The browser itself reports the failed request (502 from the proxy, as nginx would
    # answer); the script adds nothing of its own.
    assert all("Failed to load resource" in line for line in console), console
    context.close()
