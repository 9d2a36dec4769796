"""Running the shipped nginx configuration files on a real nginx, on loopback ports."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rewrite(text: str, replacements: list[tuple[str, str]]) -> str:
    """Replace each pattern (must match: a changed config fails loudly here)."""
    for pattern, new in replacements:
        text, count = re.subn(pattern, new, text, flags=re.MULTILINE)
        assert count, f"the config no longer has a line matching {pattern!r}"
    return text


def require_nginx() -> None:
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (apt-get install nginx); CI installs it")


def main_conf(home: Path, site_conf: Path, modules: list[str] | None = None) -> list[str]:
    """An nginx.conf for ``site_conf`` as Debian includes it (inside http { }), in ``home``."""
    main = "\n".join(
        [
            "user root;" if os.geteuid() == 0 else "",
            *(f"load_module {module};" for module in modules or []),
            "worker_processes 1;",
            f"pid {home / 'nginx.pid'};",
            "events { worker_connections 64; }",
            "http {",
            "  include /etc/nginx/mime.types;",
            "  default_type application/octet-stream;",
            "  access_log off;",
            *(f"  {kind}_temp_path {home / kind};" for kind in ("client_body", "proxy")),
            *(f"  {kind}_temp_path {home / kind};" for kind in ("fastcgi", "uwsgi", "scgi")),
            f"  include {site_conf};",
            "}",
        ]
    )
    (home / "nginx.conf").write_text(main, encoding="utf-8")
    return [NGINX, "-p", str(home), "-c", str(home / "nginx.conf"), "-e", str(home / "error.log")]


def check(base: list[str]) -> subprocess.CompletedProcess:
    """``nginx -t`` on the configuration."""
    return subprocess.run([*base, "-t"], capture_output=True, text=True)


def start(base: list[str], port: int) -> subprocess.Popen:
    """nginx in the foreground, once it accepts connections on ``port``."""
    proc = subprocess.Popen([*base, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("nginx did not start: " + (proc.stderr.read() if proc.stderr else ""))
            time.sleep(0.05)
