"""The first TLS set-up as docs/operations.md gives it, step by step, on a real nginx.

portal.conf names certificates that only exist after the first certbot run, so the first
step is portal-acme.conf: plain HTTP serving the ACME webroot. certbot itself needs the
network; the test writes the challenge token where ``certbot --webroot`` would, and a
self-signed certificate where Let's Encrypt's would land.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import time

import pytest

from tests.conftest import ROOT
from tests.deploy.nginx_helpers import check, free_port, main_conf, require_nginx, rewrite, start

ACME_CONF = ROOT / "deploy/nginx/portal-acme.conf"
PORTAL_CONF = ROOT / "deploy/nginx/portal.conf"


def _get(port: int, path: str) -> tuple[int, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": "sgtvt.lamson.gov.vn"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, response.headers.get("Content-Type", "")


def test_http_first_then_certbot_then_the_full_site(tmp_path):
    require_nginx()
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed for the test certificate")
    webroot, live = tmp_path / "www/letsencrypt", tmp_path / "letsencrypt/live/sgtvt"
    http_port, https_port = free_port(), free_port()
    installed = tmp_path / "portal.conf"  # /etc/nginx/sites-available/portal.conf

    # Step 1: the HTTP-only file; no certificate exists anywhere yet.
    installed.write_text(
        rewrite(
            ACME_CONF.read_text(encoding="utf-8"),
            [
                (r"^\s*listen \[::\]:.*$", ""),
                (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
                (r"root /var/www/letsencrypt;", f"root {webroot};"),
            ],
        ),
        encoding="utf-8",
    )
    base = main_conf(tmp_path, installed)
    done = check(base)
    assert done.returncode == 0, done.stderr
    webroot.mkdir(parents=True)  # install -d -m 755 /var/www/letsencrypt
    proc = start(base, http_port)
    try:
        # what certbot --webroot does: a token file, fetched by the CA over plain HTTP
        token = webroot / ".well-known/acme-challenge/tOkEn_123"
        token.parent.mkdir(parents=True)
        token.write_text("tOkEn_123.thumbprint")
        assert _get(http_port, "/.well-known/acme-challenge/tOkEn_123") == (
            200,
            b"tOkEn_123.thumbprint",
            "text/plain",
        )
        assert _get(http_port, "/")[0] == 404
        assert _get(http_port, "/.well-known/acme-challenge/../../etc/passwd")[0] in (400, 404)

        # Step 2 before the certificate exists: this is why step 1 is needed.
        full = rewrite(
            PORTAL_CONF.read_text(encoding="utf-8"),
            [
                (r"^\s*listen \[::\]:.*$", ""),
                (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
                (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                (r"/etc/letsencrypt/live/sgtvt\.lamson\.gov\.vn", str(live)),
                (r"root /var/www/letsencrypt;", f"root {webroot};"),
                (r"root /srv/portal/current;", f"root {tmp_path / 'srv/current'};"),
                (r"include /etc/nginx/snippets/portal-brotl\[i\]\.conf;", ""),
            ],
        )
        installed.write_text(full, encoding="utf-8")
        refused = check(base)
        assert refused.returncode != 0 and "fullchain.pem" in refused.stderr

        # certbot certonly … has written the certificate: the full site is accepted.
        live.mkdir(parents=True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=sgtvt.lamson.gov.vn", "-keyout", str(live / "privkey.pem"),
             "-out", str(live / "fullchain.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        done = check(base)
        assert done.returncode == 0, done.stderr
        subprocess.run([*base, "-s", "reload"], check=True, capture_output=True)
        # after the reload, renewals still reach the webroot and the rest goes to HTTPS
        # the reload replaces the worker (slow when loaded; the old one may still answer a
        # few requests): wait until the new configuration answers several times running
        deadline, running = time.monotonic() + 30, 0
        while running < 5 and time.monotonic() < deadline:
            running = running + 1 if _get(http_port, "/")[0] == 301 else 0
            time.sleep(0.05)
        assert _get(http_port, "/.well-known/acme-challenge/tOkEn_123")[:2] == (
            200,
            b"tOkEn_123.thumbprint",
        )
        assert _get(http_port, "/")[0] == 301
    finally:
        proc.terminate()
        proc.wait(timeout=10)
