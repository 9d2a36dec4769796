"""The register of documents in headless Chromium (theme/static/js/documents.js, over the
sample site's 14 documents): instant filtering and search, and the page without JS.

Here rather than in tests/documents/ so that it shares the session's browser with the
other browser tests, which run after tests/portal_ops (whose Tornado loop cannot run
while a Playwright loop is alive in the same thread)."""

from __future__ import annotations

import pytest


def _numbers(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-documents-results] td.doc-number a", "cells => cells.map(c => c.textContent)"
    )


def _type(page, text: str) -> None:
    page.fill("#doc-q", text)
    page.wait_for_function(
        "() => !document.querySelector('[data-documents-results]').hidden"
        " && document.querySelector('[data-documents-status]').textContent !== ''"
    )


@pytest.fixture
def register(page, portal_build):
    page.goto(portal_build.at("van-ban/"))
    page.wait_for_selector("[data-documents-filter]:not([hidden])")
    return page


@pytest.mark.parametrize("query", ["07/2025/QĐ-UBND", "7/2025/qd-ubnd", "07/2025"])
def test_a_number_as_written_lists_that_document_first(register, query):
    _type(register, query)
    assert _numbers(register)[0] == "07/2025/QĐ-UBND"
    assert register.console_errors == []


def test_a_short_number_lists_every_document_it_starts(register):
    _type(register, "18/2023")
    assert _numbers(register) == ["18/2023/QĐ-UBND"]


def test_abstract_words_are_found_without_diacritics(register):
    _type(register, "ben xe khach")
    found = _numbers(register)
    assert {"05/2021/QĐ-UBND", "18/2023/QĐ-UBND", "07/2025/QĐ-UBND"} <= set(found)
    assert "Có" in register.text_content("[data-documents-status]")
    _type(register, "tai trong xe nam 2026")
    assert _numbers(register) == ["15/KH-SGTVT"]


def test_filters_combine_and_validity_is_computed_in_the_browser(register):
    register.select_option("#doc-loai", "quyet-dinh")
    register.wait_for_selector("[data-documents-results]:not([hidden])")
    found = _numbers(register)
    assert found and all("QĐ" in n for n in found)
    register.select_option("#doc-hieu-luc", "bi-thay-the")
    register.wait_for_function(
        "() => document.querySelectorAll('[data-documents-results] tbody tr').length === 2"
    )
    assert sorted(_numbers(register)) == ["05/2021/QĐ-UBND", "18/2023/QĐ-UBND"]
    assert "loai=quyet-dinh" in register.url and "hieu-luc=bi-thay-the" in register.url
    register.select_option("#doc-loai", "nghi-dinh")
    register.wait_for_selector("[data-documents-status]:has-text('Không có văn bản nào')")
    assert register.locator("[data-documents-results]").inner_text() == ""


def test_a_filter_page_starts_with_its_own_filter_and_a_shared_link_restores_one(
    page, portal_build
):
    page.goto(portal_build.at("van-ban/co-quan/ubnd-tinh/"))
    page.wait_for_selector("[data-documents-filter]:not([hidden])")
    assert page.input_value("#doc-co-quan") == "ubnd-tinh"
    assert page.is_visible("[data-documents-static]")  # nothing to change yet
    page.goto(portal_build.at("van-ban/?q=ben+xe&linh-vuc=an-toan-giao-thong"))
    page.wait_for_selector("[data-documents-results]:not([hidden])")
    assert _numbers(page) == ["07/2025/QĐ-UBND"]


def test_without_javascript_the_table_and_filter_pages_work(browser, portal_build):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(portal_build.at("van-ban/"))
    assert not tab.is_visible("[data-documents-filter]")
    assert tab.locator(".document-table tbody tr").count() >= 12
    tab.click("nav.documents-facets >> text=Kế hoạch")
    assert tab.url.endswith("/van-ban/loai/ke-hoach/")
    numbers = tab.eval_on_selector_all("td.doc-number a", "cells => cells.map(c => c.textContent)")
    assert sorted(numbers) == ["145/KH-SGTVT", "15/KH-SGTVT"]
    context.close()


def test_the_register_fits_a_phone_screen(browser, portal_build):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    for path in ("van-ban/", "van-ban/18-2023-qd-ubnd/"):
        tab.goto(portal_build.at(path))
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_on_a_phone_the_register_rows_stay_readable(browser, portal_build):
    """Six columns in 358 px squeezed the abstract to a word a line (rows 460 px tall);
    the table now scrolls sideways inside its wrapper and keeps the abstract readable."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(portal_build.at("van-ban/"))
    table = "[data-documents-static] .document-table"
    abstract_widths = tab.eval_on_selector_all(
        f"{table} tbody td:nth-child(3)", "cells => cells.map(c => c.offsetWidth)"
    )
    row_heights = tab.eval_on_selector_all(
        f"{table} tbody tr", "rows => rows.map(r => r.offsetHeight)"
    )
    context.close()
    assert min(abstract_widths) >= 200, abstract_widths
    assert max(row_heights) <= 160, row_heights


@pytest.mark.parametrize("query", ["bến xe khách", "ben+xe+khach"])
def test_the_site_search_finds_documents_with_or_without_diacritics(page, portal_build, query):
    page.goto(portal_build.at(f"tim-kiem/?q={query}"))
    page.wait_for_selector("#search-results[data-state]", state="attached")
    assert page.locator("#search-results").get_attribute("data-state") == "done"
    hrefs = page.eval_on_selector_all(
        "#search-list .search-title a", "links => links.map(a => a.href)"
    )
    assert any("/van-ban/07-2025-qd-ubnd/" in h for h in hrefs), hrefs


def test_document_fields_read_as_separate_words_in_search_excerpts(page, portal_build):
    """Pagefind joins a <dt> and its <dd> when nothing separates them in the HTML
    ("Số ký hiệu56/HD-SGTVT"); the view count ("Lượt xem: —") is no excerpt text."""
    page.goto(portal_build.at("tim-kiem/?q=b%C3%AA+t%C3%B4ng"))
    page.wait_for_selector("#search-results[data-state='done']", state="attached")
    excerpts = page.eval_on_selector_all(
        "#search-list .summary", "items => items.map(p => p.textContent)"
    )
    text = " ".join(excerpts)
    assert "Số ký hiệu 56/HD-SGTVT" in text, excerpts
    assert "Lượt xem" not in text, excerpts
