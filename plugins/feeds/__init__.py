"""Site, category and unit feeds (RSS 2.0 and Atom) with feedgen, and the RSS page.

Pelican's own feed writer must be off (all its FEED_* settings None) so the portal
has one feed implementation. Settings: docs/settings.md.

Templates get ``feeds`` ({"site": [...], "category": {slug: [...]}, "unit": {slug: [...]}},
each item a ``FeedLink``) for autodiscovery links and the RSS page.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass

from pelican.generators import Generator

from plugins.categories import make_category
from plugins.categories import registry as category_registry
from plugins.portal_core.failure import fail
from plugins.portal_core.files import write_atomic
from plugins.portal_core.settings import Option, Plugin, Settings, number, text
from plugins.units import registry as unit_registry

from .build import Entry, Feed, render

PELICAN_FEED_SETTINGS = (
    "FEED_ATOM",
    "FEED_RSS",
    "FEED_ALL_ATOM",
    "FEED_ALL_RSS",
    "CATEGORY_FEED_ATOM",
    "CATEGORY_FEED_RSS",
    "AUTHOR_FEED_ATOM",
    "AUTHOR_FEED_RSS",
    "TAG_FEED_ATOM",
    "TAG_FEED_RSS",
    "TRANSLATION_FEED_ATOM",
    "TRANSLATION_FEED_RSS",
)


@dataclass(frozen=True)
class FeedLink:
    """A feed as a template links to it."""

    title: str
    format: str  # "rss" or "atom"
    url: str  # relative to SITEURL

    @property
    def mime(self) -> str:
        return "application/rss+xml" if self.format == "rss" else "application/atom+xml"


def _feed_specs(settings, context) -> list[Feed]:
    site_url = settings["SITEURL"].rstrip("/") + "/"
    paths = settings["FEEDS_PATHS"]
    agency = settings.get("SITENAME", "")
    specs = [
        Feed(
            "site",
            "",
            f"{agency}: tin mới",
            settings.get("SITE_DESCRIPTION", agency),
            paths["site"][0],
            paths["site"][1],
            site_url,
        ),
    ]
    for entry in category_registry():
        category = make_category(entry, settings)
        specs.append(
            Feed(
                "category",
                entry.slug,
                f"{agency}: {entry.name}",
                entry.extra.get("description") or entry.name,
                paths["category"][0].format(slug=entry.slug),
                paths["category"][1].format(slug=entry.slug),
                site_url + category.url,
            )
        )
    for item in context.get("units", []):
        unit = item["unit"]
        specs.append(
            Feed(
                "unit",
                unit.slug,
                f"{agency}: tin của {unit.name}",
                f"Tin bài do {unit.name} đăng",
                paths["unit"][0].format(slug=unit.slug),
                paths["unit"][1].format(slug=unit.slug),
                site_url + unit.url,
            )
        )
    return specs


class FeedsGenerator(Generator):
    """Writes every feed and the RSS page."""

    def generate_context(self) -> None:
        self.specs = _feed_specs(self.settings, self.context)
        links: dict = {"site": [], "category": {}, "unit": {}}
        for spec in self.specs:
            pair = [
                FeedLink(spec.title, "rss", spec.rss_path),
                FeedLink(spec.title, "atom", spec.atom_path),
            ]
            if spec.kind == "site":
                links["site"] = pair
            else:
                links[spec.kind][spec.key] = pair
        self.context["feeds"] = links
        self.context["feed_specs"] = self.specs
        self.context["feeds_page_url"] = self.settings["FEEDS_PAGE_URL"]

    def generate_output(self, writer) -> None:
        write_feeds(self.context, self.settings, self.output_path)
        writer.write_file(
            self.settings["FEEDS_PAGE_SAVE_AS"],
            self.get_template("feeds"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            template_name="feeds",
            url=self.settings["FEEDS_PAGE_URL"],
            page_name="feeds",
        )


def _entries(articles, settings, output_path: str) -> list[Entry]:
    site_url = settings["SITEURL"].rstrip("/") + "/"
    out = []
    for article in articles[: settings["FEEDS_MAX_ITEMS"]]:
        image_url, image_type, image_length = _lead_image(article, site_url, settings, output_path)
        author = getattr(article, "author", None)
        unit = getattr(article, "unit", None)
        category = getattr(article, "category", None)
        out.append(
            Entry(
                title=article.title,
                url=site_url + article.url,
                published=article.date,
                updated=getattr(article, "modified", None) or article.date,
                summary_html=article.get_summary(settings["SITEURL"]),
                author=author.name if author else "",
                unit=unit.name if unit else "",
                category=category.name if category else "",
                image_url=image_url,
                image_type=image_type,
                image_length=image_length,
            )
        )
    return out


def _lead_image(article, site_url: str, settings, output_path: str) -> tuple[str, str, int]:
    """URL, MIME type and size of the lead photo as published (processed if possible)."""
    lead = getattr(article, "lead_image", None)  # plugins/images, when enabled
    if lead is not None and lead.src.startswith(site_url):
        path = os.path.join(output_path, lead.src[len(site_url) :])
        mime = lead.fallback_type or mimetypes.guess_type(lead.src)[0] or ""
    else:
        image = getattr(article, "image", None)
        if not image:
            return "", "", 0
        path = os.path.join(settings["PATH"], image)
        lead_src = site_url + image
        mime = mimetypes.guess_type(image)[0] or "application/octet-stream"
        return lead_src, mime, os.path.getsize(path) if os.path.isfile(path) else 0
    return lead.src, mime, os.path.getsize(path) if os.path.isfile(path) else 0


def _newest(context: dict, most: int) -> dict[tuple[str, str], list]:
    """The newest posts of each feed's collection, taken from the site's own lists (each
    in the site's order: newest first) without looking at every post."""
    chosen = {("site", ""): list(context.get("articles", [])[:most])}
    for category, articles in context.get("categories", []):
        chosen[("category", category.slug)] = list(articles[:most])
    for item in context.get("units", []):
        chosen[("unit", item["unit"].slug)] = list(item["articles"][:most])
    return chosen


def write_feeds(context: dict, settings, output_path: str) -> None:
    """Every feed from the site's posts: by a full build, and again when a patch build
    changed post bodies (a summary is in the feeds)."""
    by_kind = _newest(context, settings["FEEDS_MAX_ITEMS"])
    for spec in context["feed_specs"]:
        chosen = by_kind.get((spec.kind, spec.key), [])
        feed = Feed(
            spec.kind,
            spec.key,
            spec.title,
            spec.description,
            spec.rss_path,
            spec.atom_path,
            spec.page_url,
            _entries(chosen, settings, output_path),
        )
        rss, atom = render(feed, settings["SITEURL"], settings.get("DEFAULT_LANG", "vi"))
        for path, data in ((spec.rss_path, rss), (spec.atom_path, atom)):
            write_atomic(os.path.join(output_path, path), data)  # never through a link


def _paths_ok(value, settings) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(kind), (list, tuple)) and len(value[kind]) == 2
        for kind in ("site", "category", "unit")
    )


class Feeds(Plugin):
    """Site, category and unit feeds (RSS 2.0 and Atom) with feedgen, and the RSS page."""

    settings = Settings(
        FEEDS_MAX_ITEMS=number(20, "entries per feed", low=1),
        FEEDS_PATHS=Option(
            {
                "site": ("rss/tat-ca.xml", "atom/tat-ca.xml"),
                "category": ("rss/chuyen-muc/{slug}.xml", "atom/chuyen-muc/{slug}.xml"),
                "unit": ("rss/don-vi/{slug}.xml", "atom/don-vi/{slug}.xml"),
            },
            "where each feed is written: (RSS, Atom) for the site, each category, each unit",
            'một dict {"site": (rss, atom), "category": (rss, atom), "unit": (rss, atom)}',
            _paths_ok,
        ),
        FEEDS_PAGE_URL=text("rss/", "the page listing every feed"),
        FEEDS_PAGE_SAVE_AS=text("rss/index.html", "where that page is written"),
    )

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        settings = pelican.settings
        enabled = [k for k in PELICAN_FEED_SETTINGS if settings.get(k)]
        if enabled:
            fail(
                "pelicanconf.py: Pelican's own feed writer is on ("
                + ", ".join(enabled)
                + "). Set these to None: the feeds plugin writes every feed with feedgen."
            )
        if not settings.get("SITEURL", "").startswith(("http://", "https://")):
            fail(
                "pelicanconf.py: SITEURL must be an absolute http(s) URL; "
                "feeds need absolute links."
            )

    def get_generators(self, pelican):
        return FeedsGenerator

    def posts_patched(self, sender, output_path: str, settings, context: dict, **_kwargs) -> None:
        write_feeds(context, settings, output_path)

    def plan_outputs(self, sender, generators, settings):
        paths = settings["FEEDS_PATHS"]
        outputs = [
            (settings["FEEDS_PAGE_SAVE_AS"], "trang RSS"),
            (paths["site"][0], "RSS toàn trang"),
            (paths["site"][1], "Atom toàn trang"),
        ]
        for kind, entries in (("category", category_registry()), ("unit", unit_registry())):
            for entry in entries:
                outputs.append((paths[kind][0].format(slug=entry.slug), f"RSS {entry.name}"))
                outputs.append((paths[kind][1].format(slug=entry.slug), f"Atom {entry.name}"))
        return outputs


register = Feeds.register
