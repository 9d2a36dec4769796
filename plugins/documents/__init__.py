"""Văn bản: the register of legal and directing documents (content/van-ban/).

A document is a Markdown file under ``DOCUMENTS_PATH`` (year folders allowed) whose
front-matter lists its number, type, issuer, signer, dates, fields, replaced numbers
and attached files (see core.FIELDS and docs/documents.md). The plugin writes the
register, its static filter pages, one page per document, the JSON the register's
script filters in the browser, the files, and RSS/Atom feeds (all and per type).

A site without the documents folder gets no register and needs no registry files.
Settings: docs/settings.md.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import re
import shutil
import time
from zoneinfo import ZoneInfo

from markdown import Markdown
from pelican.generators import Generator

from plugins.build_guard.planning import paginated_outputs
from plugins.feeds import FeedLink
from plugins.feeds.build import Entry, Feed, render
from plugins.html_sanitizer.sanitize import sanitize
from plugins.portal_core import bodies, problems
from plugins.portal_core.settings import Option, Plugin, Settings, text

from .core import (
    FACET_KINDS,
    VALIDITY_LABELS,
    ReadContext,
    Register,
    build_register,
    index_records,
    number_key,
    numbers_in,
    read_document,
)
from .registries import taxonomies

logger = logging.getLogger(__name__)

FACET_TITLES = {
    "loai": "Loại văn bản",
    "nam": "Năm ban hành",
    "co-quan": "Cơ quan ban hành",
    "linh-vuc": "Lĩnh vực",
    "nguoi-ky": "Người ký",
}
#: an editor's link to a document by number in a news post: [text]({van-ban}12/2024/QĐ-UBND)
_LINK_RE = re.compile(r'href="\{van-ban\}([^"]+)"')


def _positive(default: float, doc: str) -> Option:
    """A number above 0 (a fraction of a MB, say)."""
    return Option(default, doc, "một số dương", lambda v, s: type(v) in (int, float) and v > 0)


def _is_relative(value, settings) -> bool:
    return isinstance(value, str) and bool(value.strip("/"))


def _relative(default: str, doc: str) -> Option:
    return Option(default, doc, f'một đường dẫn tương đối, ví dụ "{default}"', _is_relative)


def _date_or_none(value, settings) -> bool:
    try:
        return value is None or bool(dt.date.fromisoformat(str(value)))
    except ValueError:
        return False


def _today(settings) -> dt.date:
    if settings.get("DOCUMENTS_TODAY"):
        return dt.date.fromisoformat(str(settings["DOCUMENTS_TODAY"]))
    return dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")).date()


def _markdown(settings):
    md_settings = dict(settings.get("MARKDOWN") or {})
    md_settings.pop("extensions", None)
    md = Markdown(
        extensions=list((md_settings.get("extension_configs") or {}).keys()),
        extension_configs=md_settings.get("extension_configs") or {},
        output_format="html5",
    )

    def convert(text: str) -> str:
        return md.reset().convert(text)

    return convert


def _document_paths(folder: str, files_folder: str, content: str) -> list[str]:
    found = []
    above = os.path.dirname(os.path.abspath(content))
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if os.path.normpath(root) == os.path.normpath(files_folder):
            dirs[:] = []
            continue
        for name in sorted(names):
            if name.startswith("."):
                continue
            if name.endswith((".md", ".markdown")):
                found.append(os.path.join(root, name))
            else:  # a PDF dropped next to the documents would silently never be published
                logger.warning(
                    "%s: tệp này không phải văn bản (.md) và không nằm trong thư mục tệp "
                    "đính kèm nên không được đăng; chuyển tệp vào %s/",
                    os.path.relpath(os.path.abspath(os.path.join(root, name)), above),
                    os.path.relpath(os.path.abspath(files_folder), above),
                )
    return found


def _same_file(source: str, previous: str, target: str) -> bool:
    """Link ``previous`` (last build's copy) at ``target`` if it is ``source`` unchanged."""
    try:
        now, before = os.stat(source), os.stat(previous)
        if (before.st_size, before.st_mtime_ns) != (now.st_size, now.st_mtime_ns):
            return False
        os.link(previous, target)
        return True
    except OSError:
        return False


def _relative_source(doc) -> str:
    return doc.source.split("/", 1)[1]


def _log(problem) -> None:
    """Errors stop the build (problem log); warnings go to Pelican's log, which shows them."""
    found = problems.Problem(
        problem.path,
        problem.message,
        hint=problem.hint,
        field=problem.field,
        line=problem.line,
        severity=problems.WARNING if problem.warning else problems.ERROR,
    )
    if problem.warning:
        logger.warning("%s", found.format())
    else:
        problems.current().add(found)


class DocumentsGenerator(Generator):
    """Reads the documents, links them, and writes every page of the register."""

    def generate_context(self) -> None:
        settings, plugin = self.settings, Documents.instance()
        content = settings["PATH"]
        root = os.path.basename(os.path.normpath(content))
        markdown = _markdown(settings)

        def body_html(text: str, shown: str) -> str:
            cleaned, removed = sanitize(markdown(text))
            if removed:
                logger.warning(
                    "%s: đã loại bỏ mã HTML không an toàn hoặc không được phép: %s. Hãy xóa "
                    "đoạn mã này khỏi văn bản (không dùng script, thuộc tính on…, iframe).",
                    shown,
                    ", ".join(removed),
                )
            return cleaned

        ctx = ReadContext(
            content_path=content,
            shown_root=root,
            taxonomies=plugin.taxonomies,
            timezone=settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh",
            max_file_bytes=int(settings["DOCUMENTS_MAX_FILE_MB"] * 1024 * 1024),
            files_folder=settings["DOCUMENTS_FILES_PATH"].strip("/"),
            markdown=body_html,
        )
        folder = os.path.join(content, settings["DOCUMENTS_PATH"])
        self.timings: dict[str, float] = {}  # seconds per step, for the log (and the bench)
        started = time.perf_counter()
        documents = []
        for path in _document_paths(folder, os.path.join(content, ctx.files_folder), content):
            doc, found = read_document(path, ctx)
            for problem in found:
                _log(problem)
            if doc is not None:
                documents.append(doc)
        self.timings["read"] = time.perf_counter() - started
        started = time.perf_counter()
        self.today = _today(settings)
        register, found = build_register(documents, self.today, plugin.taxonomies)
        for problem in found:
            _log(problem)
        plugin.current = register
        self.register = register
        self.drafts = [d for d in documents if d.status == "draft"]
        generated = self.context.setdefault("generated_content", {})
        for doc in register.documents:  # so Pelican's {filename} links reach documents
            generated[_relative_source(doc)] = doc
        self.timings["register"] = time.perf_counter() - started
        started = time.perf_counter()
        self._link_news(register)
        self.timings["news_links"] = time.perf_counter() - started
        now = dt.datetime.combine(self.today, dt.time(), ZoneInfo(ctx.timezone))
        if not settings.get("DOCUMENTS_TODAY"):
            now = dt.datetime.now(ZoneInfo(ctx.timezone))
        for doc in register.documents:
            doc.comments_open_now = doc.comments_open(now)
        self.context["documents_register"] = register
        self.context["documents_latest"] = register.documents[:5]
        self.context["documents_url"] = "van-ban/"
        self.context["document_facet_titles"] = FACET_TITLES
        self.context["document_validity_labels"] = VALIDITY_LABELS
        self.context["documents_index_url"] = settings["DOCUMENTS_INDEX_SAVE_AS"]
        self.context["document_feeds"] = self._feed_links()
        # the search index keeps document pages in one bundle (plugins/search), so a new
        # post does not make Pagefind index 5,000 unchanged documents again
        self.context.setdefault("search_bundle_groups", {}).update(
            {"/" + doc.url: "van-ban" for doc in register.documents}
        )

    def _link_news(self, register: Register) -> None:
        """Related news both ways, and ``{van-ban}NUMBER`` links in posts made real."""
        log = problems.current()
        for article in self.context.get("articles", []):
            content = getattr(article, "_content", "") or ""
            keys = numbers_in(content) if content else set()
            declared = article.metadata.get("related_doc_number")
            if declared:
                keys |= {number_key(str(n)) for n in re.split(r"[;\n]", str(declared)) if n.strip()}
            if "{van-ban}" in content:

                def link(match, article=article):
                    doc = register.find(html.unescape(match.group(1)))
                    if doc is None:
                        log.error(
                            article.metadata.get("source_file") or article.source_path,
                            f'liên kết tới văn bản "{match.group(1)}" không có trong sổ văn bản',
                            hint="viết đúng số ký hiệu của một văn bản trong content/van-ban/",
                            field="{van-ban}",
                        )
                        return match.group(0)
                    return f'href="{{filename}}/{_relative_source(doc)}"'

                article._content = _LINK_RE.sub(link, content)
            for key in keys:
                doc = register.by_key.get(key)
                if doc is not None and article not in doc.related_news:
                    doc.related_news.append(article)

    def _feed_links(self) -> dict:
        links = {"all": [FeedLink("Văn bản mới", "rss", "van-ban/rss.xml"),
                         FeedLink("Văn bản mới", "atom", "van-ban/atom.xml")],
                 "loai": {}}  # fmt: skip
        for facet, _docs in self.register.facets["loai"]:
            title = f"Văn bản mới: {facet.name}"
            links["loai"][facet.slug] = [
                FeedLink(title, "rss", f"{facet.url}rss.xml"),
                FeedLink(title, "atom", f"{facet.url}atom.xml"),
            ]
        return links

    # -- writing -------------------------------------------------------------------

    def generate_output(self, writer) -> None:
        settings = self.settings
        relative = settings["RELATIVE_URLS"]
        register = self.register
        started = time.perf_counter()
        listing = self.get_template("documents")
        common = {"relative_urls": relative, "template_name": "documents"}
        writer.write_file(
            "van-ban/index.html",
            listing,
            self.context,
            paginated={"articles": register.documents},
            url="van-ban/",
            documents=register.documents,
            articles=register.documents,
            facet=None,
            page_name="van-ban/index",
            **common,
        )
        for kind in FACET_KINDS:
            for facet, docs in register.facets[kind]:
                writer.write_file(
                    f"{facet.url}index.html",
                    listing,
                    self.context,
                    paginated={"articles": docs},
                    url=facet.url,
                    documents=docs,
                    articles=docs,
                    facet=facet,
                    page_name=f"{facet.url}index",
                    **common,
                )
        page = self.get_template("document")
        for doc in register.documents:
            writer.write_file(
                doc.save_as,
                page,
                self.context,
                relative_urls=relative,
                template_name="document",
                url=doc.url,
                document=doc,
                page_name=doc.url + "index",
            )
        self.timings["pages"] = time.perf_counter() - started
        started = time.perf_counter()
        self._copy_files(register)
        self._write_index(register)
        self._write_feeds(register)
        self.timings["files_index_feeds"] = time.perf_counter() - started
        logger.info(
            "Sổ văn bản: %d văn bản; đọc %.1f s, liên kết %.1f s, ghi trang %.1f s, tệp và "
            "kênh tin %.1f s.",
            len(register.documents),
            self.timings["read"],
            self.timings["register"] + self.timings["news_links"],
            self.timings["pages"],
            self.timings["files_index_feeds"],
        )

    def _copy_files(self, register: Register) -> None:
        """Copy each attached file, or link the live site's copy when it is the same file
        (size and time kept by the copy); the content file itself is never linked, so an
        edit in content/ cannot reach the live site before a build has checked it."""
        live = self.settings.get("PORTAL_FINAL_OUTPUT_PATH") or ""
        done: set[str] = set()
        for doc in register.documents:
            for attachment in doc.files:
                if attachment.path in done:
                    continue
                done.add(attachment.path)
                source = os.path.join(self.settings["PATH"], attachment.path)
                target = os.path.join(self.output_path, attachment.path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if os.path.lexists(target):
                    os.unlink(target)  # never write through a link into another folder
                if live and _same_file(source, os.path.join(live, attachment.path), target):
                    continue
                shutil.copy2(source, target)

    def _write_index(self, register: Register) -> None:
        data = {
            "today": self.today.isoformat(),
            "fixed_today": bool(self.settings.get("DOCUMENTS_TODAY")),
            "labels": VALIDITY_LABELS,
            "documents": index_records(register.documents),
        }
        target = os.path.join(self.output_path, self.settings["DOCUMENTS_INDEX_SAVE_AS"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))

    def _write_feeds(self, register: Register) -> None:
        settings = self.settings
        site_url = settings["SITEURL"].rstrip("/") + "/"
        limit = int(settings["DOCUMENTS_FEED_MAX_ITEMS"])
        by_date = sorted(register.documents, key=lambda d: (d.date, d.number), reverse=True)
        groups = [("van-ban/", "Văn bản mới", by_date)]
        for facet, _docs in register.facets["loai"]:
            docs = [d for d in by_date if d.type.slug == facet.slug]
            groups.append((facet.url, f"Văn bản mới: {facet.name}", docs))
        for folder, title, docs in groups:
            feed = Feed(
                "documents",
                folder,
                f"{title} - {settings.get('SITENAME', '')}",
                "Văn bản mới đăng trên cổng thông tin",
                f"{folder}rss.xml",
                f"{folder}atom.xml",
                site_url + folder,
                [self._entry(d, site_url) for d in docs[:limit]],
            )
            rss, atom = render(feed, settings["SITEURL"], settings.get("DEFAULT_LANG", "vi"))
            for path, data in ((feed.rss_path, rss), (feed.atom_path, atom)):
                target = os.path.join(self.output_path, path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)

    @staticmethod
    def _entry(doc, site_url: str) -> Entry:
        summary = (
            f"<p>{html.escape(doc.type.name)} số {html.escape(doc.number)} ngày "
            f"{doc.issued:%d/%m/%Y} của {html.escape(doc.issuer.name)}: "
            f"{html.escape(doc.title)}</p>"
        )
        return Entry(
            title=f"{doc.type.name} {doc.number}: {doc.title}",
            url=site_url + doc.url,
            published=doc.date,
            updated=doc.date,
            summary_html=summary,
            author=doc.issuer.name,
            category=doc.type.name,
        )


def _unique_files(outputs):
    """A file attached to two documents is copied once."""
    seen, out = set(), []
    for path, what in outputs:
        if what.startswith("tệp của") and path in seen:
            continue
        seen.add(path)
        out.append((path, what))
    return out


class Documents(Plugin):
    """Văn bản: the register of legal and directing documents (content/van-ban/)."""

    settings = Settings(
        DOCUMENTS_PATH=_relative("van-ban", "folder of the documents, relative to PATH"),
        DOCUMENTS_FILES_PATH=_relative(
            "van-ban/files", "folder of the attached files, relative to PATH"
        ),
        DOCUMENTS_TYPES_FILE=text("document-types.yml", "registry of types, relative to PATH"),
        DOCUMENTS_ISSUERS_FILE=text(
            "document-issuers.yml", "registry of issuers, relative to PATH"
        ),
        DOCUMENTS_FIELDS_FILE=text("document-fields.yml", "registry of fields, relative to PATH"),
        DOCUMENTS_MAX_FILE_MB=_positive(50, "largest attached file, in MB"),
        DOCUMENTS_PER_PAGE=_positive(20, "rows per register page"),
        DOCUMENTS_FEED_MAX_ITEMS=_positive(20, "entries per feed"),
        DOCUMENTS_INDEX_SAVE_AS=_relative(
            "api/van-ban.json", "the JSON the register's script reads"
        ),
        DOCUMENTS_TODAY=Option(
            None,
            'fix "today" for validity (tests), "YYYY-MM-DD"',
            'None hoặc một ngày dạng "YYYY-MM-DD"',
            _date_or_none,
        ),
    )

    def __init__(self) -> None:
        self.taxonomies = taxonomies()  # each holds the build's registry once loaded
        self.current: Register | None = None  # the build's register, once read

    @classmethod
    def register(cls) -> None:
        bodies.declare_rewriter(__name__, lambda body: _LINK_RE.search(body) is not None)
        bodies.declare_reader(__name__, numbers_in)  # a document's page lists posts naming it
        super().register()

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        settings = pelican.settings
        settings.setdefault("PAGINATED_TEMPLATES", {})["documents"] = int(
            settings["DOCUMENTS_PER_PAGE"]
        )

    def get_generators(self, pelican):
        self.current = None
        settings = pelican.settings
        if not os.path.isdir(os.path.join(settings["PATH"], settings["DOCUMENTS_PATH"])):
            return None
        for taxonomy in self.taxonomies.values():
            taxonomy.load(settings)
        return DocumentsGenerator

    def plan_outputs(self, sender, generators, settings):
        register = self.current
        if register is None:
            return []
        outputs = paginated_outputs(
            "van-ban/index.html", "van-ban/", len(register.documents), settings, "documents",
            "sổ văn bản",
        )  # fmt: skip
        outputs += [
            (settings["DOCUMENTS_INDEX_SAVE_AS"], "dữ liệu sổ văn bản"),
            ("van-ban/rss.xml", "RSS văn bản"),
            ("van-ban/atom.xml", "Atom văn bản"),
        ]
        for kind in FACET_KINDS:
            for facet, docs in register.facets[kind]:
                outputs += paginated_outputs(
                    f"{facet.url}index.html", facet.url, len(docs), settings, "documents",
                    f'trang lọc văn bản "{facet.name}"',
                )  # fmt: skip
                if kind == "loai":
                    outputs += [(f"{facet.url}rss.xml", "RSS"), (f"{facet.url}atom.xml", "Atom")]
        for doc in register.documents:
            outputs.append((doc.save_as, f"văn bản {doc.source}"))
            outputs += [(a.path, f"tệp của văn bản {doc.source}") for a in doc.files]
        return _unique_files(outputs)


def current_register() -> Register | None:
    """The register of the build in progress (None without documents)."""
    return Documents.instance().current


register = Documents.register
