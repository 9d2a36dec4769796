"""deploy/nginx/portal.conf on a real nginx (loopback ports), serving the sample site.

The site is deployed with portal_ops into a release folder and served through the
``current`` symlink, as in production. Only the lines marked EDIT in portal.conf are
rewritten (ports, paths, certificate); everything else is the file operators install.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree

import pytest

from portal_ops import deploy as ops
from tests.conftest import ROOT
from tests.deploy.conftest import stamp_production
from tests.deploy.nginx_helpers import check, free_port, main_conf, require_nginx, rewrite, start

CONF = ROOT / "deploy/nginx/portal.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
FINGERPRINTED = "theme/css/app.3f2a9c1b0d.css"


class _Counter(BaseHTTPRequestHandler):
    """Stands in for the counter service: echoes what nginx forwarded."""

    def do_GET(self):
        body = json.dumps({"path": self.path, "xff": self.headers.get("X-Forwarded-For")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(sample_build, tmp_path_factory):
    require_nginx()
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed for the test certificate")
    home = tmp_path_factory.mktemp("nginx")
    # The sample site, plus what the theme may not have yet, deployed as a release.
    site = home / "site"
    shutil.copytree(sample_build.output, site)
    if not (site / "404.html").exists():
        (site / "404.html").write_text("<h1>Không tìm thấy trang</h1>", encoding="utf-8")
    (site / FINGERPRINTED).parent.mkdir(parents=True, exist_ok=True)
    (site / FINGERPRINTED).write_text("body{color:#000}" * 50)
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[core]")
    # The preview build stands in for a production one here: its drafts folder goes (a
    # deploy refuses it), and comes back in the live release below, to test that nginx
    # refuses drafts even when a preview build's files reach the server.
    drafts = home / "drafts"
    shutil.move(site / "ban-nhap", drafts)
    stamp_production(site)
    srv = home / "srv"
    ops.deploy(site, ops.parse_target(str(srv)), 3, "abc1234")
    shutil.copytree(drafts, srv / "current" / "ban-nhap")

    key, cert = str(home / "key.pem"), str(home / "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    brotli = BROTLI_MODULE.exists()
    brotli_conf = ROOT / "deploy/nginx/portal-brotl[i].conf" if brotli else home / "none[.]conf"
    conf = rewrite(
        CONF.read_text(encoding="utf-8"),
        [
            (r"server 127\.0\.0\.1:8001;", f"server 127.0.0.1:{upstream.server_port};"),
            (r"^\s*listen \[::\]:.*$", ""),
            (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
            (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
            (r"ssl_certificate /\S+;", f"ssl_certificate {cert};"),
            (r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};"),
            (r"root /srv/portal/current;", f"root {srv / 'current'};"),
            (r"root /var/www/letsencrypt;", f"root {home / 'letsencrypt'};"),
            (
                r"include /etc/nginx/snippets/portal-brotl\[i\]\.conf;",
                f"include {brotli_conf};",
            ),
        ],
    )
    (home / "portal.conf").write_text(conf, encoding="utf-8")
    base = main_conf(home, home / "portal.conf", [str(BROTLI_MODULE)] if brotli else [])
    checked = check(base)
    assert checked.returncode == 0, checked.stderr
    proc = start(base, https_port)
    yield {
        "http": http_port,
        "https": https_port,
        "site": site,
        "srv": srv,
        "brotli": brotli,
        "acme": home / "letsencrypt",
    }
    proc.terminate()
    proc.wait(timeout=10)
    upstream.shutdown()


def get(nginx, path, headers=None, tls=True):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", nginx["https"], context=context, timeout=10)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", nginx["http"], timeout=10)
    conn.request("GET", path, headers={"Host": "sgtvt.lamson.gov.vn", **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.headers, body


def assert_security_headers(headers):
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_home_page_has_every_security_header(nginx):
    status, headers, body = get(nginx, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert_security_headers(headers)
    assert headers["Cache-Control"] == "public, max-age=300"
    assert body == (nginx["site"] / "index.html").read_bytes()
    assert "nginx/" not in headers.get("Server", "")  # server_tokens off


def test_article_url_without_slash_redirects_relatively(nginx):
    article = next(p for p in (nginx["site"] / "2024").rglob("index.html"))
    url = "/" + str(article.parent.relative_to(nginx["site"]))
    status, headers, _ = get(nginx, url)
    assert status == 301 and headers["Location"] == url + "/"
    assert get(nginx, url + "/")[0] == 200


def test_plain_http_redirects_to_https_without_hsts(nginx):
    status, headers, _ = get(nginx, "/lien-he/?a=1", tls=False)
    assert status == 301
    assert headers["Location"] == "https://sgtvt.lamson.gov.vn/lien-he/?a=1"
    assert "Strict-Transport-Security" not in headers


def test_certificate_renewals_are_served_over_plain_http(nginx):
    token = nginx["acme"] / ".well-known/acme-challenge/Xy_z-renew"
    token.parent.mkdir(parents=True, exist_ok=True)
    token.write_text("Xy_z-renew.key-authorization")
    status, headers, body = get(nginx, "/.well-known/acme-challenge/Xy_z-renew", tls=False)
    assert (status, body) == (200, b"Xy_z-renew.key-authorization")
    assert headers["Content-Type"] == "text/plain"
    assert get(nginx, "/.well-known/acme-challenge/missing", tls=False)[0] == 404


def test_missing_page_gets_the_404_page_with_status_404(nginx):
    status, headers, body = get(nginx, "/khong-co-trang-nay/")
    assert status == 404
    assert body == (nginx["site"] / "404.html").read_bytes()
    assert headers["Content-Type"].startswith("text/html")
    assert_security_headers(headers)
    assert headers["Cache-Control"] == "no-store"
    assert get(nginx, "/404.html")[0] == 404  # not a page of its own


def test_drafts_and_dotfiles_are_never_served(nginx):
    draft = next((nginx["srv"] / "current" / "ban-nhap").rglob("index.html"))
    assert get(nginx, "/" + str(draft.parent.relative_to(nginx["srv"] / "current")) + "/")[0] == 404
    assert get(nginx, "/ban-nhap/bat-ky/")[0] == 404
    assert get(nginx, "/.git/config")[0] == 404


def test_gzip(nginx):
    status, headers, body = get(nginx, "/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == (nginx["site"] / "index.html").read_bytes()
    _, feed_headers, _ = get(nginx, "/rss/tat-ca.xml", {"Accept-Encoding": "gzip"})
    assert feed_headers["Content-Encoding"] == "gzip"


def test_brotli_when_the_module_is_installed(nginx):
    if not nginx["brotli"]:
        pytest.skip("libnginx-mod-http-brotli-filter is not installed")
    status, headers, body = get(nginx, "/", {"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert len(body) < (nginx["site"] / "index.html").stat().st_size / 2


@pytest.mark.parametrize(
    ("path", "mime"),
    [("/rss/tat-ca.xml", "application/rss+xml"), ("/atom/tat-ca.xml", "application/atom+xml")],
)
def test_feeds_are_served_as_xml_with_a_short_cache(nginx, path, mime):
    status, headers, body = get(nginx, path)
    assert status == 200
    assert headers["Content-Type"] == f"{mime}; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=600"
    assert ElementTree.fromstring(body).tag in {"rss", "{http://www.w3.org/2005/Atom}feed"}


def test_per_unit_feeds_too_and_the_rss_page_stays_html(nginx):
    unit_feed = next((nginx["site"] / "rss/don-vi").glob("*.xml")).name
    _, headers, _ = get(nginx, f"/rss/don-vi/{unit_feed}")
    assert headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    _, headers, _ = get(nginx, "/rss/")
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_static_caching(nginx):
    _, headers, _ = get(nginx, "/" + FINGERPRINTED)
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("text/css")
    assert_security_headers(headers)  # a location of its own must not lose them
    _, headers, _ = get(nginx, "/theme/css/portal.css")
    assert headers["Cache-Control"] == "public, max-age=86400"
    # Photos the image plugin publishes carry a content hash in their names...
    photo = next(p for p in (nginx["site"] / "images").rglob("*.webp"))
    _, headers, _ = get(nginx, "/" + str(photo.relative_to(nginx["site"])))
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # ...any other image (the theme's logo) is cached for a week.
    _, headers, _ = get(nginx, "/theme/img/logo.svg")
    assert headers["Cache-Control"] == "public, max-age=604800"


def test_counter_api_is_proxied_with_the_client_address(nginx):
    status, headers, body = get(nginx, "/api/v1/site?x=1", {"X-Forwarded-For": "6.6.6.6"})
    assert status == 200
    data = json.loads(body)
    assert data == {"path": "/api/v1/site?x=1", "xff": "127.0.0.1"}  # spoofed value replaced
    assert headers.get_all("Cache-Control") == ["no-store"]  # the service's own, once
    assert_security_headers(headers)


def test_a_deploy_switch_is_served_at_once_and_rollback_too(nginx, tmp_path):
    new_site = tmp_path / "v2"
    shutil.copytree(nginx["site"], new_site)
    (new_site / "index.html").write_text("<h1>phiên bản mới</h1>", encoding="utf-8")
    target = ops.parse_target(str(nginx["srv"]))
    ops.deploy(new_site, target, 3, "def5678")
    assert get(nginx, "/")[2].decode() == "<h1>phiên bản mới</h1>"
    ops.rollback(target)
    assert get(nginx, "/")[2] == (nginx["site"] / "index.html").read_bytes()


# The CSP above allows no inline code: every page of the sample site must live with it.
_SCRIPT = r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
_FOREIGN = (
    r"(?:src|href)=\"(?:https?:)?//(?!sgtvt\.lamson\.gov\.vn|127\.0\.0\.1:8000)[^\"]*\.(?:js|css)\""
)
_INLINE = [
    (re.compile(_SCRIPT), "inline script"),
    (re.compile(r"<style\b"), "<style> element"),
    (re.compile(r"<[^>]+\sstyle=\""), "style attribute"),
    (re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"(?:href|src|action)=\"javascript:", re.IGNORECASE), "javascript: URL"),
    (re.compile(_FOREIGN), "third-party script or style"),
]


def test_the_sample_site_passes_the_csp(sample_build):
    problems = []
    for page in sample_build.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for pattern, what in _INLINE:
            match = pattern.search(html)
            if match:
                problems.append(f"{page.relative_to(sample_build.output)}: {what}: {match[0][:80]}")
    assert problems == [], "\n".join(problems[:20])


def test_the_theme_files_pages_link_to_are_cached_for_a_year(nginx):
    """plugins/theme_assets names them after their bytes, so the HTML (5 minutes) decides
    when visitors get a new CSS or JS: never new pages with the old styles."""
    _, headers, body = get(nginx, "/")
    assert headers["Cache-Control"] == "public, max-age=300"
    linked = set(re.findall(r'(?:href|src)="[^"]*?(/theme/[^"#]+)', body.decode("utf-8")))
    assert {path.rsplit(".", 1)[1] for path in linked} >= {"css", "js", "svg"}
    for path in linked:
        status, headers, _ = get(nginx, path)
        assert status == 200, path
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        assert_security_headers(headers)


def test_only_the_cms_gets_a_looser_policy(nginx):
    """/admin/ (Decap CMS, plugins/cms) gets the policy it needs, every other header kept;
    the rest of the site keeps the strict one (test_home_page_has_every_security_header)."""
    status, headers, _ = get(nginx, "/admin/")
    assert status == 200, "the sample build has no /admin/: run npm ci"
    policy = headers["Content-Security-Policy"]
    assert policy != CSP
    assert "'unsafe-eval'" in policy and "style-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, _ = get(nginx, "/admin/config.yml")
    assert status == 200 and headers["Content-Type"].startswith("text/yaml")
    status, headers, _ = get(nginx, "/gioi-thieu/")
    assert headers["Content-Security-Policy"] == CSP
