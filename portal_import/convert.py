"""Old HTML to the portal's Markdown: the sanitiser's rules first, then markdownify, then NFC.

The body is sanitised with the build's own allow-list (plugins/html_sanitizer), so what the
build would strip is stripped here, and reported per article, instead of a warning in every
build. Photos the old site served (``/uploads/news/…``) are found, handed to a callback that
places them under content/images/, and their addresses rewritten to ``{static}/…``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from plugins.html_sanitizer.sanitize import sanitize
from plugins.portal_core.text import nfc

_CONVERTER = MarkdownConverter(
    heading_style="ATX",
    bullets="-",
    escape_misc=False,
    strip=["span", "font", "u"],
    newline_style="SPACES",
)
_BLANKS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_AUTOP_BLOCK = re.compile(r"<(?:p|div|table|ul|ol|h[1-6]|blockquote|pre|figure)\b", re.I)


class Body:
    """One article's HTML, parsed once: its photos are read, then it is rendered."""

    def __init__(self, html: str, photo_prefixes=()) -> None:
        cleaned, self.removed = sanitize(nfc(html or ""))
        self.soup = BeautifulSoup(cleaned, "lxml")
        self.prefixes = tuple(photo_prefixes)
        self.images = [img for img in self.soup.find_all("img") if img.get("src")]

    def photo_paths(self) -> list[str]:
        """Site paths (``/uploads/news/2017_08/x.jpg``) of the photos the old site served."""
        return [p for p in (self.local_path(img["src"]) for img in self.images) if p]

    def old_file_links(self) -> list[str]:
        """Links to files the old site served (attachments): they will not resolve here."""
        links = (a.get("href", "") for a in self.soup.find_all("a"))
        return [p for p in (self.local_path(h) for h in links if h) if p]

    def local_path(self, src: str) -> str | None:
        parts = urlsplit(src.strip())
        path = unquote(parts.path)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if parts.netloc and "/" in self.prefixes:  # saved pages: own host already made a path
            return None
        if any(path.startswith(prefix) for prefix in self.prefixes):
            return path
        return None

    def render(self, place: Callable[[str, str], str | None]) -> str:
        """Markdown, each old photo replaced by ``place(site_path, alt)`` (None drops it)."""
        for img in self.images:
            path = self.local_path(img["src"])
            if path is None:
                continue
            new = place(path, img.get("alt", ""))
            if new is None:
                img.decompose()
            else:
                img["src"] = new
        return to_markdown_soup(self.soup)


def to_markdown_soup(soup: BeautifulSoup) -> str:
    text = _CONVERTER.convert_soup(soup)
    text = _TRAILING.sub("\n", text.replace("\xa0", " ").replace("\r", ""))
    return nfc(_BLANKS.sub("\n\n", text).strip()) + "\n"


def to_markdown(html: str) -> str:
    return to_markdown_soup(BeautifulSoup(sanitize(nfc(html or ""))[0], "lxml"))


def plain_text(html: str) -> str:
    """One line of text (a summary): tags removed, entities decoded, spaces collapsed."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return nfc(" ".join(html.split()))
    text = BeautifulSoup(html, "lxml").get_text(" ")
    return nfc(" ".join(text.split()))


def autop(text: str) -> str:
    """WordPress's stored content keeps paragraphs as blank lines (wpautop at display time).

    Block-editor content (``<!-- wp:paragraph --><p>…</p>``) already has its tags: its
    comments are dropped first so each block is seen as the HTML it is.
    """
    text = _COMMENT.sub("", text)
    if _AUTOP_BLOCK.search(text) and "\n\n" not in text:
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    out = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if _AUTOP_BLOCK.match(paragraph):
            out.append(paragraph)
        else:
            out.append("<p>" + paragraph.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)
