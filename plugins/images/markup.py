"""Find images in post HTML, check their alt text and replace them with ``<picture>``.

Pure string code (no Pelican, no Pillow), so the compliance checks can reuse
:func:`missing_alt`. The HTML it reads is the sanitised body of a post (quoted
attributes, ``<p>`` around block images), as Markdown and nh3 produce it.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
IMG_RE = re.compile(rf"<img\b{_ATTRS}>", re.IGNORECASE)
_PARA_BEFORE = re.compile(rf"<p>\s*(?P<link><a\b{_ATTRS}>\s*)?\Z", re.IGNORECASE)
_PARA_AFTER = re.compile(r"\s*(?P<link></a>\s*)?</p>", re.IGNORECASE)
_HREF_RE = re.compile(r"""(?P<head><a\b[^>]*?\shref\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.I)
_INTRASITE = re.compile(r"^(?:\{(static|attach|filename)\}|\|(static|attach|filename)\|)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class _TagParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = {name.lower(): value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, entity-decoded."""
    parser = _TagParser()
    parser.feed(tag)
    parser.close()
    return parser.attrs


@dataclass(frozen=True)
class ImgTag:
    """One ``<img>`` in a body, with the ``<p>`` it fills alone (block image) if any."""

    start: int
    end: int
    attrs: dict[str, str]
    block_start: int | None = None  # the <p> to replace with a <figure>
    block_end: int | None = None
    link_open: str = ""  # an <a …> around the image inside that <p>
    in_picture: bool = False  # already inside a <picture> written by hand

    @property
    def src(self) -> str:
        return self.attrs.get("src", "")


def may_rewrite(body: str) -> bool:
    """Whether ``rewrite`` could change ``body``: it has an image, or a link that is not
    to a web address (a link to a photo in the content folder is pointed at its
    published file)."""
    if IMG_RE.search(body):
        return True
    return any(
        not _SCHEME.match(match.group("url")) and not match.group("url").startswith("#")
        for match in _HREF_RE.finditer(body)
    )


def find_images(body: str) -> list[ImgTag]:
    """Every ``<img>`` in document order."""
    found: list[ImgTag] = []
    for match in IMG_RE.finditer(body or ""):
        attrs = tag_attributes(match.group(0))
        opened = body.rfind("<picture", 0, match.start())
        if opened > body.rfind("</picture>", 0, match.start()):
            found.append(ImgTag(match.start(), match.end(), attrs, in_picture=True))
            continue
        before = _PARA_BEFORE.search(body, max(0, match.start() - 4000), match.start())
        after = _PARA_AFTER.match(body, match.end())
        if before and after and bool(before.group("link")) == bool(after.group("link")):
            found.append(
                ImgTag(
                    match.start(),
                    match.end(),
                    attrs,
                    before.start(),
                    after.end(),
                    (before.group("link") or "").strip(),
                )
            )
        else:
            found.append(ImgTag(match.start(), match.end(), attrs))
    return found


def missing_alt(body: str) -> list[str]:
    """The ``src`` of every image without a text alternative (no alt, or alt blank)."""
    return [tag.src for tag in find_images(body) if not tag.attrs.get("alt", "").strip()]


def content_path(url: str, relative_dir: str) -> str | None:
    """Path inside content/ that an image URL in a post points to; None if external.

    Follows Pelican's ``{static}`` rules: a leading ``/`` starts at content/, anything
    else is relative to the post's folder. Site-absolute ``/images/x.jpg`` is read
    the same way. The result may start with ``../`` (outside content/): callers
    treat that as a missing file.
    """
    url = html.unescape(url).strip()
    intrasite = _INTRASITE.match(url)
    if intrasite:
        url = url[intrasite.end() :]
    elif _SCHEME.match(url) or url.startswith(("//", "#", "?")):
        return None
    path = unquote(urlsplit(url).path)
    if not path:
        return None
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(relative_dir, path)
    return posixpath.normpath(joined)


# -- rendering -----------------------------------------------------------------------


@dataclass(frozen=True)
class PictureSources:
    """What a ``<picture>`` needs; URLs are final (SITEURL included)."""

    src: str
    width: int
    height: int
    srcset_webp: str
    srcset_fallback: str
    fallback_type: str
    sizes: str


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def render_picture(pic: PictureSources, alt: str, *, eager: bool, extra: str = "") -> str:
    """``<picture>`` with WebP and fallback sources; lazy unless ``eager`` (the lead)."""
    loading = ' fetchpriority="high"' if eager else ' loading="lazy" decoding="async"'
    return (
        f'<picture><source type="image/webp" srcset="{_attr(pic.srcset_webp)}" '
        f'sizes="{_attr(pic.sizes)}">'
        f'<img src="{_attr(pic.src)}" srcset="{_attr(pic.srcset_fallback)}" '
        f'sizes="{_attr(pic.sizes)}" width="{pic.width}" height="{pic.height}" '
        f'alt="{_attr(alt)}"{extra}{loading}></picture>'
    )


def render_figure(
    pic: PictureSources, alt: str, caption: str, *, eager: bool, link: str = ""
) -> str:
    """A block image: ``<figure>``, optional link around the picture, ``<figcaption>``."""
    inner = render_picture(pic, alt, eager=eager)
    if link:
        inner = f"{link}{inner}</a>"
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="image">{inner}{caption_html}</figure>'


def rewrite(
    body: str,
    picture_for: Callable[[ImgTag, int], PictureSources | None],
    href_for: Callable[[str], str | None],
    *,
    first_is_lead: bool,
) -> str:
    """The body with each image that ``picture_for`` knows replaced by a picture.

    A block image (alone in its paragraph) becomes a ``<figure>`` whose caption is
    the Markdown image title; an inline image becomes a bare ``<picture>``. Links
    whose target ``href_for`` maps are pointed at the new file.
    """
    out: list[str] = []
    pos = 0
    for index, tag in enumerate(find_images(body)):
        pic = None if tag.in_picture else picture_for(tag, index)
        if pic is None:
            continue
        eager = first_is_lead and index == 0
        alt = tag.attrs.get("alt", "")
        title = " ".join(tag.attrs.get("title", "").split())
        if tag.block_start is not None and tag.block_end is not None:
            start, end = tag.block_start, tag.block_end
            link = _rewrite_hrefs(tag.link_open, href_for) if tag.link_open else ""
            new = render_figure(pic, alt, title, eager=eager, link=link)
        else:
            start, end = tag.start, tag.end
            extra = f' title="{_attr(title)}"' if title else ""
            new = render_picture(pic, alt, eager=eager, extra=extra)
        if start < pos:  # overlapping matches cannot happen in sane HTML; keep the first
            continue
        out.append(_rewrite_hrefs(body[pos:start], href_for))
        out.append(new)
        pos = end
    out.append(_rewrite_hrefs(body[pos:], href_for))
    return "".join(out)


def _rewrite_hrefs(fragment: str, href_for: Callable[[str], str | None]) -> str:
    def replace(match: re.Match) -> str:
        new = href_for(html.unescape(match.group("url")))
        if new is None:
            return match.group(0)
        quote = match.group("q")
        return f"{match.group('head')}{quote}{_attr(new)}{quote}"

    return _HREF_RE.sub(replace, fragment)


def link_targets(body: str) -> list[str]:
    """Every ``href`` in ``<a>`` tags (entity-decoded), for images linked rather than shown."""
    return [html.unescape(m.group("url")) for m in _HREF_RE.finditer(body or "")]


def srcset(items: list[tuple[str, int]]) -> str:
    """``url 480w, url 800w`` from (url, width) pairs."""
    return ", ".join(f"{url} {width}w" for url, width in items)
