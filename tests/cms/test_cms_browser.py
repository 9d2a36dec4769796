"""Decap CMS end to end in Debian's Chromium: the admin page built by plugins/cms, served
with nginx's /admin/ Content-Security-Policy, decap-server (git mode) on loopback over a
temporary git repository holding the sample content converted to YAML.

One editor's session, in order: log in, try to save a post without a unit (refused in the
form, nothing reaches git), write a Vietnamese post dated 07/12/2024 06:30 with a unit, a category
and a photo, save it as a draft, move it to review and to ready, publish it; then the
Markdown file is on main with the right front-matter and the portal builds it. The
browser may talk to 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import subprocess
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from plugins.front_matter.dates import parse_date
from portal_ops import cms_local, scaffold, yaml_convert
from tests.browser_fixtures import (
    ADMIN_CONTENT_SECURITY_POLICY,
    CHROMIUM,
    CHROMIUM_ARGS,
    SiteHandler,
    _shared,
    serve,
    settings_with_theme_plugins,
)
from tests.conftest import ROOT, run_pelican

pytestmark = pytest.mark.skipif(
    not cms_local.server_script(ROOT).is_file() or shutil.which("node") is None,
    reason="needs node and the npm packages (npm ci)",
)

TITLE = "Đường tỉnh 512 thông xe đoạn qua xã Tân Phúc"
SLUG = "duong-tinh-512-thong-xe-doan-qua-xa-tan-phuc"
# A past year and an hour before 07:00: a folder from today's date, or a day read in UTC
# (6 December, 23:30), would put the file elsewhere.
POST = f"content/posts/2024/2024-12-07-{SLUG}.md"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _free_port() -> int:
    with _free_socket() as sock:
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cms_site(tmp_path_factory):
    """(site URL, repository, output) with decap-server running over the repository."""
    base = tmp_path_factory.mktemp("cms")
    repo = base / "repo"
    shutil.copytree(ROOT / "content", repo / "content")
    settings = yaml_convert.portal_settings(ROOT, repo / "content")
    outcomes = yaml_convert.convert_tree(repo / "content", settings)
    assert not [o for o in outcomes if o.status == "error"], outcomes
    # A post dated 25/12, which Decap would misread if the date were stored day-first.
    from plugins.categories.registry import load_categories
    from plugins.units.registry import load_units

    units, _ = load_units(str(repo / "content/units.yml"))
    categories, _ = load_categories(str(repo / "content/categories.yml"))
    scaffold.create(
        repo / "content",
        scaffold.NewPost(
            title="Lịch trực Giáng sinh",
            unit=units.resolve("van-phong"),
            category=categories.resolve("thong-bao"),
            date=parse_date("25/12/2026 05:00"),
            slug="lich-truc-giang-sinh",
        ),
    )
    # The project's own ignores: builds write cache/ and reports/ next to content/, and
    # decap-server commits whatever is in the working copy ("git add .").
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    _git(repo.parent, "init", "-q", "-b", "main", str(repo))
    _git(repo, "config", "user.email", "bien-tap@example.invalid")
    _git(repo, "config", "user.name", "Biên tập viên")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Nội dung mẫu")

    sock = _free_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    api_port = _free_port()
    server = cms_local.start_decap_server(ROOT, api_port, url, repository=repo)
    settings_file = settings_with_theme_plugins(base, url)
    with settings_file.open("a", encoding="utf-8") as handle:
        handle.write(f"CMS_LOCAL_BACKEND = {cms_local.api_url(api_port)!r}\n")
    result = run_pelican(repo / "content", base / "output", settings_file)
    assert result.returncode == 0, result.log
    # The policy nginx sends for /admin/, plus the local decap-server (never in production).
    api_origin = f"http://127.0.0.1:{api_port}"
    policy = ADMIN_CONTENT_SECURITY_POLICY.replace(
        "connect-src 'self'", f"connect-src 'self' {api_origin}"
    )

    class Handler(SiteHandler):
        def end_headers(self) -> None:
            if self.path.startswith("/admin/"):
                self.send_header("Content-Security-Policy", policy)
                self.send_header("Cache-Control", "no-store")
                super(SiteHandler, self).end_headers()
            else:
                super().end_headers()

    httpd: ThreadingHTTPServer = serve(
        result.output, sock, functools.partial(Handler, directory=str(result.output))
    )
    yield url, repo, base, settings_file
    httpd.shutdown()
    httpd.server_close()
    cms_local.stop(server)


#: Set to a folder to save the screenshots of the editors' guide (docs/huong-dan-bien-tap.md)
#: while the test runs: PORTAL_CMS_SCREENSHOTS=docs/anh pytest tests/cms/test_cms_browser.py
SCREENSHOTS = os.environ.get("PORTAL_CMS_SCREENSHOTS", "")


def _shoot(page, name: str, **options) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"cms-{name}.png"), **options)


@pytest.fixture(scope="module")
def cms_browser():
    """Debian's Chromium for this module only: Playwright's loop must not outlive it, or
    later tests that run their own event loop (invoke serve's) would find it running. The
    session's shared browser is used when another module already started it."""
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    if _shared.browser is not None:
        yield _shared.browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _select(page, label: str, option: str) -> None:
    """Pick ``option`` in Decap's select widget (react-select) labelled ``label``."""
    control = page.locator(f"[id^='{label}-field-']").first
    control.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_editor_publishes_a_post_through_review(cms_site, cms_browser, tmp_path):
    url, repo, base, settings_file = cms_site
    context = cms_browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    page = context.new_page()
    outside: list[str] = []
    violations: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).hostname != "127.0.0.1"
            else None
        ),
    )
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    missing_files: list[str] = []
    page.on("response", lambda r: missing_files.append(r.url) if r.status == 404 else None)
    page.goto(f"{url}/admin/")
    login = page.get_by_role("button", name="Đăng nhập")
    login.wait_for()
    _shoot(page, "1-dang-nhap")
    login.click()
    page.get_by_text("Tin bài").first.wait_for()

    # The post dated 25/12 is read as 25 December (day-first display in the list).
    page.get_by_text("Lịch trực Giáng sinh — 25/12/2026 05:00").wait_for()
    _shoot(page, "2-danh-sach")
    # Decap's Vietnamese, with the strings it lacks filled in.
    missing = page.evaluate(
        """() => {
          const en = CMS.getLocale('en'), vi = CMS.getLocale('vi'), out = [];
          (function walk(a, b, path) {
            for (const k of Object.keys(a)) {
              if (typeof a[k] === 'object') walk(a[k], (b || {})[k], path + k + '.');
              else if (!b || b[k] === undefined) out.push(path + k);
            }
          })(en, vi, '');
          return out;
        }"""
    )
    assert missing == []

    page.goto(f"{url}/admin/#/collections/posts/new")
    page.locator("[id^='title-field-']").fill(TITLE)
    date = page.locator("[id^='date-field-']")
    date.fill("31/11/2026 06:30")  # November has no 31st: refused in the form, as the build does
    _select(page, "category", "Tin tức sự kiện")
    page.locator("[id^='summary-field-']").fill(
        "Sau 18 tháng thi công, đoạn tuyến dài 6,5 km đã thông xe."
    )

    # Without a unit the form refuses to save, and nothing reaches git.
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đơn vị viết bài bắt buộc nhập.").wait_for()
    page.get_by_text("tháng 11/2026 không có ngày 31").first.wait_for()
    _shoot(page, "4-bao-loi")
    date.fill("07/12/2024 06:30")  # 7 December, typed day-first as editors do
    assert "cms/" not in _git(repo, "branch", "--list")

    page.locator("[id^='unit-field-']").first.click()
    _shoot(page, "3-chon-don-vi")
    page.keyboard.press("Escape")
    _select(page, "unit", "— — Trạm Kiểm tra tải trọng xe lưu động (Trạm KTTTX)")
    photo = tmp_path / "thong-xe.png"
    shutil.copy(ROOT / "theme/static/img/logo.png", photo)
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("thong-xe.png").first.wait_for()
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    # A photo without its description is refused, as the production build refuses it.
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("bài có ảnh đại diện thì phải mô tả ảnh").first.wait_for()
    page.locator("[id^='image_alt-field-']").fill("Xe chạy trên đoạn đường mới thông xe")
    body = page.locator("[data-slate-editor='true']").first
    body.click()
    body.type("Sáng 07/12, Sở Giao thông vận tải tổ chức lễ thông xe.")

    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Thay đổi đã được lưu").first.wait_for()
    assert "cms/posts/" in _git(repo, "branch", "--list")
    committed = _git(
        repo, "diff", "--name-only", "main", "cms/posts/" + POST[len("content/posts/") : -3]
    )
    assert sorted(committed.split()) == ["content/images/2024/thong-xe.png", POST]

    for status in ("Đang xét duyệt", "Sẵn sàng"):
        page.get_by_role("button", name="Trạng thái:", exact=False).click()
        page.get_by_role("menuitem", name=status).click()
        page.get_by_text("Thay đổi đã được lưu").first.wait_for()
    _shoot(page, "5-trang-thai")

    # The workflow board shows the post in the "ready" column; the reviewer opens it there.
    editor_url = page.url
    page.goto(f"{url}/admin/#/workflow")
    ready_column = page.get_by_text("Sẵn sàng", exact=True).first
    ready_column.wait_for()
    page.get_by_text(TITLE).first.wait_for()
    _shoot(page, "6-quy-trinh")
    page.goto(editor_url)
    page.get_by_role("button", name="Trạng thái:", exact=False).wait_for()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    page.get_by_text("Đã công bố").first.wait_for(timeout=30_000)

    # The file is on main, with YAML front-matter the build reads.
    text = _git(repo, "show", f"main:{POST}")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header["title"] == TITLE
    assert header["date"] == "2024-12-07 06:30"
    assert header["unit"] == "Trạm Kiểm tra tải trọng xe lưu động"
    assert header["category"] == "Tin tức sự kiện"
    assert header["image"] == "images/2024/thong-xe.png"
    assert "lễ thông xe" in text
    assert _git(repo, "cat-file", "-t", "main:content/images/2024/thong-xe.png").strip() == "blob"

    _git(repo, "checkout", "-q", "main")
    built = run_pelican(repo / "content", base / "rebuilt", settings_file)
    assert built.returncode == 0, built.log
    article = built.page(f"2024/12/{SLUG}/index.html")
    assert TITLE in article and "Trạm Kiểm tra tải trọng xe lưu động" in article
    # The uploaded photo went through the photo pipeline (resized WebP renditions).
    assert re.search(r"images/2024/thong-xe-\d+\.[0-9a-f]+\.webp", article)

    assert outside == []
    assert not [u for u in missing_files if "/admin/" in u]
    assert violations == []
    context.close()
