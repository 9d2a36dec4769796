"""Whole words first: Pagefind's partial matches wait behind "more, approximate".

A tiny site in three years (three Pagefind bundles) with one word planted in one post:
"Phạ" (đèo Khau Phạ). Pagefind alone also returns the posts with "phát" and "pháp"
(words that begin with "pha") and, for a word it does not know, every page with a word
that begins it (CloudCannon/pagefind#599).
"""

from __future__ import annotations

import re

import pytest

from plugins.portal_core.text import fold
from tests.browser_fixtures import build_and_serve, open_tab
from tests.conftest import TinySite

PLANTED = "Kiểm tra an toàn giao thông trên đèo Khau Phạ"
PARTIAL = {
    "Phát động phong trào an toàn giao thông năm 2023",
    "Phổ biến pháp luật về trật tự an toàn giao thông",
}
UNRELATED = "Sửa chữa cầu Bến Mới"


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    site = TinySite(tmp_path_factory.mktemp("planted"))
    site.post(
        "khau-pha",
        title=PLANTED,
        Date="14/05/2024 08:00",
        Unit="ban-bao-tri",
        body="Đoàn công tác kiểm tra biển báo, hộ lan trên đèo Khau Phạ trước mùa mưa lũ.",
    )
    site.post(
        "phat-dong",
        title="Phát động phong trào an toàn giao thông năm 2023",
        Date="10/03/2023 08:00",
        body="Sở phát động phong trào thi đua bảo đảm an toàn giao thông trong toàn ngành.",
    )
    site.post(
        "pho-bien",
        title="Phổ biến pháp luật về trật tự an toàn giao thông",
        Date="20/02/2025 09:00",
        body="Tuyên truyền các quy định mới của pháp luật về trật tự, an toàn giao thông.",
    )
    site.post(
        "ben-moi",
        title=UNRELATED,
        Date="21/02/2025 09:00",
        body="Thi công sửa chữa mặt cầu Bến Mới bảo đảm an toàn cho người đi đường.",
    )
    portal, server = build_and_serve(site.base, site.content)
    yield portal
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser):
    yield from open_tab(browser, 390, 844)


def _search(tab, site, query: str) -> None:
    tab.goto(site.at(f"tim-kiem/?q={query}"))
    tab.wait_for_selector("#search-results[data-state]", state="attached")
    assert tab.locator("#search-results").get_attribute("data-state") == "done"


def _titles(tab, selector: str) -> list[str]:
    return tab.eval_on_selector_all(f"{selector} .search-title a", "l => l.map(a => a.textContent)")


def _words(site, title: str) -> set[str]:
    """The folded words of the post whose title is ``title``, from its built page."""
    for page in site.output.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if f">{title}</h1>" in html:
            body = html[html.index("data-pagefind-body") : html.index("</article>")]
            return set(re.findall(r"\w+", fold(re.sub(r"<[^>]+>", " ", body))))
    raise AssertionError(f"no page titled {title}")


@pytest.mark.parametrize("query", ["Phạ", "pha", "PHẠ"])
def test_the_planted_word_lists_its_post_and_keeps_partial_matches_behind_a_control(
    tab, planted_site, query
):
    _search(tab, planted_site, query)
    assert _titles(tab, "#search-list") == [PLANTED]
    status = tab.locator("#search-status").inner_text()
    assert "Có 1 kết quả" in status, status
    # Pagefind's partial matches are there, counted, but not listed until asked for
    show = tab.locator("#search-approx-show")
    assert show.is_visible() and show.inner_text() == "Xem thêm 2 kết quả gần đúng"
    assert show.get_attribute("aria-expanded") == "false"
    assert tab.locator("#search-approx").is_hidden()
    show.click()
    tab.wait_for_selector("#search-approx-list li:nth-child(2)")
    assert set(_titles(tab, "#search-approx-list")) == PARTIAL
    assert tab.locator("#search-approx-title").inner_text() == "Kết quả gần đúng (2)"
    assert show.is_hidden() and show.get_attribute("aria-expanded") == "true"
    assert tab.evaluate("document.activeElement.id") == "search-approx-title"
    # the oracle: the listed post has the word whole, the approximate ones do not
    assert "pha" in _words(planted_site, PLANTED)
    for title in PARTIAL:
        words = _words(planted_site, title)
        assert "pha" not in words and any(w.startswith("pha") for w in words)
    assert UNRELATED not in _titles(tab, "#search-results")
    assert tab.console_errors == []


def test_a_query_with_no_whole_match_still_shows_the_approximate_results(tab, planted_site):
    # typed without the space: no page has "phattrien"; Pagefind falls back to "phat"
    _search(tab, planted_site, "phattrien")
    assert _titles(tab, "#search-list") == []
    status = tab.locator("#search-status").inner_text()
    approximate = _titles(tab, "#search-approx-list")
    assert approximate and "Phát động phong trào an toàn giao thông năm 2023" in approximate
    assert status.startswith("Không có trang nào chứa đủ các từ “phattrien”")
    assert f"{len(approximate)} kết quả gần đúng" in status
    assert tab.locator("#search-approx").is_visible()
    assert tab.locator("#search-approx-show").is_hidden()
    assert tab.console_errors == []


def test_every_word_must_be_whole_and_filters_apply_to_both_groups(tab, planted_site):
    _search(tab, planted_site, "khau+pha")
    assert _titles(tab, "#search-list") == [PLANTED]
    _search(tab, planted_site, "pha&don-vi=ban-bao-tri")
    assert _titles(tab, "#search-list") == [PLANTED]
    assert tab.locator("#search-approx-show").is_hidden()  # the partial ones are another unit's
    _search(tab, planted_site, "xyzzyq")
    assert "Không có tin bài nào" in tab.locator("#search-status").inner_text()
    assert tab.locator("#search-approx").is_hidden()
