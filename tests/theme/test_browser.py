"""The theme in headless Chromium: pages render under the production CSP, axe finds
nothing, keyboard and print work, phones don't scroll sideways, no request leaves the site."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

ARTICLE = "2023/09/hop-giao-ban-thang-9/"
PAGES = {
    "home": "",
    "article": ARTICLE,
    "category": "chuyen-muc/tin-tuc-su-kien/",
    "unit": "don-vi/van-phong/",
    "units": "don-vi/",
    "documents": "van-ban/",
    "document": "van-ban/07-2025-qd-ubnd/",
    "search results": "tim-kiem/?q=duong",
    "rss": "rss/",
}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def _open(page, portal_build, path: str):
    response = page.goto(portal_build.at(path), wait_until="networkidle")
    if path.startswith("tim-kiem/?q="):
        page.wait_for_selector("#search-results[data-state='done']", state="attached")
    return response


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_under_the_csp_and_axe_finds_nothing(page, portal_build, name):
    response = _open(page, portal_build, PAGES[name])
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert page.locator("nav.main-nav").count() == 1
    assert page.locator("footer .identity-block").is_visible()
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == [], page.console_errors  # CSP violations are console errors


def test_every_request_stays_on_the_site(page, portal_build):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", ARTICLE, "tim-kiem/?q=duong"):
        _open(page, portal_build, path)
    assert requested
    assert [u for u in requested if not u.startswith(portal_build.url + "/")] == []


@pytest.mark.parametrize(("path", "budget"), [("", 150_000), (ARTICLE, 100_000)])
def test_page_weight_without_photos_is_within_budget(page, portal_build, path, budget):
    sizes: dict[str, int] = {}

    def record(response):
        if response.request.resource_type != "image":
            sizes[response.url] = len(response.body())

    page.on("response", record)
    _open(page, portal_build, path)
    # Uncompressed bytes: nginx gzip only makes the real transfer smaller.
    assert sum(sizes.values()) <= budget, sizes


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(page, portal_build):
    _open(page, portal_build, ARTICLE)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "document.activeElement.className + '|' + document.activeElement.textContent"
    )
    assert focused == "skip-link|Truy cập nội dung luôn"
    assert page.locator(".skip-link").is_visible()  # visible when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"


def test_print_stylesheet_hides_navigation_and_tools(page, portal_build):
    _open(page, portal_build, ARTICLE)
    page.emulate_media(media="print")
    for selector in ("nav.main-nav", ".search-box", ".article-tools", ".sidebar", ".related"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".article-body").is_visible()
    assert page.locator(".identity-block").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("nav.main-nav").is_visible()


@pytest.mark.parametrize("name", ["home", "article", "category", "unit", "search results", "rss"])
def test_no_horizontal_scroll_at_320_px(browser, portal_build, name):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    _open(tab, portal_build, PAGES[name])
    width = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320


def test_on_a_phone_the_footer_contact_values_use_the_full_width(browser, portal_build):
    """Beside "Chịu trách nhiệm nội dung" the values had 100 px and broke every word."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    _open(tab, portal_build, "")
    widths = tab.eval_on_selector_all(
        ".identity-block dd", "items => items.map(d => d.getBoundingClientRect().width)"
    )
    context.close()
    assert widths and min(widths) >= 300, widths


def test_text_size_buttons_enlarge_the_article(page, portal_build):
    _open(page, portal_build, ARTICLE)
    body = page.locator(".article-body")
    before = float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    page.get_by_role("button", name="A+").click()
    after = float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert after > before
    page.get_by_role("button", name="A−").click()
    page.get_by_role("button", name="A−").click()
    assert float(body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) < before


def test_without_javascript_reading_and_navigation_still_work(browser, portal_build):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    tab = context.new_page()
    _open(tab, portal_build, ARTICLE)
    # JS-only controls stay hidden; saving and e-mail are plain links.
    assert not tab.locator(".article-tools .print").is_visible()
    assert not tab.locator(".text-size").is_visible()
    assert tab.locator(".article-tools .save").is_visible()
    assert tab.locator(".article-tools .email").is_visible()
    # The phone menu opens with <details>, no script needed.
    assert not tab.locator("nav.main-nav a", has_text="Liên hệ").is_visible()
    tab.locator("nav.main-nav summary").click()
    assert tab.locator("nav.main-nav a", has_text="Liên hệ").is_visible()
    tab.goto(portal_build.at("tim-kiem/?q=duong"))
    assert "cần JavaScript" in tab.locator("main").inner_text()
    context.close()


def test_desktop_menu_is_open_without_javascript(browser, portal_build):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 800}
    )
    tab = context.new_page()
    _open(tab, portal_build, "")
    assert tab.locator("nav.main-nav a", has_text="Liên hệ").is_visible()
    context.close()


def test_not_found_page_is_served_for_unknown_paths(page, portal_build):
    response = page.goto(portal_build.at("khong-co-trang-nay/"))
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    assert page.locator("main a[href$='/so-do-trang/']").count() == 1
