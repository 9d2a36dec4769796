"""Finding things: the Pagefind search index and page, the HTML site map.

Search runs in the visitor's browser with no server: after the articles and pages
are written, this plugin runs Pagefind (the binary in the ``pagefind[extended]``
wheel, no download) once per bundle, one bundle per year of the posts plus one for the
other pages, over the pages of the output folder (see ``indexer.py``). Article and page
templates mark what is indexed (``data-pagefind-body``), the unit and category filters
(``data-pagefind-filter``) and the page's words with đ, folded (the ``search_folded_d``
filter, ``folding.py``), so that "duong" finds "đường": Pagefind 1.5 folds every other
mark itself. ``theme/static/js/search.js`` queries the index.

When the index is built: at build_guard's ``pages_ready``, once every page is in the
staging folder: the pages are read and Pagefind started there, and it runs in its own
process while the ``before_publish`` receivers check the site; build_guard finishes it
(the bundles moved into the staging folder) before the staging folder is swapped in, so
the search bundle is published atomically with the pages it describes. A Pagefind
failure stops the build like any other error.

Settings: docs/settings.md. When a build's pages of a bundle (a year) are byte for byte
those of the last build into the same output, that build's bundle is reused (hard links
from SEARCH_CACHE_PATH's record) instead of running Pagefind again.

Templates get ``search_url``, ``sitemap_page_url`` and ``search_bundle_url``. Another plugin
may put its pages in a bundle of their own with ``context["search_bundle_groups"]``
({"/page/url/": "bundle"}), filled in its ``generate_context`` (plugins/documents does).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from pelican.generators import Generator

from plugins.portal_core import files
from plugins.portal_core import pages as engine_pages
from plugins.portal_core.failure import fail
from plugins.portal_core.settings import (
    Option,
    Plugin,
    Settings,
    flag,
    folder,
    outside_output,
    text,
)

from .folding import folded_d_words
from .indexer import IndexRun, SearchIndexError

logger = logging.getLogger(__name__)


def cache_path(settings) -> str:
    """SEARCH_CACHE_PATH as an absolute path (relative ones: to the folder holding PATH)."""
    return files.beside_content(settings, settings["SEARCH_CACHE_PATH"])


def _inside_output(value, settings) -> bool:
    bundle = str(value)
    return bool(bundle) and not bundle.startswith("/") and ".." not in bundle.split("/")


def bundle_groups(articles) -> dict[str, str]:
    """Page URL → search bundle: a post's year. Pagefind indexes one bundle at a time, so
    its memory follows the largest year, and an edited post re-indexes only its year; the
    pages without a bundle (fixed pages) share one more (``indexer.OTHER_BUNDLE``)."""
    groups = {}
    for article in articles:
        date = getattr(article, "date", None)
        if date is not None:
            groups["/" + article.url] = f"{date.year:04d}"
    return groups


def search_folded_d(value) -> str:
    """Jinja filter: ``folding.folded_d_words`` of a text or of a sequence of texts."""
    if isinstance(value, list | tuple):
        return folded_d_words(*value)
    return folded_d_words(value)


class SearchGenerator(Generator):
    """Writes the search page and the site map; then indexes."""

    def generate_context(self) -> None:
        site = self.settings["SITEURL"].rstrip("/")
        self.context["search_url"] = self.settings["SEARCH_URL"]
        self.context["sitemap_page_url"] = self.settings["SITEMAP_PAGE_URL"]
        self.context["search_bundle_url"] = f"{site}/{self.settings['SEARCH_BUNDLE_DIR']}/"

    def _write(self, writer, template: str, save_as: str, url: str) -> None:
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=False,
            template_name=template,
            url=url,
            page_name=template,
        )

    def generate_output(self, writer) -> None:
        settings = self.settings
        self._write(writer, "search", settings["SEARCH_SAVE_AS"], settings["SEARCH_URL"])
        self._write(
            writer, "sitemap_page", settings["SITEMAP_PAGE_SAVE_AS"], settings["SITEMAP_PAGE_URL"]
        )
        pending = Search.instance().pending
        pending.clear()
        if not settings["SEARCH_INDEX"]:
            return
        groups = bundle_groups(self.context.get("articles", []))
        # other plugins' pages in bundles of their own (plugins/documents)
        groups.update(self.context.get("search_bundle_groups") or {})
        pending["groups"] = groups


#: the bundle of every page of the last published full pass, for the patch builds after it
_GROUPS_FILE = "groups.pickle"
_GROUPS_TAG = ("search-groups-1",)
#: what earlier versions kept in SEARCH_CACHE_PATH (the folded twins): removed
_OBSOLETE_FILES = ("folded.sqlite3", "sources.pickle", "sources-patched.pickle")


def _changed_pages(written: engine_pages.PageRecords | None) -> list[str]:
    """The pages this build rendered with bytes they did not have in the last build."""
    if written is None:
        return []
    return sorted(name for name in written.rendered if not written.unchanged(name))


def _linked_bundles(written: engine_pages.PageRecords | None, bundle_dir: str) -> Path | None:
    if written is None or written.late_links is None:
        return None
    return Path(written.late_links) / bundle_dir


class _Indexing:
    """The search index being made (``pages_ready``): finished by build_guard before the swap."""

    def __init__(self, run: IndexRun, started: float) -> None:
        self.run = run
        self.started = started

    def finish(self) -> None:
        try:
            report = self.run.finish()
        except SearchIndexError as exc:
            fail(f"Không tạo được chỉ mục tìm kiếm (Pagefind): {exc}")
        logger.info(
            "Chỉ mục tìm kiếm: %d trang, %d gói, %.1f giây%s.",
            report.pages,
            len(report.bundles),
            time.monotonic() - self.started,
            " (không đổi: dùng lại chỉ mục của bản dựng trước)"
            if report.reused
            else f" (lập lại: {', '.join(report.indexed)}; các gói khác dùng lại)"
            if len(report.indexed) < len(report.bundles)
            else "",
        )
        if not report.stable:
            logger.warning(
                "Chỉ mục tìm kiếm: không sắp xếp được tệp của Pagefind (phiên bản mới?); "
                "hai bản dựng giống nhau sẽ cho tên tệp khác nhau."
            )

    def abandon(self) -> None:
        self.run.abandon()


class Search(Plugin):
    """Search (Pagefind) and the HTML site map."""

    settings = Settings(
        SEARCH_URL=text("tim-kiem/", "the search page's address"),
        SEARCH_SAVE_AS=text("tim-kiem/index.html", "where the search page is written"),
        SITEMAP_PAGE_URL=text("so-do-trang/", 'the HTML site map, "Sơ đồ trang"'),
        SITEMAP_PAGE_SAVE_AS=text("so-do-trang/index.html", "where the site map is written"),
        SEARCH_INDEX=flag(True, "build the Pagefind index"),
        SEARCH_BUNDLE_DIR=Option(
            "pagefind",
            "where the index goes in the output: one folder per bundle and bundles.json",
            'một thư mục bên trong thư mục kết quả, ví dụ "pagefind"',
            _inside_output,
        ),
        SEARCH_CACHE_PATH=folder(
            "cache/search",
            "the fingerprint of the last index's inputs, which pages are indexed (by digest), "
            "each bundle's input as Pagefind last read it; relative to the folder holding "
            "PATH; outside the output",
        ),
    )

    def __init__(self) -> None:
        #: what the build in progress indexes at ``pages_ready``, once its pages are written
        self.pending: dict = {}

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        settings = pelican.settings
        if not outside_output(settings, settings["SEARCH_CACHE_PATH"]):
            fail(
                "pelicanconf.py: SEARCH_CACHE_PATH must be outside OUTPUT_PATH (the output is "
                f"replaced by every build), not {str(settings['SEARCH_CACHE_PATH'])!r}."
            )
        cache = Path(cache_path(settings))
        for name in _OBSOLETE_FILES:
            (cache / name).unlink(missing_ok=True)

    def generator_init(self, generator) -> None:
        generator.env.filters["search_folded_d"] = search_folded_d

    def get_generators(self, pelican):
        return SearchGenerator

    def posts_patched(self, sender, settings, **_kwargs) -> bool:
        """A patch build changed the bodies of some posts (``portal_core.signals.
        posts_patched``): their pages are indexed at ``pages_ready`` as in any build, in the
        bundles of the last full pass (a body does not move a post to another year). False
        when those are not kept: the build then runs the full way."""
        if not settings["SEARCH_INDEX"]:
            return True
        groups = files.kept(Path(cache_path(settings)) / _GROUPS_FILE, _GROUPS_TAG)
        if not isinstance(groups, dict):
            return False
        self.pending.clear()
        self.pending.update(groups=groups, patched=True)
        return True

    def pages_ready(self, sender, output_path: str, settings) -> _Indexing | None:
        """Start indexing the staging folder's pages: Pagefind runs while the other
        ``before_publish`` receivers check the site; build_guard finishes it before the swap."""
        groups = self.pending.pop("groups", None)
        if groups is None:
            return None
        if not self.pending.pop("patched", False):
            self.pending["keep"] = groups  # once published
        started = time.monotonic()
        written = engine_pages.current()
        digests = written.digests if written is not None else {}
        try:
            run = IndexRun(
                output_path,
                settings["SEARCH_BUNDLE_DIR"],
                settings.get("DEFAULT_LANG", "vi"),
                groups=groups,
                cache_dir=cache_path(settings),
                # the live output (build_guard swaps the staging folder in after this signal)
                previous_output=settings.get("PORTAL_FINAL_OUTPUT_PATH"),
                page_digests=digests,
                # the live bundles, linked between builds (a patch build's seed)
                linked_previous=_linked_bundles(written, settings["SEARCH_BUNDLE_DIR"]),
                # their bundles first, before every other page is looked at
                changed_pages=_changed_pages(written),
                files=engine_pages.staged_files(),  # (the build guard's list: no walk)
            )
        except SearchIndexError as exc:
            fail(f"Không tạo được chỉ mục tìm kiếm (Pagefind): {exc}")
        return _Indexing(run, started)

    def published(self, sender, output_path: str, settings) -> None:
        """The bundles of the full pass just published, for the patch builds after it (a
        build the gate stopped leaves those of the last published one)."""
        groups = self.pending.pop("keep", None)
        if groups is not None:
            files.keep(Path(cache_path(settings)) / _GROUPS_FILE, _GROUPS_TAG, groups)

    def plan_outputs(self, sender, generators, settings):
        outputs = [
            (settings["SEARCH_SAVE_AS"], "trang tìm kiếm"),
            (settings["SITEMAP_PAGE_SAVE_AS"], "sơ đồ trang"),
        ]
        return outputs


register = Search.register
