"""Screenshots of the key pages at 1366 px and 390 px into screenshots/ (git-ignored).

    .venv/bin/python -m scripts.screenshots [OUTPUT_DIR]

PORTAL_CONTENT=dir builds other content than content/.

Builds the sample site for a free loopback port, serves it like the browser tests do,
and saves full-page PNGs to look at after any change to the theme.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser_fixtures import CHROMIUM, CHROMIUM_ARGS, serve, settings_with_theme_plugins
from tests.conftest import ROOT, run_pelican

PAGES = {
    "home": "",
    "article": "2023/09/hop-giao-ban-thang-9/",
    "unit": "don-vi/van-phong/",
    "search": "tim-kiem/?q=duong+tinh",
    "category": "chuyen-muc/tin-tuc-su-kien/",
}
WIDTHS = (1366, 390)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        result = run_pelican(
            Path(os.environ.get("PORTAL_CONTENT", ROOT / "content")),
            base / "output",
            settings_with_theme_plugins(base, url),
        )
        if result.returncode:
            sys.exit(result.log)
        server = serve(result.output, sock)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(f"{url}/{path}", wait_until="networkidle")
                    if name == "search":
                        page.wait_for_selector("#search-results[data-state]", state="attached")
                    page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                context.close()
            browser.close()
        server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots")
