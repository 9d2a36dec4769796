"""Finding things: the Pagefind search index and page, the HTML site map.

Search runs in the visitor's browser with no server: after the articles and pages
are written, this plugin runs Pagefind (the binary in the ``pagefind[extended]``
wheel, no download) once per bundle, one bundle per year of the posts plus one for the
other pages, over the pages of the output folder plus a diacritic-free twin of
each page (see ``folding.py`` and ``indexer.py``) so that "duong" finds "đường".
Article and page templates mark what is indexed (``data-pagefind-body``) and the unit
and category filters (``data-pagefind-filter``); ``theme/static/js/search.js`` queries
the index.

When the index is built: at build_guard's ``pages_ready``, once every page is in the
staging folder: the pages are read and Pagefind started there, and it runs in its own
process while the ``before_publish`` receivers check the site; build_guard finishes it
(the bundles moved into the staging folder) before the staging folder is swapped in, so
the search bundle is published atomically with the pages it describes. A Pagefind
failure stops the build like any other error.

Settings: docs/settings.md. When a build's pages and twins of a bundle (a year) are byte
for byte those of the last build into the same output, that build's bundle is reused (hard
links from SEARCH_CACHE_PATH's record) instead of running Pagefind again.

The folded twins are gathered with the context (``twin_sources``) and made at
``pages_ready`` only for the bundles Pagefind indexes again (``twins_for``, ``Twin``):
each is keyed by its page's digest (``portal_core.pages``) when that page shows its content
as it is, so an unchanged post costs neither folding nor hashing its content.

Templates get ``search_url``, ``sitemap_page_url`` and ``search_bundle_url``. Another plugin
may put its pages in a bundle of their own with ``context["search_bundle_groups"]``
({"/page/url/": "bundle"}) and add the folded twins of its pages with
``context["search_extra_records"]`` (``FoldedRecord`` list), both filled in its
``generate_context`` (plugins/documents does).
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pelican.generators import Generator

from plugins.portal_core import files
from plugins.portal_core import pages as engine_pages
from plugins.portal_core.diskmemo import DiskMemo
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

from . import folding, indexer
from .folding import FoldedRecord, folded_record, plain_text
from .indexer import IndexRun, SearchIndexError

logger = logging.getLogger(__name__)


def cache_path(settings) -> str:
    """SEARCH_CACHE_PATH as an absolute path (relative ones: to the folder holding PATH)."""
    return files.beside_content(settings, settings["SEARCH_CACHE_PATH"])


def _inside_output(value, settings) -> bool:
    bundle = str(value)
    return bool(bundle) and not bundle.startswith("/") and ".." not in bundle.split("/")


#: Appended to a folded record's URL: Pagefind keeps one entry per URL, so the twin
#: needs its own; search.js strips it when it merges the two result lists.
FOLDED_SUFFIX = "#khong-dau"


@dataclass(frozen=True)
class TwinSource:
    """What the folded twin of a page is made of, gathered while the context is built."""

    fields: dict  # folded_record's keyword arguments
    bundle: str | None = None  # the search bundle of its page (a post's year)
    source: str = ""  # the post's source file (a patch build finds the post by it)


class DeferredContent:
    """A post's content, read only if its twin is folded again (a patch build: the
    others' twins are in the memo under their pages' digests)."""

    __slots__ = ("post_of", "source")

    def __init__(self, post_of, source: str) -> None:
        self.post_of, self.source = post_of, source

    def __call__(self) -> str:
        post = self.post_of(self.source)
        if post is None:
            raise SearchIndexError(f"không tìm thấy bài {self.source} trong mô hình trang")
        return post.content


def _text(value):
    return value() if isinstance(value, DeferredContent) else value


def twin_sources(articles, pages) -> list[TwinSource]:
    """The twin of every published article and page, with its filters; an article's
    bundle is its year. Pagefind indexes one bundle at a time, so its memory follows the
    largest year, and an edited post re-indexes only its year; the pages without a
    bundle (fixed pages) share one more."""
    out = []
    for article in articles:
        unit = getattr(article, "unit", None)
        category = getattr(article, "category", None)
        filters = {"version": ["folded"]}
        if unit is not None:
            filters["unit"] = [unit.slug]
        if category is not None:
            filters["category"] = [category.slug]
        date = getattr(article, "date", None)
        fields = {
            "url": "/" + article.url + FOLDED_SUFFIX,
            "title": article.title,
            "summary_html": getattr(article, "summary", "") or "",
            "content_html": article.content,
            "meta": {"date": article.date.strftime("%d/%m/%Y %H:%M")},
            "filters": filters,
        }
        bundle = f"{date.year:04d}" if date is not None else None
        out.append(TwinSource(fields, bundle, getattr(article, "source_path", "")))
    for page in pages:
        summary = plain_text(getattr(page, "summary", "") or page.content)
        fields = {
            "url": "/" + page.url + FOLDED_SUFFIX,
            "title": page.title,
            "content_html": page.content,
            "filters": {"version": ["folded"]},
            "meta": {
                "summary": summary[:200].rsplit(" ", 1)[0] + "…" if len(summary) > 200 else summary
            },
        }
        out.append(TwinSource(fields, None, getattr(page, "source_path", "")))
    return out


def bundle_groups(sources: list[TwinSource]) -> dict[str, str]:
    """Page URL → search bundle, for the twins' pages that have one."""
    return {
        source.fields["url"].removesuffix(FOLDED_SUFFIX): source.bundle
        for source in sources
        if source.bundle is not None
    }


#: What a folded twin depends on besides its inputs: the folding code, Unicode's tables and
#: Python's (html.parser and html.unescape).
_FOLDING_KEY = hashlib.blake2b(
    Path(folding.__file__).read_bytes()
    + unicodedata.unidata_version.encode()
    + sys.version.encode(),
    digest_size=16,
).digest()


def folded_memo(settings) -> DiskMemo:
    """Folded twins of earlier builds: folding every post again is most of the search
    plugin's own work in a build where one post changed."""
    return DiskMemo(Path(cache_path(settings)) / "folded.sqlite3")


def _twin_key(fields: dict, page_digest: str | None = None) -> str:
    """A digest of a twin's inputs; with ``page_digest``, that of the page standing for
    its content (see :func:`twins_for`)."""
    items = sorted(fields.items())
    if page_digest is not None:
        items = [("page", page_digest), *(item for item in items if item[0] != "content_html")]
    items = [(k, _text(v)) for k, v in items]
    text = repr([(k, v if isinstance(v, str) else sorted(v.items())) for k, v in items])
    data = _FOLDING_KEY + text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Twin:
    """A folded twin that is made (or taken from the memo) only if its bundle is indexed
    (``indexer.LazyRecord``): a build that reuses a year's bundle never folds its posts."""

    __slots__ = ("_index", "_keys", "fields", "memo", "url")

    def __init__(self, fields: dict, keys: _TwinKeys, index: int, memo: DiskMemo | None) -> None:
        self.fields, self.memo, self.url = fields, memo, fields["url"]
        self._keys, self._index = keys, index

    @property
    def key(self) -> str:
        return self._keys.key(self._index)

    def record(self) -> FoldedRecord:
        if self.memo is not None:
            found = self.memo.get(self.key)
            if isinstance(found, FoldedRecord):
                return found
        made = folded_record(**{k: _text(v) for k, v in self.fields.items()})
        if self.memo is not None:
            self.memo.put(self.key, made)
        return made


def _shows(path: Path, content: str) -> bool:
    """Whether the page at ``path`` holds ``content`` as it is."""
    try:
        return _text(content).encode("utf-8", "surrogatepass") in path.read_bytes()
    except OSError:
        return False


class _TwinKeys:
    """The keys of a build's twins (see :func:`twins_for`), worked out a bundle at a time
    when a twin of the bundle is first asked for its key: the bundle Pagefind starts on
    first (``indexer.IndexRun``) does not wait for the others' keys."""

    def __init__(
        self,
        sources: list[TwinSource],
        memo: DiskMemo | None,
        site: Path | None,
        digests: Mapping[str, str] | None,
    ) -> None:
        self.sources, self.memo, self.site, self.digests = sources, memo, site, digests
        self.keys: dict[int, str] = {}
        self.by_bundle: dict[str | None, list[int]] = {}
        for i, source in enumerate(sources):
            self.by_bundle.setdefault(source.bundle, []).append(i)
        self._pages: dict[str, tuple[str, str]] | None = None

    def key(self, index: int) -> str:
        key = self.keys.get(index)
        if key is None:
            self._work_out(self.by_bundle[self.sources[index].bundle])
            key = self.keys[index]
        return key

    def _work_out(self, indexes: list[int]) -> None:
        if self._pages is None:
            self._pages = (
                {indexer.page_url(rel): (rel, digest) for rel, digest in self.digests.items()}
                if self.site is not None and self.digests
                else {}
            )
        page_keys: dict[int, tuple[str, str]] = {}
        for i in indexes:
            fields = self.sources[i].fields
            page = self._pages.get(fields["url"].removesuffix(FOLDED_SUFFIX))
            if page is not None and fields.get("content_html"):
                page_keys[i] = (page[0], _twin_key(fields, page[1]))
        memo, wanted = self.memo, [key for _, key in page_keys.values()]
        stored = memo.stored(wanted) if memo is not None and wanted else set()
        for i in indexes:
            fields = self.sources[i].fields
            rel, key = page_keys.get(i, (None, None))
            if (
                key is not None
                and key not in stored
                and not _shows(self.site / rel, fields["content_html"])
            ):
                key = None
            self.keys[i] = key or _twin_key(fields)


def twins_for(
    sources: list[TwinSource],
    memo: DiskMemo | None = None,
    site: Path | None = None,
    digests: Mapping[str, str] | None = None,
) -> list[Twin]:
    """The twins of ``sources``, each with its key (worked out when first asked for).

    A twin is keyed by its small fields and the digest of its page (``digests``: the
    build engine's, relative path → digest) when that page holds the twin's content as
    it is (the theme writes ``article.content|safe``): different content then means
    another page digest, and no post's content is hashed. Whether it does is read from
    the page only when the memo has no twin under that key (it keeps only twins whose
    page was read so). A twin whose page has no digest or does not show its content is
    keyed by its content, as every twin is without ``site``.
    """
    keys = _TwinKeys(sources, memo, site, digests)
    return [Twin(source.fields, keys, i, memo) for i, source in enumerate(sources)]


def records_for(articles, pages, memo: DiskMemo | None = None) -> list[FoldedRecord]:
    """The folded twin of every published article and page, with its filters.

    With a ``memo`` (see :func:`folded_memo`), a twin whose inputs are those of an
    earlier build is taken from it instead of being folded again.
    """
    return [twin.record() for twin in twins_for(twin_sources(articles, pages), memo)]


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
        sources = twin_sources(self.context.get("articles", []), self.context.get("pages", []))
        pending["sources"] = sources
        # other plugins' folded twins and pages in bundles of their own (plugins/documents)
        pending["extra"] = list(self.context.get("search_extra_records") or [])
        pending["groups"] = bundle_groups(sources)
        pending["groups"].update(self.context.get("search_bundle_groups") or {})


#: the twins' sources of the last full pass without their content, and those of the posts
#: patch builds changed since (a patch build writes only the second file)
_SOURCES_FILE = "sources.pickle"
_PATCHED_FILE = "sources-patched.pickle"
_SOURCES_FORMAT = "search-sources-3"
_SOURCES_TAG = (_SOURCES_FORMAT, _FOLDING_KEY)


def _light(source: TwinSource) -> TwinSource:
    fields = {k: v for k, v in source.fields.items() if k != "content_html"}
    return TwinSource(fields, source.bundle, source.source)


def _keep_sources(settings, sources: list[TwinSource], extra: list, groups: dict) -> None:
    cache = Path(cache_path(settings))
    (cache / _PATCHED_FILE).unlink(missing_ok=True)
    files.keep(cache / _SOURCES_FILE, _SOURCES_TAG, ([_light(s) for s in sources], extra, groups))


def _keep_patched(settings, patched: dict[str, TwinSource]) -> None:
    files.keep(Path(cache_path(settings)) / _PATCHED_FILE, _SOURCES_TAG, patched)


def _rest(source: TwinSource) -> tuple[str | None, str]:
    return source.bundle, source.source


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

    def __init__(self, run: IndexRun, started: float, memo: DiskMemo | None) -> None:
        self.run = run
        self.started = started
        self.memo = memo  # the folded twins, closed once the run is done

    def finish(self) -> None:
        try:
            report = self.run.finish()
        except SearchIndexError as exc:
            fail(f"Không tạo được chỉ mục tìm kiếm (Pagefind): {exc}")
        finally:
            self._close_memo()
        logger.info(
            "Chỉ mục tìm kiếm: %d trang, %d bản không dấu, %d gói, %.1f giây%s.",
            report.pages,
            report.records,
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
        self._close_memo()

    def _close_memo(self) -> None:
        if self.memo is not None:
            self.memo.close()
            self.memo = None


class Search(Plugin):
    """Search (Pagefind, with diacritic-free twins) and the HTML site map."""

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
            "the fingerprint of the last index's inputs, which pages are indexed (by digest) "
            "and the folded twins of earlier builds; relative to the folder holding PATH; "
            "outside the output",
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

    def get_generators(self, pelican):
        return SearchGenerator

    def posts_patched(self, sender, settings, posts, post_of, **_kwargs) -> bool:
        """A patch build changed the bodies of ``posts`` (``portal_core.signals.posts_patched``):
        the last full pass's twins with theirs (and those of earlier patch builds), indexed at
        ``pages_ready`` as in any build (only their years' bundles are indexed again).
        False when that pass's sources are not kept: the build then runs the full way."""
        if not settings["SEARCH_INDEX"]:
            return True
        cache = Path(cache_path(settings))
        kept = files.kept(cache / _SOURCES_FILE, _SOURCES_TAG)
        if kept is None:
            return False
        light, extra, groups = kept
        patched: dict[str, TwinSource] = files.kept(cache / _PATCHED_FILE, _SOURCES_TAG) or {}
        fresh = {source.fields["url"]: source for source in twin_sources(posts, [])}
        patched.update({url: _light(source) for url, source in fresh.items()})
        sources = []
        for source in light:
            url = source.fields["url"]
            if url in fresh:
                sources.append(fresh[url])
                continue
            source = patched.get(url, source)
            fields = {**source.fields, "content_html": DeferredContent(post_of, source.source)}
            sources.append(TwinSource(fields, *_rest(source)))
        self.pending.clear()
        self.pending.update(sources=sources, extra=extra, groups=groups, patched=patched)
        return True

    def pages_ready(self, sender, output_path: str, settings) -> _Indexing | None:
        """Start indexing the staging folder's pages: Pagefind runs while the other
        ``before_publish`` receivers check the site; build_guard finishes it before the swap."""
        sources = self.pending.pop("sources", None)
        if sources is None:
            return None
        patched = self.pending.pop("patched", None)
        if patched is None:
            _keep_sources(settings, sources, self.pending["extra"], self.pending["groups"])
        else:
            _keep_patched(settings, patched)
        started = time.monotonic()
        written = engine_pages.current()
        digests = written.digests if written is not None else {}
        # a --full build folds every twin it needs afresh
        memo = folded_memo(settings) if settings.get("INCREMENTAL_BUILD", True) else None
        try:
            twins = twins_for(sources, memo, Path(output_path), digests)
            run = IndexRun(
                output_path,
                [*twins, *self.pending.pop("extra")],
                settings["SEARCH_BUNDLE_DIR"],
                settings.get("DEFAULT_LANG", "vi"),
                groups=self.pending.pop("groups"),
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
        except BaseException as exc:
            if memo is not None:
                memo.close()
            if isinstance(exc, SearchIndexError):
                fail(f"Không tạo được chỉ mục tìm kiếm (Pagefind): {exc}")
            raise
        # the memo stays open until the run is finished: the bundles started then fold
        # their twins (and keep them) too
        return _Indexing(run, started, memo)

    def plan_outputs(self, sender, generators, settings):
        outputs = [
            (settings["SEARCH_SAVE_AS"], "trang tìm kiếm"),
            (settings["SITEMAP_PAGE_SAVE_AS"], "sơ đồ trang"),
        ]
        return outputs


register = Search.register
