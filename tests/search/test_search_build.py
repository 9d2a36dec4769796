"""The built search: Pagefind bundles, the words with đ folded, search page, site map."""

import json
import re

from plugins.portal_core.text import fold


def _page_count(folder) -> int:
    return json.loads((folder / "pagefind-entry.json").read_text())["languages"]["vi"]["page_count"]


def test_every_article_and_page_is_indexed_in_one_bundle_per_year(portal_build):
    out = portal_build.output
    names = json.loads((out / "pagefind/bundles.json").read_text())["bundles"]
    years = sorted({p.parent.parent.parent.name for p in out.glob("20*/*/*/index.html")})
    assert len(years) > 1 and names == [*years, "khac", "van-ban"]
    from tests.conftest import ROOT

    for year in years:  # each year: its articles
        assert _page_count(out / "pagefind" / year) == len(list(out.glob(f"{year}/*/*/index.html")))
        assert (out / "pagefind" / year / "pagefind.js").is_file()
    pages = list((ROOT / "content/pages").glob("*.md"))  # every page is published
    assert _page_count(out / "pagefind/khac") == len(pages)
    documents = json.loads((out / "api/van-ban.json").read_text())["documents"]
    assert _page_count(out / "pagefind/van-ban") == len(documents)
    # Only articles and pages are indexed; drafts and lists are not.
    assert "data-pagefind-body" in (out / "2023/09/hop-giao-ban-thang-9/index.html").read_text()
    assert "data-pagefind-body" not in (out / "index.html").read_text()
    draft = next((out / "ban-nhap").glob("*/index.html"))
    assert "data-pagefind-body" not in draft.read_text()


def test_posts_list_the_words_with_d_stroke_of_their_title_and_text_folded(portal_build):
    """Pagefind folds every mark but đ (a letter of its own): the page lists those words."""
    out = portal_build.output
    listed = 0
    for page in out.glob("20*/*/*/index.html"):
        html = page.read_text()
        found = re.search(r'<span data-pagefind-meta="folded-d:([^"]*)" hidden></span>', html)
        title = re.search(r'<h1 class="article-title"[^>]*>(.*?)</h1>', html, re.S).group(1)
        text = html[html.index('<div class="article-body">') : html.index('<p class="byline">')]
        words = set(found.group(1).split()) if found else set()
        for word in re.findall(r"\w*[đĐ]\w*", re.sub(r"<[^>]+>", " ", title + " " + text)):
            assert fold(word) in words, (page, word)
        assert all(word.isascii() or "đ" not in word for word in words)
        listed += bool(words)
    assert listed > 30
    draft = next((out / "ban-nhap").glob("*/index.html")).read_text()
    assert "folded-d" not in draft  # not indexed


def test_article_pages_carry_unit_and_category_filters(portal_build):
    html = (portal_build.output / "2023/09/hop-giao-ban-thang-9/index.html").read_text()
    assert 'data-pagefind-filter="unit:van-phong"' in html
    assert 'data-pagefind-filter="category:tin-tuc-su-kien"' in html


def test_search_page_says_it_needs_javascript(portal_build):
    html = (portal_build.output / "tim-kiem/index.html").read_text()
    assert "<noscript>" in html and "cần JavaScript" in html
    assert 'name="robots" content="noindex, follow"' in html


def test_sitemap_xml_lists_articles_but_not_drafts_404_or_search(portal_build):
    xml = (portal_build.output / "sitemap.xml").read_text()
    assert f"<loc>{portal_build.url}/2023/09/hop-giao-ban-thang-9/</loc>" in xml
    assert "ban-nhap" not in xml and "404.html" not in xml and "tim-kiem" not in xml


def test_every_sitemap_url_is_a_built_page(portal_build):
    import re

    xml = (portal_build.output / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert len(locations) > 40
    for location in locations:
        assert location.startswith(portal_build.url + "/"), location
        path = location[len(portal_build.url) + 1 :]
        target = portal_build.output / path
        assert (target / "index.html" if not path or path.endswith("/") else target).exists()


def test_site_map_page_lists_every_category_and_unit(portal_build):
    out = portal_build.output
    html = (out / "so-do-trang/index.html").read_text()
    for category in (out / "chuyen-muc").iterdir():
        if category.is_dir():
            assert f"/chuyen-muc/{category.name}/" in html
    for unit in (out / "don-vi").iterdir():
        if unit.is_dir():
            assert f"/don-vi/{unit.name}/" in html
