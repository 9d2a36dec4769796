"""Operator and editor tasks: ``invoke --list`` shows them all."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
OUTPUT = ROOT / "output"
HOST = os.environ.get("PORTAL_HOST", "127.0.0.1")
PORT = int(os.environ.get("PORTAL_PORT", "8000"))


def _pelican(c, settings: str, output: Path, extra: str = "") -> None:
    c.run(f'"{BIN / "pelican"}" content -s {settings} -o "{output}" {extra}', pty=False)


@task
def build(c, output=str(OUTPUT)):
    """Build the preview site (pelicanconf.py) into OUTPUT."""
    with c.cd(str(ROOT)):
        _pelican(c, "pelicanconf.py", Path(output))


@task
def publish(c, output=str(OUTPUT)):
    """Build the production site (publishconf.py) into OUTPUT."""
    with c.cd(str(ROOT)):
        _pelican(c, "publishconf.py", Path(output))


@task
def serve(c, host=HOST, port=PORT):
    """Build the preview site, then serve it at http://HOST:PORT."""
    build(c)
    print(f"Cổng thông tin đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng)")
    with c.cd(str(ROOT)):
        c.run(f'"{BIN / "pelican"}" --listen -b {host} -p {port} -o "{OUTPUT}" -s pelicanconf.py')


@task
def lint(c):
    """ruff: lint and formatting check."""
    with c.cd(str(ROOT)):
        c.run(f'"{BIN / "ruff"}" check .')
        c.run(f'"{BIN / "ruff"}" format --check .')


@task
def test(c, k=""):
    """Lint, then run the whole test suite (``-k EXPR`` selects tests)."""
    lint(c)
    with c.cd(str(ROOT)):
        selection = f'-k "{k}"' if k else ""
        c.run(f'"{BIN / "python"}" -m pytest {selection}')


@task
def clean(c):
    """Remove the built site and caches."""
    for path in (OUTPUT, ROOT / "cache", ROOT / ".pytest_cache"):
        shutil.rmtree(path, ignore_errors=True)
