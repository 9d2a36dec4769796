"""The sample site as a whole: builds clean, links hold, text is NFC, pages are valid."""

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from tests.conftest import ROOT

SITEURL = "http://127.0.0.1:8000"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.first_link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if attrs.get(key):
                self.urls.append(attrs[key])
        if tag == "a" and self.first_link is None:
            self.first_link = attrs


def _html_files(output):
    """The portal's pages; /admin/ is the CMS's application (plugins/cms), not one of them."""
    return sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "admin")


def test_sample_site_builds_with_zero_warnings(sample_build):
    assert "WARNING" not in sample_build.log, sample_build.log
    assert "ERROR" not in sample_build.log, sample_build.log


def test_sample_content_meets_the_brief(sample_build):
    out = sample_build.output
    articles = [p for p in out.glob("20*/*/*/index.html")]
    sources = list((ROOT / "content/posts").rglob("*.md"))
    drafts = [p for p in sources if "\nstatus: draft\n" in p.read_text(encoding="utf-8")]
    assert len(articles) == len(sources) - len(drafts) and drafts  # every post but a draft
    units_with_posts = [
        p for p in (out / "don-vi").glob("*/index.html") if "Chưa có bài viết." not in p.read_text()
    ]
    assert len(units_with_posts) >= 8
    categories_with_posts = [
        p
        for p in (out / "chuyen-muc").glob("*/index.html")
        if "Chưa có bài viết." not in p.read_text()
    ]
    assert len(categories_with_posts) >= 5
    years = {p.relative_to(out).parts[0] for p in articles}
    assert {"2022", "2023", "2024", "2025", "2026"} <= years
    assert (out / "gioi-thieu/index.html").exists() and (out / "lien-he/index.html").exists()


def test_every_internal_link_resolves(sample_build):
    out = sample_build.output
    broken = []
    for page in _html_files(out):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            if not url.startswith(SITEURL):
                continue
            path = unquote(urlsplit(url).path).lstrip("/")
            target = out / path
            if url.endswith("/") or not path:
                target = target / "index.html"
            if not target.exists():
                broken.append((str(page.relative_to(out)), url))
    assert broken == []


def test_pages_are_vietnamese_with_the_skip_link_first(sample_build):
    for page in _html_files(sample_build.output):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="vi"' in html, page
        assert '<meta charset="utf-8">' in html
        parser = _Links()
        body = html[html.index("<body") :]
        parser.feed(body)
        assert parser.first_link == {"class": "skip-link", "href": "#noi-dung"}, page
        assert "Truy cập nội dung luôn" in html
        assert 'id="noi-dung"' in html


def test_all_output_text_is_nfc(sample_build):
    out = sample_build.output
    for path in [*_html_files(out), *out.rglob("*.xml")]:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path


def test_article_shows_date_unit_category_and_source(sample_build):
    html = sample_build.page("2023/09/hop-giao-ban-thang-9/")
    assert '<time datetime="2023-09-12T13:43:00+07:00">12/09/2023 13:43</time>' in html
    assert 'href="http://127.0.0.1:8000/don-vi/van-phong/">Văn phòng Sở' in html
    reposted = [
        p
        for p in sample_build.output.glob("20*/*/*/index.html")
        if 'class="source"' in p.read_text()
    ]
    assert len(reposted) >= 3
    assert re.search(r'class="source">Nguồn: <a href="https://', reposted[0].read_text())


def test_no_output_leaks_python_or_template_syntax(sample_build):
    for page in _html_files(sample_build.output):
        html = page.read_text(encoding="utf-8")
        assert "{static}" not in html and "{{" not in html and "Traceback" not in html, page
