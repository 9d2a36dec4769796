"""RSS 2.0 and Atom documents from plain entries, with feedgen (no Pelican imports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree


class _AtomEnclosure(BaseEntryExtension):
    """Atom ``<link rel="enclosure">`` for the lead photo.

    feedgen 1.0.0 drops ``rel``/``type``/``length`` from entry links in Atom, which
    would turn the photo into a second "alternate" link, so it is written here.
    """

    def __init__(self) -> None:
        self.image: tuple[str, str, str] | None = None

    def set(self, url: str, mime: str, length: int) -> None:
        self.image = (url, mime, str(length))

    def extend_atom(self, entry):
        if self.image:
            url, mime, length = self.image
            etree.SubElement(entry, "link", href=url, rel="enclosure", type=mime, length=length)
        return entry


@dataclass(frozen=True)
class Entry:
    """One article as a feed sees it; every URL absolute."""

    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    summary_html: str = ""
    author: str = ""
    unit: str = ""
    category: str = ""
    image_url: str = ""
    image_type: str = ""
    image_length: int = 0


@dataclass(frozen=True)
class Feed:
    """One feed of the portal, in both formats."""

    kind: str  # "site", "category" or "unit"
    key: str  # slug of the category or unit; "" for the site
    title: str
    description: str
    rss_path: str
    atom_path: str
    page_url: str  # absolute URL of the HTML page the feed follows
    entries: list[Entry] = field(default_factory=list)


def render(feed: Feed, site_url: str, language: str = "vi") -> tuple[bytes, bytes]:
    """The RSS and Atom documents of a feed."""
    base = site_url.rstrip("/") + "/"
    rss = _generator(feed, language, base + feed.rss_path, "rss")
    atom = _generator(feed, language, base + feed.atom_path, "atom")
    return rss.rss_str(pretty=True), atom.atom_str(pretty=True)


def _generator(feed: Feed, language: str, self_url: str, fmt: str) -> FeedGenerator:
    gen = FeedGenerator()
    gen.load_extension("dc", atom=True, rss=True)
    gen.register_extension("lead_image", BaseExtension, _AtomEnclosure, atom=True, rss=False)
    gen.id(self_url)
    gen.title(feed.title)
    gen.subtitle(feed.description or feed.title)
    gen.link(href=self_url, rel="self")
    gen.link(href=feed.page_url, rel="alternate")
    gen.language(language)
    gen.generator("feedgen")
    newest = max((e.updated for e in feed.entries), default=_EPOCH)
    gen.updated(newest)
    gen.lastBuildDate(newest)
    for item in feed.entries:
        entry = gen.add_entry(order="append")
        entry.id(item.url)
        entry.guid(item.url, permalink=True)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        entry.published(item.published)
        entry.updated(item.updated)
        byline = item.author or item.unit
        if byline:
            entry.author({"name": byline})
            entry.dc.dc_creator(byline)
        if item.unit:
            entry.dc.dc_publisher(item.unit)
        if item.category:
            entry.category(term=item.category, label=item.category)
        if item.summary_html:
            if fmt == "rss":
                entry.description(item.summary_html)
            else:
                entry.summary(item.summary_html, type="html")
        if item.image_url:
            if fmt == "rss":
                entry.enclosure(item.image_url, str(item.image_length), item.image_type)
            else:
                entry.lead_image.set(item.image_url, item.image_type, item.image_length)
    return gen


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
