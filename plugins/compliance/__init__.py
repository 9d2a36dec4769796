"""Compliance: checks the site against Decree 43/2011/NĐ-CP and its circulars, every build.

The rules are data (``rules.py``); checks are plain functions over metadata
(``checks_meta.py``) and over the written HTML (``checks_html.py``), run by ``engine.py``.
Metadata is taken when all content is read; the written site is checked at the build
guard's ``before_publish`` signal, in the staging folder, before it replaces the live
output, so a failing publish build publishes nothing. One report for both.

Settings: docs/settings.md (rule packs, sections and selectors: docs/compliance.md).
"""

from __future__ import annotations

import contextlib
import filecmp
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from plugins.portal_core import files, pages
from plugins.portal_core.failure import fail
from plugins.portal_core.settings import Plugin

from . import engine, manifest, report
from .cache import PageCache, PostMemo, code_version, fingerprint, post_fingerprint
from .model import CategoryInfo, Doc, Site, UnitInfo
from .settings import FIELDS, SETTINGS, apply_defaults, build_config, cache_dir, report_dir
from .text import plain_text

logger = logging.getLogger(__name__)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(getattr(value, "name", value)).strip()


_FIELDS = frozenset(FIELDS)


def doc_from(content: Any, kind: str) -> Doc:
    """A plain ``Doc`` from a Pelican Article or Page."""
    meta = content.metadata
    source = meta.get("source")
    category = getattr(content, "category", None) if kind == "article" else None
    summary = meta.get("summary") or ""
    return Doc(
        kind=kind,
        path=str(meta.get("source_file") or content.relative_source_path or ""),
        url=content.url or "",
        save_as=content.save_as or "",
        title=_text(meta.get("title")),
        date=meta.get("date"),
        modified=meta.get("modified"),
        category=getattr(category, "slug", "") or "",
        unit=_text(meta.get("unit")),
        author=_text(meta.get("author")),
        source_name=getattr(source, "name", "") or "",
        source_url=getattr(source, "url", "") or "",
        summary=plain_text(str(summary)),
        content=content.content or "",
        lang=getattr(content, "lang", "") or "vi",
        status=getattr(content, "status", "published") or "published",
        image=str(meta.get("image") or ""),
        slug=getattr(content, "slug", "") or "",
        fields={k: v for k, v in meta.items() if k in _FIELDS},
    )


def document_doc(document: Any) -> Doc:
    """A plain ``Doc`` (kind "document") from an entry of the register (plugins/documents)."""
    return Doc(
        kind="document",
        path=document.source,
        url=document.url,
        save_as=document.save_as,
        title=document.title,
        date=document.date,
        unit=document.issuer.name,
        summary=document.summary or document.title,
        content=document.body,
        slug=document.slug,
        fields={
            "document_number": document.number,
            "document_type": document.type.name,
            "document_issuer": document.issuer.name,
            "document_issuer_own": document.own,
            "document_issued": document.issued,
            "document_effective": document.starts,
            "document_file": [f.path for f in document.files],
            "document_draft": document.is_consultation,
            "consultation_deadline": document.consultation_deadline,
            "consultation_email": document.consultation_email,
            "consultation_address": document.consultation_address,
        },
    )


def _documents() -> list[Doc]:
    try:
        from plugins.documents import current_register
    except ImportError:  # the documents plugin is not in PLUGINS
        return []
    register = current_register()
    return [document_doc(d) for d in register.documents] if register is not None else []


def _units() -> list[UnitInfo]:
    try:
        from plugins.units import registry
    except ImportError:  # the units plugin is not in PLUGINS
        return []
    reg = registry()
    out = []
    for entry in reg:
        contact = reg.contact(entry)
        out.append(UnitInfo(entry.slug, entry.name, contact.address, contact.phone, contact.email))
    return out


#: the last full pass's content as plain data, and the posts patch builds changed since
#: (``recheck_patched``): a patch build writes only the second file
_CONTENT_FILE = "content.pickle"
_PATCHED_FILE = "content-patched.pickle"
_CONTENT_FORMAT = "compliance-content-3"


def _keep_content(folder: str | None, site: Site, patched: dict[str, Doc] | None) -> None:
    if folder is None:
        return
    tag = (_CONTENT_FORMAT, code_version())
    if patched is None:  # a full pass
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, _PATCHED_FILE))
        files.keep(os.path.join(folder, _CONTENT_FILE), tag, (site.docs, site.categories))
    else:
        files.keep(os.path.join(folder, _PATCHED_FILE), tag, patched)


def _kept_content(folder: str | None) -> tuple[list[Doc], dict, dict[str, Doc]] | None:
    if folder is None:
        return None
    tag = (_CONTENT_FORMAT, code_version())
    full = files.kept(os.path.join(folder, _CONTENT_FILE), tag)
    if full is None:  # missing or damaged: the patch build gives way to a full one
        return None
    docs, categories = full
    return docs, categories, files.kept(os.path.join(folder, _PATCHED_FILE), tag) or {}


#: the report of the live output (hard links: every build writes its report anew), put
#: back when a build finds nothing changed after a build the gate stopped wrote its own
_PUBLISHED_REPORT = "bao-cao-da-xuat-ban"


def _keep_report(cache: str | None, folder: str) -> None:
    if cache is None:
        return
    kept = os.path.join(cache, _PUBLISHED_REPORT)
    shutil.rmtree(kept, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.makedirs(kept)
        for name in (report.JSON_NAME, report.HTML_NAME):
            files.link_or_copy(os.path.join(folder, name), os.path.join(kept, name))


def _restore_report(cache: str | None, folder: str) -> None:
    kept = os.path.join(cache, _PUBLISHED_REPORT) if cache else None
    for name in (report.JSON_NAME, report.HTML_NAME) if kept else ():
        source, target = os.path.join(kept, name), os.path.join(folder, name)
        if not os.path.isfile(source):
            continue
        if os.path.isfile(target) and filecmp.cmp(source, target, shallow=False):
            continue
        files.write_atomic(target, Path(source).read_bytes())


class Compliance(Plugin):
    """The checks, the report and the publish gate of one build."""

    settings = SETTINGS

    def __init__(self) -> None:
        self.site: Site | None = None
        self.done = False
        self.patched: dict[str, Doc] | None = None  # a patch build's posts, by source
        self.pending_manifest: tuple | None = None  # the manifest to write once published
        self.pending_content: tuple | None = None  # the content to keep once published

    def initialized(self, pelican) -> None:
        super().initialized(pelican)  # every plugin's settings, checked once
        apply_defaults(pelican.settings)

    def get_generators(self, pelican) -> None:
        self.site = None
        self.done = False
        self.patched = None
        self.pending_manifest = self.pending_content = None

    def all_generators_finalized(self, generators) -> None:
        """Take every post, page and category as plain data once all content is read."""
        settings = generators[0].settings
        docs: list[Doc] = []
        categories: dict[str, CategoryInfo] = {}
        with engine.old_objects_frozen():
            for generator in generators:
                for name in ("articles", "hidden_articles", "drafts"):
                    for article in getattr(generator, name, []):
                        docs.append(doc_from(article, "article"))
                for name in ("pages", "hidden_pages", "draft_pages"):
                    for page in getattr(generator, name, []):
                        docs.append(doc_from(page, "page"))
                for category, articles in getattr(generator, "categories", []) or []:
                    categories[category.slug] = CategoryInfo(
                        category.slug, category.name, category.url, len(articles)
                    )
            docs += _documents()
            previous = manifest.load(report_dir(settings))
        self.site = Site(build_config(settings), docs, categories, _units(), previous)
        self.patched = None  # a full pass (even after a patch build gave way to it)

    def before_publish(
        self, sender: Any = None, output_path: str = "", settings: Any = None, **_: Any
    ) -> None:
        """Run every rule over the written site, write the reports, and gate a publish build."""
        if self.done or self.site is None:
            return
        self.done = True
        pelican_settings = settings if settings is not None else getattr(sender, "settings", {})
        output = output_path or getattr(sender, "output_path", "")
        site = self.site
        rules = engine.rules_for(site.config.pack, site.config.level)
        cache_folder = cache_dir(pelican_settings)
        workers = pelican_settings.get("COMPLIANCE_WORKERS") or None
        with engine.old_objects_frozen():
            cache = PageCache(cache_folder, fingerprint(site.config, [r.id for r in rules]))
            memo = (
                PostMemo(cache_folder, post_fingerprint(site.config, rules))
                if cache_folder
                else None
            )
            records = pages.current()  # the build engine's digests: pages need not be read
            digests = records.digests if records is not None else None
            files = pages.staged_files()  # the build guard's list: no walk
            result = engine.run(site, output, cache, workers, memo, digests, files)
            self.pending_content = (cache_folder, site, self.patched)  # kept once published
            cache.save()
            if memo is not None:
                memo.save()
            folder = report_dir(pelican_settings)
            json_path, html_path = report.write(result, site.config, folder)
            previous = site.previous_manifest or {}
            current = manifest.build(site.docs)
            moved = set(site.config.moved_urls)
            kept = {u: v for u, v in previous.items() if u not in current and u not in moved}
            # what is published: written now, put in place once it is (a build stopped
            # here publishes nothing)
            self.pending_manifest = (
                folder,
                manifest.prepare(folder, {**kept, **current}, site.previous_manifest),
            )
            if "plugins.build_guard" not in [str(p) for p in pelican_settings.get("PLUGINS", [])]:
                self.published()

        lines = report.console_lines(result, site.config)
        summary = report.headline(result, site.config)
        where = f"Báo cáo: {html_path} (JSON: {json_path})"
        if cache.folder:
            where += (
                f". {result.cached}/{result.pages} trang HTML lấy từ bộ nhớ đệm ({cache.folder})"
            )
        if memo is not None:
            where += (
                f"; {memo.hits}/{memo.hits + memo.misses} bài dùng lại kết quả kiểm tra lần trước"
            )
        if result.errors and pelican_settings.get("COMPLIANCE_FAIL_ON_ERROR"):
            fail(
                f"Bản dựng dừng lại: {summary} Lỗi tuân thủ phải được sửa (hoặc miễn trừ có lý do) "
                f"trước khi xuất bản; trang web hiện tại giữ nguyên. {where}",
                lines,
            )
        sys.stdout.write("\n".join([summary, *lines, where]) + "\n")
        sys.stdout.flush()

    def posts_patched(self, sender, output_path: str, settings, posts, **_: Any) -> bool:
        """A patch build changed the bodies of ``posts`` (``portal_core.signals.posts_patched``):
        the last build's content with theirs is checked at ``before_publish`` like any
        build's (pages taken from the build engine's records) and the report covers the
        whole site. False when the last build's content is not kept (the full way then)."""
        kept = _kept_content(cache_dir(settings))
        if kept is None:
            return False
        docs, categories, patched = kept
        with engine.old_objects_frozen():
            patched.update({doc.path: doc for doc in (doc_from(post, "article") for post in posts)})
            docs = [patched.get(doc.path, doc) for doc in docs]
            previous = manifest.load(report_dir(settings))
        self.site = Site(build_config(settings), docs, categories, _units(), previous)
        self.done = False  # checked at before_publish, which the patch build sends next
        self.patched = patched
        return True

    def published(self, *_args: Any, **_kwargs: Any) -> None:
        """The list of what is published (``xuat-ban-truoc.json``, for D43-17.2 and TT24-9),
        the content patch builds start from and the report, kept after the swap: a build
        the gate stopped leaves those of the last published build."""
        pending, self.pending_manifest = self.pending_manifest, None
        content, self.pending_content = self.pending_content, None
        if pending is not None and pending[1] is not None:
            manifest.commit(*pending)
        if content is not None:
            _keep_content(*content)
            if pending is not None:
                _keep_report(content[0], pending[0])

    def unchanged(self, sender: Any, settings: Any, **_: Any) -> None:
        """Nothing changed since the live output was built: its report, not that of a build
        the gate stopped since, is the one to read."""
        _restore_report(cache_dir(settings), report_dir(settings))

    def finalized(self, pelican) -> None:
        """Without the build guard nothing sends before_publish: check the output here instead.

        With it, wait for before_publish: it comes after every other plugin's ``finalized``
        work (a sitemap written at ``finalized``, say), which this receiver may precede.
        """
        if "plugins.build_guard" not in [str(p) for p in pelican.settings.get("PLUGINS", [])]:
            self.before_publish(pelican)


register = Compliance.register
