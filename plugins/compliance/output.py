"""The output as the checks see it: a view of each HTML page, other files, and what the
one pass over them learns about the whole site."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .htmlcut import cut_region, cut_sources, has_chain, markup_only
from .model import Doc, Finding
from .rules import Rule
from .selectors import compile_selector, parse_selector

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
            cache[name] = cut_region(self.text, tag, last=(tag == "footer"))
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


_PARSER = etree.HTMLParser(encoding="utf-8", no_network=True)
_FRAGMENT_PARSER = etree.HTMLParser(encoding="utf-8", no_network=True, default_doctype=False)
