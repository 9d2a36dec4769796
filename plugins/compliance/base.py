"""What check functions share: the registry of checks, page views, URL and section helpers."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .model import CategoryInfo, Doc, Finding, Site
from .rules import Rule
from .selectors import compile_selector, parse_selector

#: name → (kind, function). Kinds and signatures:
#:   "site"   f(site, rule)          the whole site's metadata
#:   "doc"    f(doc, site, rule)     one post or page's metadata
#:   "page"   f(page, site, rule)    one rendered HTML page (parsed once, shared)
#:   "asset"  f(asset, site, rule)   one other output file (XML, CSS, anything)
#:   "output" f(output, site, rule)  what the HTML pass gathered about the whole output
CHECKS: dict[str, tuple[str, Callable[..., Iterable[Finding]]]] = {}

#: "doc" checks whose findings depend on nothing but the post (its ``Doc``), the rule and
#: the settings in ``cache.post_fingerprint`` (holidays included): not on today, other
#: posts, the registries, the previous build's manifest or the waivers. Their findings are
#: kept between builds (``cache.PostMemo``); every other check runs on every build.
POST_ONLY: set[str] = set()


def check(
    kind: str, post_only: bool = False
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a check; ``post_only`` (a "doc" check, see ``POST_ONLY``) lets its
    findings be reused for a post whose ``Doc`` did not change."""
    if post_only and kind != "doc":
        raise ValueError(f"post_only is for 'doc' checks, not {kind!r}")

    def decorate(fn: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        CHECKS[fn.__name__] = (kind, fn)
        if post_only:
            POST_ONLY.add(fn.__name__)
        return fn

    return decorate


def doc_finding(rule: Rule, doc: Doc, detail: str = "") -> Finding:
    return Finding(rule.id, doc.path, detail, url=doc.url)


def site_finding(rule: Rule, detail: str = "", target: str = "site") -> Finding:
    return Finding(rule.id, target, detail)


# -- URLs -------------------------------------------------------------------------------


def output_url(rel: str) -> str:
    """The URL (relative to SITEURL) of an output file: a/b/index.html → a/b/."""
    rel = rel.replace("\\", "/")
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def local_url(href: str, page_url: str, siteurl: str) -> str | None:
    """A link as a site-relative URL ("gioi-thieu/"), or None if it leaves the site."""
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    base = (siteurl or "http://site.invalid") + "/"
    absolute = urljoin(base + page_url, href.strip())
    parts = urlsplit(absolute)
    site = urlsplit(base)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    path = parts.path
    prefix = site.path
    if not path.startswith(prefix):
        return None
    path = path[len(prefix) :]
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path


@functools.lru_cache(maxsize=4096)  # the site's own URL and template scripts, on every page
def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


# -- rendered pages ---------------------------------------------------------------------


@dataclass
class PageView:
    """One HTML output file, shared by every page check.

    Parsing a whole page costs more than all the checks together, so a page is parsed
    in regions: the <header>, <main> and <footer> elements are cut out of the text and
    parsed on their own, and checks whose answer depends only on a region's bytes
    (the header and footer come from templates and repeat on every page) are computed
    once per distinct region (``memo``). Simple presence tests run on the text first;
    the whole page is parsed only when one of them hits, or when a region is missing.
    """

    rel: str  # path in the output folder
    text: str
    kind: str  # "article", "page", "home" or "listing"
    doc: Doc | None
    selectors: dict[str, str]
    siteurl: str
    decode_error: bool = False
    memos: dict[Any, Any] = field(default_factory=dict)  # shared by the pages of one run

    @cached_property
    def url(self) -> str:
        return output_url(self.rel)

    @property
    def target(self) -> str:
        return self.doc.path if self.doc else "/" + self.url

    @cached_property
    def tree(self) -> Any:
        """The whole document (plain lxml.etree: no per-element Python class lookups)."""
        root = _parse(self.text)
        return root if root is not None else _parse("<html></html>")

    @cached_property
    def head_text(self) -> str:
        start = self.text.find("<head")
        end = self.text.find("</head>", start)
        return self.text[start:end] if start != -1 and end != -1 else self.text[:4000]

    def region_text(self, name: str) -> str | None:
        """The source of the first (footer: last) element of a plain-tag selector."""
        tag = self.selectors.get(name, name)
        if not tag.isalpha():
            return None
        cache = self.__dict__.setdefault("_regions", {})
        if name not in cache:
            cache[name] = _cut(self.text, tag, last=(tag == "footer"))
        return cache[name]

    def region(self, name: str) -> Any:
        """The element for a region selector, parsed from its own text (or the tree)."""
        cache = self.__dict__.setdefault("_region_roots", {})
        if name not in cache:
            text = self.region_text(name)
            found = None
            if text is not None:
                fragment = _parse(text)
                tag = self.selectors.get(name, name)
                found = next(fragment.iter(tag), None) if fragment is not None else None
            if found is None:
                hits = self.select(name)
                found = hits[0] if hits else None
            cache[name] = found
        return cache[name]

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self.memos:
            self.memos[key] = compute()
        return self.memos[key]

    def select(self, name: str, root: Any = None) -> list[Any]:
        """Elements matching the theme selector called ``name`` (under ``root``)."""
        return compile_selector(self.selectors[name])(self.tree if root is None else root)

    def first(self, name: str) -> Any:
        found = self.select(name)
        return found[0] if found else None

    @cached_property
    def main_root(self) -> Any:
        """<main> (parsed on its own), else <body>."""
        found = self.region("main")
        if found is not None:
            return found
        body = self.tree.find("body")
        return body if body is not None else self.tree

    @cached_property
    def main_text(self) -> str:
        """The source of <main> (cut from the page), else the whole page."""
        text = self.region_text("main")
        return text if text is not None else self.text

    @cached_property
    def _content_source(self) -> str | None:
        """The source of the article body, cut out of <main> (None: not found or not cuttable)."""
        groups = parse_selector(self.selectors["article_body"]).groups
        if len(groups) != 1 or len(groups[0]) != 1:
            return None
        sources = self._sources("main", groups[0][0])
        return sources[0][0] if sources else None

    @cached_property
    def content_text(self) -> str:
        """The source of the editor's text: the article body, else <main> (for cheap tests)."""
        source = self._content_source
        return source if source is not None else self.main_text

    @cached_property
    def content_root(self) -> Any:
        """Where the editor's text is: the article body inside <main>, else <main>."""
        source = self._content_source
        if source is not None:
            step = parse_selector(self.selectors["article_body"]).groups[0][0]
            found = next((e for e in _parse_fragment(source).iter() if step.matches(e)), None)
            if found is not None:
                return found
        found = self.select("article_body", self.main_root)
        return found[0] if found else self.main_root

    def _sources(self, region: str, step: Any) -> list[tuple[str, str]] | None:
        """The elements of a region matching one selector step, cut out of its source."""
        cache = self.__dict__.setdefault("_cuts", {})
        key = (region, step)
        if key not in cache:
            text = self.main_text if region == "main" else self.region_text(region)
            ok = text is not None and self.markup_only(region)
            cache[key] = cut_sources(text, step, markup_checked=True) if ok else None
        return cache[key]

    def markup_only(self, region: str = "main") -> bool:
        """Whether a region's source has no comments, scripts or raw text (see ``markup_only``)."""
        cache = self.__dict__.setdefault("_markup_only", {})
        if region not in cache:
            text = self.main_text if region == "main" else self.region_text(region)
            cache[region] = text is not None and markup_only(text)
        return cache[region]

    def has(self, name: str, region: str = "main") -> bool:
        """Whether an element matches the selector ``name`` inside a region.

        The elements matching the selector's first step are cut out of the region's source
        and parsed on their own (a few hundred bytes, not the whole region); a selector
        that cannot be cut that way falls back to the parsed region.
        """
        selector = self.selectors[name]
        groups = parse_selector(selector).groups
        text = self.main_text if region == "main" else self.region_text(region)
        if text is not None and self.markup_only(region):
            answers = [
                has_chain(text, steps, True, lambda step: self._sources(region, step))
                for steps in groups
            ]
            if any(answers):
                return True
            if all(answer is False for answer in answers):
                return False
        parsed = self.__dict__.setdefault("_cut_roots", {})
        for steps, css in zip(groups, [g.strip() for g in selector.split(",")], strict=True):
            sources = self._sources(region, steps[0])
            if sources is None:
                root = self.main_root if region == "main" else self.region(region)
                return root is not None and bool(self.select(name, root))
            for source, _tag in sources:
                if source not in parsed:
                    parsed[source] = _parse_fragment(source)
                if compile_selector(css)(parsed[source]):
                    return True
        return False

    def links(self, root: Any) -> list[tuple[str, str | None, Any]]:
        """(text, site-relative URL or None, element) for every <a href> under root."""
        out = []
        for a in root.iter("a"):
            href = a.get("href")
            if href is None:
                continue
            out.append((text_of(a), local_url(href, self.url, self.siteurl), a))
        return out

    def finding(self, rule: Rule, detail: str = "") -> Finding:
        return Finding(rule.id, self.target, detail, url=self.url)


def _parse(text: str) -> Any:
    return etree.fromstring(text.encode("utf-8"), _PARSER) if text else None


def _parse_fragment(text: str) -> Any:
    """A cut-out element: the same tree, without the document type node."""
    return etree.fromstring(text.encode("utf-8"), _FRAGMENT_PARSER)


def _cut(text: str, tag: str, last: bool = False) -> str | None:
    """``<tag …>…</tag>`` from the text (first one, or last), or None."""
    opening = "<" + tag
    start = text.rfind(opening) if last else text.find(opening)
    while start != -1 and text[start + len(opening) : start + len(opening) + 1] not in (
        " ",
        ">",
        "\n",
        "\t",
    ):
        start = text.rfind(opening, 0, start) if last else text.find(opening, start + 1)
    if start == -1:
        return None
    end = text.find("</" + tag + ">", start)
    return text[start : end + len(tag) + 3] if end != -1 else None


_START_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?/?>")
_CUT_ATTR_RE = re.compile(r"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _TagStub:
    """Enough of an element (tag, get) to match a selector step against a start tag's text."""

    __slots__ = ("attrs", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


_OPAQUE_RE = re.compile(r"<(?:!--|script|template|textarea|style|SCRIPT|STYLE)")


def markup_only(text: str) -> bool:
    """No comments, scripts or raw text: a string search over it sees only real tags."""
    return _OPAQUE_RE.search(text) is None


def _needle(step: Any) -> str | None:
    """A string every start tag matching ``step`` contains (to find candidates fast)."""
    if step.id:
        return step.id
    if step.classes:
        return max(step.classes, key=len)
    for name, op, value in step.attrs:
        return value if op and value else name
    if step.tag and step.tag != "*":
        return "<" + step.tag
    return None


def _start_tags(text: str, step: Any, needle: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name as written) of the start tags in ``text`` that match ``step``."""
    pos = text.find(needle)
    while pos != -1:
        start = pos if needle[0] == "<" else text.rfind("<", 0, pos)
        close = text.find(">", start) if start != -1 else -1
        if close >= pos and text[start + 1 : start + 2].isalpha():
            raw = _tag_matches(text[start : close + 1], step)
            if raw is not None:
                yield start, close + 1, raw
        pos = text.find(needle, max(pos + 1, close))


_TAG_MATCHES: dict[tuple[str, Any], str | None] = {}  # template tags repeat on every page


def _tag_matches(tag: str, step: Any) -> str | None:
    """The name as written of the start tag ``tag`` if it matches ``step``, else None."""
    key = (tag, step)
    if key in _TAG_MATCHES:
        return _TAG_MATCHES[key]
    found = None
    match = _START_TAG_RE.match(tag)
    if match is not None:
        raw = match.group(1)
        attrs = {}
        for name, double, single, bare in _CUT_ATTR_RE.findall(match.group(2) or ""):
            value = double or single or bare
            attrs[name.lower()] = html.unescape(value) if "&" in value else value
        if step.matches(_TagStub(raw.lower(), attrs)):
            found = raw
    if len(_TAG_MATCHES) < 20_000:
        _TAG_MATCHES[key] = found
    return found


def cut_sources(text: str, step: Any, markup_checked: bool = False) -> list[tuple[str, str]] | None:
    """(source, tag) of every element of ``text`` whose start tag matches ``step``.

    None when that cannot be done by string search: the step gives nothing to search
    for, the text has comments, scripts or raw text, or an element does not close.
    """
    needle = _needle(step)
    if needle is None or not (markup_checked or markup_only(text)):
        return None
    out = []
    for start, body, raw in _start_tags(text, step, needle):
        if not raw.islower():
            return None
        end = _element_end(text, body, raw)
        if end is None:
            return None
        out.append((text[start:end], raw))
    return out


def has_chain(
    text: str,
    steps: tuple[Any, ...],
    markup_checked: bool = False,
    cut: Callable[[Any], list[tuple[str, str]] | None] | None = None,
) -> bool | None:
    """Whether the descendant chain ``steps`` (``.a .b``) matches in ``text``, by string
    search alone: the last step's start tag inside an element cut for each earlier step.
    None when it cannot be decided that way (child combinator, nothing to search for…).
    ``cut(step)``, if given, returns ``cut_sources(text, step)`` (a page keeps its cuts:
    ``.article-tools .print`` and ``.article-tools .save`` cut ``.article-tools`` once)."""
    if any(step.combinator == ">" for step in steps[1:]) or any(
        _needle(step) is None for step in steps
    ):
        return None
    if not (markup_checked or markup_only(text)):
        return None
    *outer, last = steps
    return _chain(text, outer, last, cut)


def _chain(text: str, outer: list[Any], last: Any, cut: Any = None) -> bool | None:
    if not outer:
        return next(_start_tags(text, last, _needle(last)), None) is not None
    sources = cut(outer[0]) if cut else cut_sources(text, outer[0], markup_checked=True)
    if sources is None:
        return None
    for source, _tag in sources:
        found = _chain(source[source.index(">") + 1 :], outer[1:], last)
        if found is None or found:
            return found
    return False


def _element_end(text: str, body: int, tag: str) -> int | None:
    """Where the element whose start tag ends at ``body`` ends, counting nested ``tag``s."""
    if tag in _VOID or text[body - 2] == "/":
        return body
    opening, closing = "<" + tag, "</" + tag
    depth, pos = 1, body
    while True:
        end = text.find(closing, pos)
        if end == -1:
            return None
        after = end + len(closing)
        if text[after : after + 1] not in (">", " ", "\n", "\t"):
            pos = after
            continue
        nested = text.find(opening, pos, end)
        while nested != -1 and text[nested + len(opening)] not in " >\n\t/":
            nested = text.find(opening, nested + 1, end)
        if nested != -1:
            depth += 1
            pos = nested + len(opening)
            continue
        depth -= 1
        if not depth:
            close = text.find(">", after)
            return close + 1 if close != -1 else None
        pos = after


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass
class Asset:
    rel: str
    path: str

    def read(self) -> bytes:
        with open(self.path, "rb") as handle:
            return handle.read()


@dataclass
class Output:
    """What the one pass over the output learnt, for the site-wide HTML checks."""

    files: set[str] = field(default_factory=set)
    html_urls: set[str] = field(default_factory=set)
    nav: list[tuple[str, str | None, str]] = field(default_factory=list)  # text, local, href
    home_links: set[str] = field(default_factory=set)
    home_hrefs: list[str] = field(default_factory=list)
    home_accesskeys: set[str] = field(default_factory=set)
    home_has_font_size: bool = False
    footer_links: set[str] = field(default_factory=set)
    page_links: dict[str, set[str]] = field(default_factory=dict)  # page url → local links
    page_text: dict[str, str] = field(default_factory=dict)  # page url → text of <main>
    page_mailtos: dict[str, list[str]] = field(default_factory=dict)
    page_forms: dict[str, int] = field(default_factory=dict)
    collecting: list[str] = field(default_factory=list)  # what the pages collect, where
    css_print: bool = False
    feeds: list[str] = field(default_factory=list)
    has_home: bool = False


# -- required sections ------------------------------------------------------------------


@dataclass(frozen=True)
class SectionTarget:
    key: str
    kind: str  # "page" or "category"
    slug: str
    url: str
    title: str
    ok: bool  # exists and is not empty
    doc: Doc | None = None


_PARSER = etree.HTMLParser(encoding="utf-8", no_network=True)
_FRAGMENT_PARSER = etree.HTMLParser(encoding="utf-8", no_network=True, default_doctype=False)
MIN_PAGE_TEXT = 80
_TAG_RE = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    return " ".join(_TAG_RE.sub(" ", html_text or "").split())


def section_targets(site: Site) -> dict[str, list[SectionTarget]]:
    """For each required section, where the site provides it (settings, then Section: fields)."""
    cached = getattr(site, "_section_targets", None)
    if cached is not None:
        return cached
    pages = {d.slug: d for d in site.pages if d.status != "draft"}
    out: dict[str, list[SectionTarget]] = {}
    for key, candidates in site.config.sections.items():
        for candidate in candidates:
            kind, _, slug = candidate.partition(":")
            target = _target(key, kind, slug, pages, site.categories, site)
            if target:
                out.setdefault(key, []).append(target)
    for doc in site.docs:
        for key in doc.sections:
            if doc.status == "draft":
                continue
            target = SectionTarget(
                key,
                "page" if doc.kind == "page" else "article",
                doc.slug,
                doc.url,
                doc.title,
                len(plain_text(doc.content)) >= MIN_PAGE_TEXT,
                doc,
            )
            if target not in out.get(key, []):
                out.setdefault(key, []).append(target)
    site._section_targets = out  # type: ignore[attr-defined]
    return out


def _target(
    key: str,
    kind: str,
    slug: str,
    pages: dict[str, Doc],
    categories: dict[str, CategoryInfo],
    site: Site | None = None,
) -> SectionTarget | None:
    if kind == "page" and slug in pages:
        doc = pages[slug]
        ok = len(plain_text(doc.content)) >= MIN_PAGE_TEXT
        return SectionTarget(key, "page", slug, doc.url, doc.title, ok, doc)
    if kind == "category" and slug in categories:
        cat = categories[slug]
        return SectionTarget(key, "category", slug, cat.url, cat.name, cat.count > 0)
    if kind == "register" and site is not None:
        documents = [
            d
            for d in site.docs
            if d.kind == "document" and (slug != "du-thao" or d.field("document_draft"))
        ]
        if documents:
            return SectionTarget(key, "register", slug, "van-ban/", "Văn bản", True)
    return None


def best_target(site: Site, key: str) -> SectionTarget | None:
    targets = section_targets(site).get(key, [])
    good = [t for t in targets if t.ok]
    return (good or targets or [None])[0]
