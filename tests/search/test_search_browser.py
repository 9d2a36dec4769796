"""Search in the browser: unaccented queries, đ → d, exact diacritics first, filters."""

from __future__ import annotations

import re
import unicodedata

import pytest

from plugins.portal_core.text import fold


def _search(page, portal_build, query: str, **params) -> list[dict]:
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    page.goto(portal_build.at(f"tim-kiem/?q={query}{extra}"))
    page.wait_for_selector("#search-results[data-state]", state="attached")
    assert page.locator("#search-results").get_attribute("data-state") == "done"
    return page.eval_on_selector_all(
        "#search-list .search-title a",
        "links => links.map(a => ({title: a.textContent, href: a.href}))",
    )


def _indexed_text(portal_build, href: str) -> str:
    """The words Pagefind indexed for a page: its data-pagefind-body element."""
    path = href.removeprefix(portal_build.url + "/")
    html = (portal_build.output / path / "index.html").read_text(encoding="utf-8")
    body = html[html.index("data-pagefind-body") :]
    body = body[: body.index("</article>")]
    body = re.sub(r"<(div|p) [^>]*data-pagefind-ignore.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_unaccented_query_finds_the_accented_article(page, portal_build):
    results = _search(page, portal_build, "duong+tinh+512")
    assert any("Đường tỉnh 512" in r["title"] for r in results), results
    assert page.console_errors == []


def test_unaccented_query_marks_the_words_with_d_stroke_in_the_excerpt(page, portal_build):
    """Pagefind finds "Đường" for "duong" by the page's folded-d list, not by the word in
    its text, so it does not mark it; the search page does (and only words it begins)."""
    results = _search(page, portal_build, "duong+tinh")
    assert results
    marked = page.eval_on_selector_all(
        "#search-list .summary",
        "ps => ps.map(p => [...p.querySelectorAll('mark')].map(m => m.textContent))",
    )
    words = [w for marks in marked for w in marks]
    assert any(fold(w) == "duong" and "đ" in w.lower() for w in words), marked
    assert all(re.sub(r"\W", "", fold(w)) in ("duong", "tinh") for w in words), words
    assert page.console_errors == []


def test_unaccented_phrase_finds_cai_cach_hanh_chinh(page, portal_build):
    results = _search(page, portal_build, "cai+cach+hanh+chinh")
    assert results
    assert any("cải cách hành chính" in r["title"].lower() for r in results), results


def test_results_link_to_real_pages_without_the_twin_marker(page, portal_build):
    results = _search(page, portal_build, "duong")
    assert results
    hrefs = [r["href"] for r in results]
    assert len(hrefs) == len(set(hrefs))  # one entry per page, twins merged
    for href in hrefs:
        assert "#" not in href and href.startswith(portal_build.url + "/")


def test_exact_diacritics_rank_before_folded_matches(page, portal_build):
    page.goto(portal_build.at("tim-kiem/"))
    query = "dưỡng"  # "bảo dưỡng" is rare; its folded form "duong" is everywhere (đường, dương)
    results = _search(page, portal_build, query)
    exact = ["dưỡng" in _indexed_text(portal_build, r["href"]).lower() for r in results]
    assert any(exact) and not all(exact), "the sample needs both kinds of match"
    first_folded = exact.index(False)
    assert all(exact[:first_folded]) and not any(exact[first_folded:])


def test_unit_filter_keeps_only_that_units_posts(page, portal_build):
    results = _search(page, portal_build, "duong", **{"don-vi": "ban-bao-tri"})
    assert results
    for r in results:
        assert (
            "/don-vi/ban-bao-tri/"
            in (
                portal_build.output / r["href"].removeprefix(portal_build.url + "/") / "index.html"
            ).read_text()
        )
    assert page.locator("#filter-unit").input_value() == "ban-bao-tri"


def test_category_filter_keeps_only_that_category(page, portal_build):
    results = _search(page, portal_build, "duong", **{"chuyen-muc": "thong-bao"})
    assert results
    for r in results:
        assert (
            'data-pagefind-filter="category:thong-bao"'
            in (
                portal_build.output / r["href"].removeprefix(portal_build.url + "/") / "index.html"
            ).read_text()
        )


def test_no_result_is_announced(page, portal_build):
    results = _search(page, portal_build, "xyzzyqwerty")
    assert results == []
    assert "Không có tin bài nào" in page.locator("#search-status").inner_text()


@pytest.mark.parametrize(
    "text", ["Cải cách hành chính", "ĐƯỜNG TỈNH 518", "Quốc lộ 1 – Bến Mới", "Khe Mây  dưỡng"]
)
def test_browser_folding_matches_the_python_folding(page, portal_build, text):
    page.goto(portal_build.at("tim-kiem/"))
    module = portal_build.url + "/theme/js/search.js"
    folded = page.evaluate("async ([url, text]) => (await import(url)).fold(text)", [module, text])
    assert folded == fold(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize(
    "query, title",
    [
        ("Khắc+phục+hậu+quả+mưa+lũ", "Khẩn trương khắc phục hậu quả mưa lũ"),  # 2022's bundle
        ("khac+phuc+hau+qua+mua+lu", "Khẩn trương khắc phục hậu quả mưa lũ"),
        ("mạng+lưới+bến+xe+khách", "Đề xuất điều chỉnh mạng lưới bến xe khách"),  # 2026's
        ("mang+luoi+ben+xe+khach", "Đề xuất điều chỉnh mạng lưới bến xe khách"),
    ],
)
def test_posts_of_an_old_and_a_new_year_are_found_in_their_bundles(
    page, portal_build, query, title
):
    bundles = page.request.get(portal_build.at("pagefind/bundles.json")).json()["bundles"]
    assert {"2022", "2026"} <= set(bundles)
    results = _search(page, portal_build, query)
    assert any(r["title"].startswith(title) for r in results), results
    assert page.console_errors == []


def test_one_search_lists_posts_of_several_years_once_each(page, portal_build):
    results = _search(page, portal_build, "duong")
    hrefs = [r["href"].removeprefix(portal_build.url + "/") for r in results]
    while not page.locator("#search-more").is_hidden():
        page.locator("#search-more").click()
        page.wait_for_timeout(200)
        hrefs = page.eval_on_selector_all("#search-list .search-title a", "l => l.map(a => a.href)")
        hrefs = [h.removeprefix(portal_build.url + "/") for h in hrefs]
    assert len(hrefs) == len(set(hrefs))
    assert len({h[:4] for h in hrefs if h[:2] == "20"}) >= 3  # posts of three years or more


def _paths(portal_build, results) -> list[str]:
    return [r["href"].removeprefix(portal_build.url + "/") for r in results]


@pytest.mark.parametrize("param", [{"don-vi": "ban-bao-tri"}, {"chuyen-muc": "thong-bao"}])
def test_filters_leave_out_the_bundle_of_pages_without_unit_or_category(page, portal_build, param):
    # "gioi thieu" is in fixed pages (bundle "khac", no unit or category filter) and posts.
    unfiltered = _paths(portal_build, _search(page, portal_build, "gioi+thieu"))
    assert "gioi-thieu/" in unfiltered and any(p[:2] == "20" for p in unfiltered), unfiltered
    results = _search(page, portal_build, "duong", **param)
    paths = _paths(portal_build, results)
    assert paths and all(p[:2] == "20" for p in paths), paths
