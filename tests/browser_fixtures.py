"""Shared fixtures for browser tests: the portal built with every theme plugin, served on
loopback with the production Content-Security-Policy, and one headless Chromium per session.

Import the fixtures into a test folder's conftest.py::

    from tests.browser_fixtures import browser, page, portal_build  # noqa: F401

Browser tests need Debian's Chromium at /usr/bin/chromium (``apt-get install chromium``);
without it they are skipped with that reason. Playwright never downloads a browser here.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT, BuildResult, run_pelican

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
#: What nginx sends in production (read from its configuration, so the browser tests
#: check the real policy). 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly.
_NGINX_CONF = (ROOT / "deploy/nginx/portal.conf").read_text(encoding="utf-8")
_CSP_MAP = re.search(r"map \$uri \$portal_csp \{(.*?)\n\}", _NGINX_CONF, re.S).group(1)
CONTENT_SECURITY_POLICY = re.search(r'default\s+"([^"]+)"', _CSP_MAP).group(1)
#: The looser policy nginx sends for the CMS at /admin/ (and only there).
ADMIN_CONTENT_SECURITY_POLICY = re.search(r'~\^/admin/\s+"([^"]+)"', _CSP_MAP).group(1)
#: Plugins this theme needs beyond the foundation's, in the order given to the lead.
THEME_PLUGINS = ["plugins.related_posts", "plugins.search", "pelican.plugins.sitemap"]
#: The sitemap.xml settings given to the lead: no drafts, 404 page or search page.
SITEMAP_SETTING = {"format": "xml", "exclude": ["^404\\.html$", "^tim-kiem/", "^ban-nhap/"]}


@dataclass
class Portal:
    """The built site and the address it is served at (SITEURL, no trailing slash)."""

    build: BuildResult
    url: str

    @property
    def output(self) -> Path:
        return self.build.output

    def at(self, path: str = "") -> str:
        return f"{self.url}/{path.lstrip('/')}"


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site as nginx does: the production CSP and the portal's 404 page."""

    def end_headers(self) -> None:
        admin = self.path.startswith("/admin/")
        policy = ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):  # the portal's own 404 page
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # keep test output quiet
        pass


SiteHandler.extensions_map = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".yml": "text/yaml",
}


def settings_with_theme_plugins(base: Path, site_url: str) -> Path:
    """A settings file: pelicanconf plus this theme's plugins (if missing) and SITEURL."""
    path = base / "browser_settings.py"
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *\n"
        f"for _name in {THEME_PLUGINS!r}:\n"
        "    if _name not in PLUGINS:\n"
        "        PLUGINS = PLUGINS + [_name]\n"
        f"SITEMAP = globals().get('SITEMAP') or {SITEMAP_SETTING!r}\n"
        f"SITEURL = {site_url!r}\n"
        # The theme's browser tests run without the counter service; the counter's own
        # end-to-end test (tests/visitor_counter) starts one and turns the widget on.
        "COUNTER_ENDPOINT = ''\n",
        encoding="utf-8",
    )
    return path


def serve(directory: Path, sock: socket.socket, handler=None) -> ThreadingHTTPServer:
    """Serve ``directory`` on an already bound socket, in a daemon thread."""
    handler = handler or functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer(sock.getsockname(), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.server_activate()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _Shared:
    """One build and one browser per test process, however many conftest files import
    these fixtures (pytest makes a separate session fixture per conftest; two sync
    Playwright instances cannot run in one thread). The last user tears down."""

    def __init__(self) -> None:
        self.portal: Portal | None = None
        self.server: ThreadingHTTPServer | None = None
        self.portal_users = 0
        self.playwright_cm = None
        self.browser = None
        self.browser_users = 0


_shared = _Shared()


def build_and_serve(
    base: Path, content: Path = ROOT / "content"
) -> tuple[Portal, ThreadingHTTPServer]:
    """Build ``content`` with the theme's plugins for a free loopback port and serve it
    there; the caller shuts the server down (``server.shutdown(); server.server_close()``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = run_pelican(content, base / "output", settings_with_theme_plugins(base, url))
    assert result.returncode == 0, result.log
    return Portal(result, url), serve(result.output, sock)


@pytest.fixture(scope="session")
def portal_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The sample site built for a free loopback port and served there (CSP included).

    SITEURL is absolute in this project, so the site is built for the port it is
    served on; the port is bound before the build so no one else can take it.
    """
    if _shared.portal is None:
        _shared.portal, _shared.server = build_and_serve(tmp_path_factory.mktemp("browser-site"))
    _shared.portal_users += 1
    yield _shared.portal
    _shared.portal_users -= 1
    if _shared.portal_users == 0 and _shared.server is not None:
        _shared.server.shutdown()
        _shared.server.server_close()
        _shared.portal = _shared.server = None


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    if _shared.browser is None:
        from playwright.sync_api import sync_playwright

        _shared.playwright_cm = sync_playwright()
        playwright = _shared.playwright_cm.__enter__()
        _shared.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    _shared.browser_users += 1
    yield _shared.browser
    _shared.browser_users -= 1
    if _shared.browser_users == 0:
        _shared.browser.close()
        _shared.playwright_cm.__exit__(None, None, None)
        _shared.browser = _shared.playwright_cm = None


def open_tab(browser, width: int, height: int) -> Iterator:
    """A fresh page (JavaScript on) whose ``console_errors`` lists every console error."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors
    yield tab
    context.close()


@pytest.fixture
def page(browser, portal_build):
    """A fresh page (JavaScript on, 1366×900) that fails the test on any console error."""
    yield from open_tab(browser, 1366, 900)
