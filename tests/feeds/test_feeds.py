"""Every feed the sample site writes, read back with a real feed parser."""

import datetime as dt
import re
from urllib.parse import urlsplit

import feedparser
import pytest

SITEURL = "http://127.0.0.1:8000"


def _feed_files(output):
    return sorted([*output.glob("rss/**/*.xml"), *output.glob("atom/**/*.xml")])


def _local(output, url):
    path = urlsplit(url).path.lstrip("/")
    target = output / path
    return target / "index.html" if url.endswith("/") else target


def test_site_category_and_unit_feeds_exist_in_both_formats(sample_build):
    out = sample_build.output
    for fmt in ("rss", "atom"):
        assert (out / fmt / "tat-ca.xml").exists()
        assert (out / fmt / "chuyen-muc/tin-tuc-su-kien.xml").exists()
        assert (out / fmt / "don-vi/van-phong.xml").exists()
    assert len(_feed_files(out)) >= 2 * (1 + 10 + 12)


def test_every_feed_parses_cleanly_and_every_entry_resolves(sample_build):
    out = sample_build.output
    for path in _feed_files(out):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.feed.get("title"), path
        for entry in parsed.entries:
            assert entry.get("title") and entry.get("link") and entry.get("published"), path
            assert entry.link.startswith(SITEURL + "/"), entry.link
            assert _local(out, entry.link).exists(), f"{path}: {entry.link} is not a built page"
            assert entry.get("id") == entry.link  # stable GUID: the permalink


def test_dates_carry_the_vietnam_offset(sample_build):
    rss = (sample_build.output / "rss/tat-ca.xml").read_text(encoding="utf-8")
    atom = (sample_build.output / "atom/tat-ca.xml").read_text(encoding="utf-8")
    assert re.search(r"<pubDate>[^<]+\+0700</pubDate>", rss)
    assert re.search(r"<published>[^<]+\+07:00</published>", atom)
    parsed = feedparser.parse(atom)
    published = [dt.datetime(*e.published_parsed[:6]) for e in parsed.entries]
    assert published == sorted(published, reverse=True)


def test_feeds_hold_the_latest_entries_up_to_the_limit(sample_build):
    parsed = feedparser.parse((sample_build.output / "rss/tat-ca.xml").read_bytes())
    assert len(parsed.entries) == 20
    newest = parsed.entries[0]
    assert newest.title  # the newest published post, drafts never appear
    drafts = [e for e in parsed.entries if "ban-nhap" in e.link]
    assert drafts == []


def test_unit_feed_holds_only_that_unit_with_author_and_unit(sample_build):
    parsed = feedparser.parse((sample_build.output / "atom/don-vi/thanh-tra.xml").read_bytes())
    assert parsed.entries
    for entry in parsed.entries:
        html = _local(sample_build.output, entry.link).read_text(encoding="utf-8")
        assert 'href="http://127.0.0.1:8000/don-vi/thanh-tra/">Thanh tra Sở' in html
        assert entry.get("author")
        assert entry.get("publisher") == "Thanh tra Sở"


def test_lead_image_is_an_enclosure(sample_build):
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse((sample_build.output / fmt / "tat-ca.xml").read_bytes())
        with_image = [e for e in parsed.entries if e.get("enclosures")]
        assert with_image, fmt
        enclosure = with_image[0].enclosures[0]
        assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
        assert _local(sample_build.output, enclosure.href).exists()


def test_rss_page_lists_every_feed(sample_build):
    html = sample_build.page("rss/")
    for path in _feed_files(sample_build.output):
        url = f"{SITEURL}/{path.relative_to(sample_build.output).as_posix()}"
        assert url in html, url


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("index.html", ["rss/tat-ca.xml", "atom/tat-ca.xml"]),
        ("chuyen-muc/thong-bao/", ["rss/tat-ca.xml", "rss/chuyen-muc/thong-bao.xml"]),
        ("don-vi/thanh-tra/", ["atom/tat-ca.xml", "atom/don-vi/thanh-tra.xml"]),
        ("2023/09/hop-giao-ban-thang-9/", ["rss/chuyen-muc/tin-tuc-su-kien.xml", "rss/don-vi/"]),
    ],
)
def test_pages_carry_autodiscovery_links(sample_build, page, feeds):
    html = sample_build.page(page)
    links = re.findall(r'<link rel="alternate" type="application/(?:rss|atom)\+xml"[^>]+>', html)
    for feed in feeds:
        assert any(feed in link for link in links), (page, feed)
