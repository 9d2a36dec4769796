"""The imported site served for real: nginx answers old addresses with a 301 from the maps
the build wrote (deploy/nginx/portal.conf as shipped), and the old portal's counts are
seeded into the counter service (``python -m counter``) through its seed endpoint."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

import pytest

from portal_import.model import ImportStop
from portal_import.seed import load_seed, send_seed
from tests.conftest import ROOT
from tests.deploy import nginx_helpers
from tests.deploy.nginx_helpers import NGINX
from tests.deploy.nginx_helpers import free_port as _free_port
from tests.deploy.nginx_helpers import rewrite as _rewrite
from tests.deploy.test_nginx import CONF
from tests.portal_import.fixtures import TOTAL_VISITS

OLD = "/vi/news/thong-bao/thong-bao-tuyen-dung-vien-chuc-nam-2020-101.html"
NEW = "/2020/03/thong-bao-tuyen-dung-vien-chuc-nam-2020/"
TOKEN = "import-test-admin-token-0123"


@pytest.fixture(scope="module")
def served(imported, tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (apt-get install nginx); CI installs it")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed for the test certificate")
    _site, _report, build, _dump, _uploads = imported
    assert build.returncode == 0, build.log
    home = tmp_path_factory.mktemp("nginx-import")
    srv = home / "srv"
    # served as a release's folder (a preview build: deploy refuses it, nginx does not care)
    shutil.copytree(build.output, srv / "current", symlinks=True)
    key, cert = str(home / "key.pem"), str(home / "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = _free_port(), _free_port()
    current = srv / "current"
    conf = _rewrite(
        CONF.read_text(encoding="utf-8"),
        [
            (r"^\s*listen \[::\]:.*$", ""),
            (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
            (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
            (r"ssl_certificate /\S+;", f"ssl_certificate {cert};"),
            (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};"),
            (r"root /srv/portal/current;", f"root {current};"),
            (r"/srv/portal/current/\.redirects\.ma\[p\]", f"{current}/.redirects.ma[p]"),
            (
                r"/srv/portal/current/\.redirects-query\.ma\[p\]",
                f"{current}/.redirects-query.ma[p]",
            ),
            (r"include /etc/nginx/snippets/portal-brotl\[i\]\.conf;", ""),
        ],
    )
    (home / "portal.conf").write_text(conf, encoding="utf-8")
    base = nginx_helpers.main_conf(home, home / "portal.conf")
    checked = nginx_helpers.check(base)
    assert checked.returncode == 0, checked.stderr
    proc = nginx_helpers.start(base, https_port)
    yield {"https": https_port, "current": current}
    proc.terminate()
    proc.wait(timeout=10)


def _wait_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "the server did not start: " + (proc.stderr.read() if proc.stderr else "")
                )
            time.sleep(0.05)


def get(served, path: str):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", served["https"], context=context, timeout=10)
    conn.request("GET", path, headers={"Host": "sgtvt.lamson.gov.vn"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.headers, body


def test_old_nukeviet_addresses_get_a_permanent_redirect(served):
    for old in (OLD, OLD.removeprefix("/vi")):
        status, headers, _ = get(served, old)
        assert status == 301, old
        assert headers["Location"] == NEW
        assert headers["X-Content-Type-Options"] == "nosniff"  # security headers kept
    status, _, body = get(served, NEW)
    assert status == 200 and "Tuyển dụng".encode() in body


def test_unknown_old_address_is_still_a_404_and_the_map_file_is_not_served(served):
    assert get(served, "/vi/news/thong-bao/khong-co-bai-nay-999.html")[0] == 404
    assert (served["current"] / ".redirects.map").is_file()
    assert get(served, "/.redirects.map")[0] == 404


@pytest.fixture(scope="module")
def counter_service(imported, tmp_path_factory):
    _site, _report, build, _dump, _uploads = imported
    home = tmp_path_factory.mktemp("counter-import")
    port = _free_port()
    env = {
        **os.environ,
        "COUNTER_STORE": f"sqlite:///{home / 'counter.sqlite3'}",
        "COUNTER_PORT": str(port),
        "COUNTER_MANIFEST": str(build.output / "counter-paths.json"),
        "COUNTER_ADMIN_TOKEN": TOKEN,
        "COUNTER_SPILL_PATH": str(home / "spill.json"),
        "COUNTER_FLUSH_INTERVAL": "0.2",
    }
    log = (home / "counter.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "counter"], cwd=ROOT, env=env, stdout=log, stderr=log, text=True
    )
    _wait_port(port, proc)
    yield f"http://127.0.0.1:{port}/api/v1"
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_view_counts_and_total_are_seeded_into_the_counter(imported, counter_service):
    site, report, _build, _dump, _uploads = imported
    seed = load_seed(site.reports / "counter-seed.json")
    answer = send_seed(seed, counter_service, TOKEN)
    assert answer["imported"] == report.seeded_views and answer["total"] == TOTAL_VISITS
    query = f"{counter_service}/stats?paths={NEW}"
    with urllib.request.urlopen(query, timeout=10) as response:
        stats = json.loads(response.read())
    assert stats["views"][NEW] == 5321
    assert stats["site"]["total"] == TOTAL_VISITS
    again = send_seed(seed, counter_service, TOKEN)  # a re-run replaces, never adds
    assert again["total"] == TOTAL_VISITS


def test_seeding_before_the_site_is_built_is_explained(counter_service):
    with pytest.raises(ImportStop, match="chưa có trên cổng"):
        send_seed({"views": {"/2099/01/chua-dung/": 3}}, counter_service, TOKEN)
    with pytest.raises(ImportStop, match="từ chối"):
        send_seed({"total": 1}, counter_service, "wrong-token-0123456789")
