"""What the theme writes, read from the built HTML: metadata, slots, controls, CSP-safe markup."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import jinja2
import pytest

from plugins.theme_i18n.catalog import date_filters
from tests.conftest import ROOT

ARTICLE = "2023/09/hop-giao-ban-thang-9/"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _meta(parsed: _Tags, key: str, value: str) -> list[str]:
    return [a.get("content") for t, a in parsed.tags if t == "meta" and a.get(key) == value]


def test_no_inline_script_or_style_anywhere(portal_build):
    """The CSP is default-src 'self': only JSON-LD may sit inline (it is never executed)."""
    for path in portal_build.output.rglob("*.html"):
        parsed = _parse(path.read_text(encoding="utf-8"))
        for tag, attrs in parsed.tags:
            assert "style" not in attrs, (path, tag)
            assert not any(k.startswith("on") for k in attrs), (path, tag)
            assert tag != "style", path
        for attrs, text in parsed.scripts:
            assert attrs.get("src") or attrs.get("type") == "application/ld+json", (path, text)


def test_article_metadata_canonical_open_graph_json_ld_and_dublin_core(portal_build):
    html = (portal_build.output / ARTICLE / "index.html").read_text(encoding="utf-8")
    parsed = _parse(html)
    url = portal_build.at(ARTICLE)
    assert f'<link rel="canonical" href="{url}">' in html
    assert _meta(parsed, "property", "og:type") == ["article"]
    assert _meta(parsed, "property", "og:url") == [url]
    assert _meta(parsed, "property", "og:title") == ["Họp giao ban tháng 9"]
    assert _meta(parsed, "name", "description")[0].startswith("Tại cuộc họp giao ban")
    dc = {
        a["name"]: a["content"]
        for t, a in parsed.tags
        if t == "meta" and "DC." in a.get("name", "")
    }
    for name in ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.publisher",
                 "DC.identifier", "DC.language", "DC.subject", "DC.type"):  # fmt: skip
        assert dc.get(name), name
    assert dc["DC.identifier"] == url
    assert dc["DC.date"] == "2023-09-12T13:43:00+07:00"
    assert dc["DC.title"] == "Họp giao ban tháng 9"
    assert dc["DC.subject"].split("; ")[0] == "Tin tức sự kiện"
    assert dc["DC.language"] == "vi"
    (ld,) = [json.loads(text) for attrs, text in parsed.scripts if attrs.get("type")]
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Họp giao ban tháng 9"
    assert ld["datePublished"] == "2023-09-12T13:43:00+07:00"
    assert ld["mainEntityOfPage"] == url


def test_article_has_print_save_email_text_size_and_the_byline(portal_build):
    html = (portal_build.output / ARTICLE / "index.html").read_text(encoding="utf-8")
    tools = html[html.index('class="article-tools"') :]
    tools = tools[: tools.index("</div>\n  </div>")]
    assert re.search(r'<button type="button" class="print" data-action="print"', tools)
    assert (
        f'class="save" href="{portal_build.at(ARTICLE)}" download="hop-giao-ban-thang-9.html"'
        in tools
    )
    assert 'class="email" href="mailto:?subject=H%E1%BB%8Dp%20giao%20ban' in tools
    assert "A+" in tools and "A−" in tools
    assert '<p class="byline">' in html and "Nguyễn Thị Hoa" in html
    assert "<figcaption>Phòng họp giao ban" in html


def test_inner_pages_have_breadcrumbs_and_the_home_page_does_not(portal_build):
    out = portal_build.output
    for path in (ARTICLE, "chuyen-muc/thong-bao/", "don-vi/van-phong/", "rss/", "luu-tru/2024/",
                 "so-do-trang/", "tim-kiem/", "gioi-thieu/"):  # fmt: skip
        html = (out / path / "index.html").read_text(encoding="utf-8")
        assert '<nav class="breadcrumbs container"' in html, path
        assert 'aria-current="page"' in html, path
    assert 'class="breadcrumbs' not in (out / "index.html").read_text(encoding="utf-8")


def test_home_page_shows_lead_story_categories_units_and_feeds(portal_build):
    html = (portal_build.output / "index.html").read_text(encoding="utf-8")
    lead = html[html.index('class="lead-story"') : html.index('class="latest"')]
    assert "<img" in lead or "<picture" in lead
    assert html.count('class="block category-block"') >= 5
    assert 'class="block by-unit"' in html
    assert "/rss/tat-ca.xml" in html and 'class="box units-box"' in html
    counter = html[html.index('class="box visitor-counter"') :]
    for figure in ("online", "today", "total"):  # the widget's targets, snapshot or not
        assert f'data-counter="{figure}"' in counter
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert ld["@type"] == "WebSite"


def test_header_footer_and_menu_on_every_page(portal_build):
    for path in portal_build.output.rglob("*.html"):
        if path.relative_to(portal_build.output).parts[0] == "admin":
            continue  # the CMS's application (plugins/cms), not a portal page
        html = path.read_text(encoding="utf-8")
        assert html.index('class="governing-body"') < html.index('class="agency"'), path
        assert '<nav class="main-nav"' in html and '<dl class="identity-block">' in html, path
        assert 'class="sitemap-link"' in html and 'class="search-link"' in html, path


def test_archives_have_page_numbers(portal_build):
    """Pages count from the oldest post (page 1); the list's own address shows the newest."""
    html = (portal_build.output / "index.html").read_text()
    older = re.search(r'<p class="more"><a href="([^"]+)">', html)[1]
    number = int(re.search(r"/trang/(\d+)/$", older)[1])
    assert older == portal_build.at(f"trang/{number}/") and number > 1
    page = (portal_build.output / f"trang/{number}/index.html").read_text()
    assert '<nav class="pagination"' in page
    assert f'<span class="visually-hidden">Trang </span>{number}</span>' in page
    oldest = (portal_build.output / "trang/1/index.html").read_text()
    assert 'rel="next"' not in oldest and 'rel="prev"' in oldest


@pytest.fixture
def theme_env():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "theme/templates")),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
    )
    env.install_null_translations(newstyle=True)
    env.filters.update(date_filters("vi"))
    return env


def test_counter_slot_renders_only_with_a_counter(theme_env):
    template = theme_env.get_template("partials/counter.html")
    assert template.render().strip() == ""
    html = template.render(counter={"online": 3, "today": 27, "total": 278872})
    assert 'class="box visitor-counter"' in html and "278.872" in html


@pytest.mark.parametrize(
    ("slug", "title"),
    [
        ("07-2025-qd-ubnd", "Quyết định số 07/2025/QĐ-UBND: Ban hành Quy định quản lý bến xe"),
        # A draft has no number and its title already says "Dự thảo …".
        ("du-thao-gia-dich-vu-xe-ra-vao-ben-xe-khach", "Dự thảo Quyết định quy định giá"),
    ],
)
def test_a_document_page_title_names_its_type_once(portal_build, slug, title):
    html = (portal_build.output / "van-ban" / slug / "index.html").read_text(encoding="utf-8")
    (text,) = re.findall(r"<title>(.*?)</title>", html)
    assert text.startswith(title), text
