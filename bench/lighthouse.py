"""Lighthouse (mobile) scores of the home page and an article, with Debian's Chromium.

    .venv/bin/python bench/lighthouse.py            # or: bash bench/lighthouse.sh

Builds the sample site with the theme plugins for a free loopback port, serves it
gzip-compressed with the production CSP (as nginx will), runs Lighthouse 13.5.0 from
npm (installed once into $PORTAL_BENCH_TOOLS, default ~/.cache/portal-bench) against
CHROME_PATH (default /usr/bin/chromium), prints the four category scores per page
and exits 1 if any is below 95. PORTAL_CONTENT=dir builds other content.
JSON reports go to bench/results/ (git-ignored).
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_fixtures import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    _Handler,
    serve,
    settings_with_theme_plugins,
)
from tests.conftest import run_pelican  # noqa: E402

LIGHTHOUSE = "lighthouse@13.5.0"
TOOLS = Path(os.environ.get("PORTAL_BENCH_TOOLS", Path.home() / ".cache/portal-bench"))
PAGES = {"home": "", "article": "2023/09/hop-giao-ban-thang-9/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
THRESHOLD = 95
COMPRESSIBLE = {".html", ".css", ".js", ".svg", ".xml", ".json", ".txt", ".pf_meta"}


class GzipHandler(_Handler):
    """Like nginx with gzip on: compress text responses the browser accepts gzip for."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def ensure_lighthouse() -> Path:
    binary = TOOLS / "node_modules/.bin/lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=TOOLS, check=True, capture_output=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", LIGHTHOUSE], cwd=TOOLS, check=True
        )
    return binary


def main() -> int:
    lighthouse = ensure_lighthouse()
    results_dir = ROOT / "bench/results"
    results_dir.mkdir(parents=True, exist_ok=True)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        build = run_pelican(
            Path(os.environ.get("PORTAL_CONTENT", ROOT / "content")),
            base / "output",
            settings_with_theme_plugins(base, url),
        )
        if build.returncode:
            print(build.log)
            return 1
        server = serve(
            build.output, sock, handler=functools.partial(GzipHandler, directory=str(build.output))
        )
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
        print(f"{'page':10} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        for name, path in PAGES.items():
            report = results_dir / f"lighthouse-{name}.json"
            subprocess.run(
                [
                    str(lighthouse),
                    f"{url}/{path}",
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
                ],
                env=env,
                check=True,
            )
            data = json.loads(report.read_text())
            scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
            failed |= any(s < THRESHOLD for s in scores.values())
            print(f"{name:10} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
        server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
