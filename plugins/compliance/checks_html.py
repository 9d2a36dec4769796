"""Checks over the rendered output: each HTML page (parsed once), other files, and the whole.

Page checks get a ``PageView``; ``collect`` gathers, in the same pass, what the
site-wide checks need (menu, home page links, forms…), so no file is read twice.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

from lxml import etree

from plugins.portal_core.text import fold

from .checks_meta import SECTION_LABELS, is_preview
from .htmlcut import TagStub, tag_attrs
from .model import Finding, Site
from .output import Asset, Output, PageView, host_of, text_of
from .registry import check, site_finding
from .rules import Rule
from .sections import section_targets
from .selectors import parse_selector
from .text import legacy_fonts

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ACCESSKEYS = etree.XPath("//*[@accesskey]")
_FORM_RE = re.compile(r"<form\b[^>]*>", re.I)


_STYLED = etree.XPath(".//*[@style]")
_BLINK_STYLE_RE = re.compile(r"animation[^;]*infinite|text-decoration\s*:\s*blink", re.I)
_COLOUR_STYLE_RE = re.compile(r"(^|;)\s*color\s*:", re.I)
_FILENAME_RE = re.compile(
    r"(\.(jpe?g|png|gif|webp|svg|bmp|tiff?)$)|^(img|dsc|dcim|image)[_-]?\d+", re.I
)
VAGUE_ALT = {"anh", "hinh", "hinh anh", "image", "img", "photo", "picture", "anh minh hoa", "logo"}
VAGUE_LINKS = {
    "xem them",
    "tai day",
    "chi tiet",
    "click here",
    "here",
    "doc tiep",
    "xem",
    "bam vao day",
    "nhan vao day",
    "link",
    "»",
    ">>",
    "...",
}
DC_REQUIRED = ("title", "creator", "date", "description", "publisher", "identifier")
INTRO_KEYS = {"chuc-nang-nhiem-vu", "so-do-to-chuc", "lich-su", "lanh-dao"}


_HEADING_RE = re.compile(r"<[hH]([1-6])[\s/>]")


@functools.lru_cache(maxsize=32)
def _tag_re(tags: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"<(?:" + "|".join(tags) + r")[\s/>]", re.I)


def _has_tag(text: str, *tags: str) -> bool:
    """Whether the source may hold one of these elements (a cheap test before parsing)."""
    return _tag_re(tags).search(text) is not None


_CONTENT_TAGS = ("a", "audio", "blockquote", "font", "table", "video")
_CONTENT_TAG_RE = re.compile(
    r"<(?=[abftv])(?:" + "|".join(f"({tag})" for tag in _CONTENT_TAGS) + r")[\s/>]", re.I
)


def _content_has(page: PageView, *tags: str) -> bool:
    """``_has_tag(page.content_text, *tags)`` for the content rules' tags, from one pass
    over the editor's text (at most one of them matches at a '<')."""
    found = page.__dict__.get("_content_tags")
    if found is None:
        matches = _CONTENT_TAG_RE.finditer(page.content_text)
        found = page.__dict__["_content_tags"] = {_CONTENT_TAGS[m.lastindex - 1] for m in matches}
    return any(tag in found for tag in tags)


# -- every page: the template ------------------------------------------------------------

_CHARSET_RE = re.compile(
    r"<meta\s+(?:charset\s*=\s*[\"']?utf-?8[\"'\s/>]|http-equiv\s*=\s*[\"']?content-type"
    r"[\"']?\s+content\s*=\s*[\"'][^\"']*charset=utf-?8)",
    re.I,
)


def _first_head_tag(head: str) -> str:
    """The first tag inside <head>, skipping white space and comments."""
    pos = head.find(">") + 1
    while True:
        while pos < len(head) and head[pos].isspace():
            pos += 1
        if head.startswith("<!--", pos):
            pos = head.find("-->", pos) + 3
            if pos < 3:
                return ""
            continue
        end = head.find(">", pos)
        return head[pos : end + 1] if end != -1 else ""


_HEAD_TAGS: dict[str, dict[str, str]] = {}  # most head tags repeat from page to page


def _head_tag(tag: str) -> dict[str, str]:
    """The attributes of a <meta>/<link> tag, and "<": its name (shared: do not change it)."""
    attrs = _HEAD_TAGS.get(tag)
    if attrs is None:
        attrs = tag_attrs(tag)
        attrs["<"] = tag[1:5].lower()
        if len(_HEAD_TAGS) < 20_000:
            _HEAD_TAGS[tag] = attrs
    return attrs


def _head_tags(page: PageView, needle: str) -> list[dict[str, str]]:
    """Attributes of the <meta>/<link> tags in <head> that contain ``needle`` (a regex read)."""
    head = page.head_text
    out = []
    pos = head.find(needle)
    while pos != -1:
        start = head.rfind("<", 0, pos)
        end = head.find(">", pos)
        if start != -1 and end != -1 and head[start + 1 : start + 5].lower() in ("meta", "link"):
            out.append(_head_tag(head[start : end + 1]))
        pos = head.find(needle, end if end != -1 else pos + 1)
    return out


@check("page")
def html_charset(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if page.decode_error:
        yield page.finding(rule, "tệp không đọc được theo UTF-8")
    elif not _CHARSET_RE.match(_first_head_tag(page.head_text)):
        yield page.finding(rule, '<meta charset="utf-8"> không phải thẻ đầu tiên trong <head>')


@check("page")
def html_nfc(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not unicodedata.is_normalized("NFC", page.text):
        bad = next((w for w in page.text.split() if not unicodedata.is_normalized("NFC", w)), "")
        yield page.finding(rule, f"ví dụ từ “{bad[:40]}”")


@check("page")
def viewport(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    tags = _head_tags(page, "viewport")
    values = [t.get("content", "") for t in tags if t.get("name") == "viewport"]
    if not any("width=device-width" in v.replace(" ", "") for v in values):
        yield page.finding(rule)


def _region_details(
    page: PageView, name: str, compute: Callable[[Any], list[str]], check_name: str
) -> list[str]:
    """Details for a template region, computed once per distinct region text."""
    text = page.region_text(name)
    if text is None:
        return compute(page.region(name))
    return page.memo((check_name, text), lambda: compute(page.region(name)))


@check("page")
def footer_identity(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    def compute(footer: Any) -> list[str]:
        if footer is None:
            return ["trang không có chân trang"]
        missing = []
        if not page.select("identity_block", footer):
            missing.append(f"khối {page.selectors['identity_block']}")
        text = text_of(footer).casefold()
        if "©" not in text and "bản quyền" not in text:
            missing.append("thông tin bản quyền (© hoặc 'Bản quyền')")
        labels = {
            "agency": "tên đơn vị",
            "responsible": "người chịu trách nhiệm",
            "address": "địa chỉ",
            "phone": "điện thoại",
            "email": "thư điện tử",
        }
        for key, label in labels.items():
            value = " ".join(site.config.identity.get(key, "").split()).casefold()
            if not value or value not in text:
                missing.append(label)
        return ["thiếu " + ", ".join(missing)] if missing else []

    for detail in _region_details(page, "footer", compute, "footer_identity"):
        yield page.finding(rule, detail)


@check("page")
def header_block(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    def compute(header: Any) -> list[str]:
        if header is None:
            return ["trang không có phần đầu trang"]
        missing = []
        if not any(_named_image(img) for img in header.iter("img", "svg")):
            missing.append("quốc huy hoặc biểu trưng (ảnh có alt hoặc nằm trong liên kết có chữ)")
        words = set(" ".join(header.itertext()).casefold().split())
        if not set(site.config.agency_name.casefold().split()) <= words:
            missing.append(f"tên đầy đủ “{site.config.agency_name}” dạng chữ")
        navs = page.select("main_nav", header) or page.select("main_nav")
        items = "|".join("".join(a.itertext()) for a in navs[0].iter("a")) if navs else ""
        folded = fold(items)
        for label in site.config.menu_labels:
            if fold(label) not in folded:
                missing.append(f"mục menu “{label}”")
        return ["thiếu " + ", ".join(missing)] if missing else []

    for detail in _region_details(page, "header", compute, "header_block"):
        yield page.finding(rule, detail)


def _named_image(img: Any) -> bool:
    """An image with alt text, or a decorative one inside a link that has text."""
    if (img.get("alt") or img.get("aria-label") or "").strip():
        return True
    parent = img.getparent()
    while parent is not None and parent.tag != "a":
        parent = parent.getparent()
    return parent is not None and bool(text_of(parent))


@check("page")
def search_form(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    def compute(region: Any) -> list[str]:
        return [] if region is not None and page.select("search_form", region) else ["-"]

    for name in ("header", "main", "footer"):
        if not _region_details(page, name, compute, "search_form"):
            return
    yield page.finding(rule, f"không có {page.selectors['search_form']}")


_BLINK_HINTS = ("marquee", "MARQUEE", "blink", "animation")


@check("page")
def no_blink(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not any(hint in page.text for hint in _BLINK_HINTS):
        return
    tree = page.tree
    tags = {el.tag for el in tree.iter("marquee", "blink")}
    if any(_BLINK_STYLE_RE.search(el.get("style", "")) for el in _STYLED(tree)):
        tags.add("hiệu ứng chuyển động lặp vô hạn")
    if tags:
        yield page.finding(rule, ", ".join(sorted(tags)))


@check("page")
def mixed_content(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    text = page.text
    siteurl = site.config.siteurl
    own = siteurl + "/" if is_preview(siteurl) and siteurl.startswith("http://") else None
    if own:
        text = text.replace(own, "/")  # the preview site's own links are not mixed content
    pos = text.find("http://")
    while pos != -1:
        before = text[max(0, pos - 8) : pos].rstrip("\"' ").lower()
        if before.endswith(("src=", "href=")):
            tag_start = text.rfind("<", 0, pos)
            tag = text[tag_start : text.find(">", pos) + 1]
            lowered = tag[:6].lower()
            if not (lowered.startswith("<a ") or lowered.startswith("<area")) and (
                not lowered.startswith("<link") or _RESOURCE_LINK_RE.search(tag)
            ):
                url = text[pos : pos + 200].split('"')[0].split("'")[0].split(">")[0]
                yield page.finding(rule, url)
                return
        pos = text.find("http://", pos + 7)


_RESOURCE_LINK_RE = re.compile(
    r"rel\s*=\s*[\"']?(stylesheet|[^\"'>]*icon|preload|manifest|modulepreload)", re.I
)
_SCRIPT_SRC_RE = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)[^>]*>""", re.I
)


def _script_host(tag: str) -> str:
    """The host a <script> tag loads from ("" for inline and relative scripts)."""
    match = _SCRIPT_SRC_RE.match(tag)
    if not match:
        return ""
    src = match.group(1)
    return host_of(src if "//" in src[:8] else "")


_MARKUP_RE = re.compile(r"<(?:script|form|FORM|Form|iframe)")


@dataclass(slots=True)
class _Markup:
    """What one pass over a page finds: the ``<script`` and ``<form`` start tags, and which
    of the strings of ``_MARKUP_RE`` (less the "<") occur."""

    scripts: list[str]
    forms: list[str]
    names: set[str]


def _markup_in(text: str) -> _Markup:
    """One search for all the strings of ``_MARKUP_RE`` (none of them can start inside
    another, so every occurrence of each is found), instead of one per string."""
    scripts, forms, names = [], [], set()
    resume = 0  # a "<script" inside the previous script's start tag is skipped
    for match in _MARKUP_RE.finditer(text):
        pos, name = match.start(), match.group()[1:]
        names.add(name)
        if name == "script" and pos >= resume:
            end = text.find(">", pos)
            scripts.append(text[pos : end + 1])
            resume = end if end != -1 else pos + 7
        elif name == "form":
            tag = _FORM_RE.match(text, pos)
            if tag:
                forms.append(tag.group())
    return _Markup(scripts, forms, names)


def _markup(page: PageView) -> _Markup:
    """``_markup_in`` of the page's text, once per page."""
    cached = page.__dict__.get("_markup")
    if cached is None:
        cached = page.__dict__["_markup"] = _markup_in(page.text)
    return cached


def _has_markup(page: PageView, name: str) -> bool:
    """Whether the page's text holds "<" + ``name`` (a string of ``_MARKUP_RE``)."""
    return name in _markup(page).names


def _external_scripts(page: PageView, own: str) -> list[tuple[str, str]]:
    """(host, <script> tag) for scripts loaded from another host."""
    cached = page.__dict__.get("_external_scripts")
    if cached is None:
        cached = page.__dict__["_external_scripts"] = []
        for tag in _markup(page).scripts:
            host = page.memo(("script-host", tag), lambda tag=tag: _script_host(tag))
            if host and host != own:
                cached.append((host, tag))
    return cached


@check("page")
def script_integrity(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    for host, tag in _external_scripts(page, host_of(site.config.siteurl)):
        if "integrity" not in tag.lower():
            yield page.finding(rule, host)


@check("page")
def prechecked_consent(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if "checked" not in page.text or not _has_markup(page, "form"):
        return
    for form in page.tree.iter("form"):
        for box in form.iter("input"):
            if box.get("checked") is not None and box.get("type") in ("checkbox", "radio"):
                yield page.finding(rule, f"ô “{box.get('name') or box.get('id') or ''}”")


@check("page")
def login_wall(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if "password" in page.text and any(
        i.get("type") == "password" for i in page.tree.iter("input")
    ):
        yield page.finding(rule, "có ô nhập mật khẩu")


# -- articles -------------------------------------------------------------------------------


@check("page")
def print_save(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    missing = [
        label for name, label in (("print", "nút In"), ("save", "nút Lưu")) if not page.has(name)
    ]
    if missing:
        yield page.finding(rule, "thiếu " + ", ".join(missing))


@check("page")
def rating_widget(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not page.has("rating"):
        yield page.finding(rule, f"không có {page.selectors['rating']}")


@check("page")
def author_rendered(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    """The byline shows the author, or the unit when the post names no author."""
    doc = page.doc
    if doc is None:
        return
    name = doc.author.strip() or doc.unit.strip()
    if not name:
        return  # author_present reports it
    main = page.main_text
    if escape(name, quote=False) not in main and name not in text_of(page.main_root):
        what = "tên tác giả" if doc.author.strip() else "tên đơn vị (tác giả của bài)"
        yield page.finding(rule, f"{what} “{name}” không hiện trên trang")


@check("page")
def source_rendered(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    doc = page.doc
    if doc is None or not doc.source_name:
        return
    main = page.main_text
    name = doc.source_name
    if escape(name, quote=False) not in main and name not in text_of(page.main_root):
        yield page.finding(rule, f"tên nguồn “{doc.source_name}” không hiện trên trang")
    if (
        doc.source_url
        and f'href="{escape(doc.source_url)}"' not in main
        and not any(a.get("href") == doc.source_url for a in page.main_root.iter("a"))
    ):
        yield page.finding(rule, f"không có liên kết tới bài gốc {doc.source_url}")


@check("page")
def blockquote_cite(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if page.doc and page.doc.source_name:
        return
    if not _content_has(page, "blockquote"):
        return
    for quote in page.content_root.iter("blockquote"):
        if quote.get("cite"):
            continue
        following = quote.getnext()
        paragraphs = [text_of(p) for p in quote.iter("p")] or [text_of(quote)]
        candidates = [paragraphs[-1], text_of(following) if following is not None else ""]
        if not any(fold(c).startswith(_CITE_STARTS) for c in candidates):
            yield page.finding(rule, f"“{text_of(quote)[:60]}…”")


_CITE_STARTS = ("—", "–", "-", "theo ", "nguon", "(theo", "(nguon", "(trich")


def _needs_dc(page: PageView, site: Site) -> bool:
    """Every home and document page (TT 24/2011 Art. 6: document pages too), the articles
    of the Dublin Core categories and the introduction pages."""
    if page.kind in ("home", "document"):
        return True
    if page.doc is None:
        return False
    if page.kind == "article":
        cats = site.config.dc_categories
        return cats is None or page.doc.category in cats
    intro_urls = {t.url for key in INTRO_KEYS for t in section_targets(site).get(key, [])}
    return page.doc.url in intro_urls


@check("page")
def dublin_core(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not _needs_dc(page, site):
        return
    metas: dict[str, str] = {}
    canonical = []
    for tag in _head_tags(page, "DC.") + _head_tags(page, "canonical"):
        name = tag.get("name", "")
        if tag["<"] == "meta" and name[:3].upper() == "DC.":
            metas.setdefault(name[3:].lower(), tag.get("content", "").strip())
        elif tag["<"] == "link" and tag.get("rel") == "canonical":
            canonical.append(tag.get("href", ""))
    missing = [f"DC.{n}" for n in DC_REQUIRED if not metas.get(n)]
    if missing:
        yield page.finding(rule, "thiếu hoặc trống: " + ", ".join(missing))
        return
    expected = canonical[0] if canonical else f"{site.config.siteurl}/{page.url}"
    if metas["identifier"] != expected:
        yield page.finding(rule, f"DC.identifier “{metas['identifier']}” khác địa chỉ {expected}")
    if page.kind == "article" and page.doc is not None and page.doc.date is not None:
        day = page.doc.date.date().isoformat()
        if not metas["date"].startswith(day):
            yield page.finding(rule, f"DC.date “{metas['date']}” khác ngày đăng {day}")


# -- editors' content (articles and pages) -------------------------------------------------


@check("page")
def img_alt(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not _has_tag(page.main_text, "img", "input"):
        return
    root = page.main_root
    for img in root.iter("img"):
        name = os.path.basename(img.get("src") or "")
        alt = img.get("alt")
        decorative = img.get("role") in ("presentation", "none") or img.get("aria-hidden") == "true"
        if alt is None:
            yield page.finding(rule, f"ảnh {name} không có alt")
        elif not alt.strip():
            if not decorative:
                yield page.finding(rule, f"ảnh {name} có alt rỗng")
        elif fold(alt) in VAGUE_ALT or _FILENAME_RE.search(alt.strip()) or alt.strip() == name:
            yield page.finding(rule, f"ảnh {name}: alt “{alt}” không mô tả nội dung")
    for img in root.iter("img"):
        a = img.getparent()
        if a is None or a.tag != "a" or a.get("aria-label") or a.get("title") or text_of(a):
            continue
        if not any((i.get("alt") or "").strip() for i in a.iter("img")):
            yield page.finding(rule, f"liên kết bằng ảnh tới {a.get('href')} không có chú thích")
    for button in root.iter("input"):
        if button.get("type") == "image" and not (button.get("alt") or "").strip():
            yield page.finding(rule, "nút bằng hình không có alt")


@check("page")
def media_captions(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not _content_has(page, "video", "audio"):
        return
    for media in page.content_root.iter("video", "audio"):
        tracks = [t for t in media.iter("track") if t.get("kind") in ("captions", "subtitles")]
        following = media.getnext()
        transcript = following is not None and "bản ghi" in text_of(following).casefold()
        if not tracks and not transcript:
            yield page.finding(rule, f"<{media.tag}> {media.get('src') or ''}".strip())


@check("page")
def heading_order(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    main = page.main_text
    if page.markup_only("main"):  # the levels from the source; the tree only to name a bad heading
        levels = [int(m) for m in _HEADING_RE.findall(main)]
        if levels.count(1) == 1 and all(
            level <= prev + 1 for prev, level in zip([1, *levels[:-1]], levels, strict=True)
        ):
            return
    headings = list(page.main_root.iter(*HEADINGS))
    levels = [int(h.tag[1]) for h in headings]
    if levels.count(1) != 1:
        yield page.finding(rule, f"có {levels.count(1)} tiêu đề cấp 1 (cần đúng 1)")
    for prev, level, heading in zip([1, *levels[:-1]], levels, headings, strict=True):
        if level > prev + 1:
            yield page.finding(
                rule, f"sau tiêu đề cấp {prev} là cấp {level}: “{text_of(heading)[:60]}”"
            )


@check("page")
def link_text(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    if not _content_has(page, "a"):
        return
    for a in page.content_root.iter("a"):
        if a.get("title") or a.get("aria-label"):
            continue
        words = fold(text_of(a)).strip(" .:")
        if words in VAGUE_LINKS:
            yield page.finding(rule, f"“{text_of(a)}” → {a.get('href')}")


def _tables(page: PageView) -> list[Any]:
    if not _content_has(page, "table"):
        return []
    return list(page.content_root.iter("table"))


@check("page")
def table_headers(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    for number, table in enumerate(_tables(page), 1):
        if next(table.iter("th"), None) is None:
            yield page.finding(rule, f"bảng thứ {number} không có ô tiêu đề (th)")


@check("page")
def table_caption(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    for number, table in enumerate(_tables(page), 1):
        if next(table.iter("caption"), None) is not None or any(
            table.get(a) for a in ("aria-label", "aria-labelledby", "aria-describedby", "summary")
        ):
            continue
        before = table.getprevious()
        if before is not None and fold(text_of(before)).startswith("bang"):
            continue
        yield page.finding(rule, f"bảng thứ {number}")


@check("page")
def inline_colour(page: PageView, site: Site, rule: Rule) -> Iterator[Finding]:
    text = page.content_text
    if "style" not in text and not _content_has(page, "font"):
        return
    root = page.content_root
    count = sum(1 for el in _STYLED(root) if _COLOUR_STYLE_RE.search(el.get("style") or ""))
    count += sum(1 for el in root.iter("font") if el.get("color"))
    if count:
        yield page.finding(rule, f"{count} chỗ đặt màu chữ")


# -- the pass over the output: what the site-wide checks need -------------------------------


def collect(page: PageView, out: Output, site: Site, merge: bool = True) -> list[list[str]]:
    """Note what this page tells about the whole site (called once per HTML page).

    Returns what the page collects from visitors (``page_notes``): the part the cache
    keeps for articles and listings; merged into ``out`` unless ``merge`` is false (the
    engine then merges every page's notes in path order).
    """
    out.html_urls.add(page.url)
    if page.decode_error:
        return []
    cfg = site.config
    if page.kind == "home":
        tree = page.tree
        out.has_home = True
        nav = page.first("main_nav")
        if nav is not None:
            out.nav = [(t, u, a.get("href") or "") for t, u, a in page.links(nav)]
        links = page.links(tree)
        out.home_links = {u for _, u, _ in links if u is not None}
        out.home_hrefs = [a.get("href") or "" for _, _, a in links]
        out.home_accesskeys = {el.get("accesskey") for el in _ACCESSKEYS(tree)}
        out.home_has_font_size = bool(page.select("font_size"))
        footer = page.first("footer")
        if footer is not None:
            out.footer_links = {u for _, u, _ in page.links(footer) if u is not None}
    if page.kind == "page" or page.url == cfg.sitemap_url:
        root = page.main_root
        out.page_links[page.url] = {u for _, u, _ in page.links(root) if u is not None}
    notes = page_notes(page, site)
    if merge:
        merge_notes(out, notes)
    return notes


def page_notes(page: PageView, site: Site) -> list[list[str]]:
    """[kind, note] for what this page collects: a form, others' scripts, cookies, frames."""
    cfg = site.config
    notes: list[list[str]] = []
    if _has_markup(page, "form"):
        search = parse_selector(cfg.selectors["search_form"]).groups
        if any(not _is_search(page, tag, search) for tag in _form_tags(page)):
            notes.append(["form", f"biểu mẫu tại /{page.url}"])
    own = host_of(cfg.siteurl)
    for host, _tag in _external_scripts(page, own):
        notes.append(["script", f"mã JavaScript của {host}"])
    if "cookie" in page.text and _has_markup(page, "script"):
        for script in page.tree.iter("script"):
            if not script.get("src") and "cookie" in (script.text or "").lower():
                notes.append(["cookie", f"cookie (mã tại /{page.url})"])
    if _has_markup(page, "iframe"):
        for frame in page.tree.iter("iframe"):
            host = host_of(frame.get("src") or "")
            if host and host != own:
                notes.append(["iframe", f"nội dung nhúng từ {host}"])
    return notes


def _is_search(page: PageView, tag: str, search: Any) -> bool:
    """Whether a <form> start tag matches the theme's search form selector."""
    return page.memo(
        ("search-form", tag),
        lambda: any(steps[-1].matches(TagStub("form", tag_attrs(tag))) for steps in search),
    )


def _form_tags(page: PageView) -> list[str]:
    """The <form> start tags of a page (from the "<form"s unless upper-case tags are used)."""
    if _has_markup(page, "FORM") or _has_markup(page, "Form"):
        return _FORM_RE.findall(page.text)
    return _markup(page).forms


def merge_notes(out: Output, notes: list[list[str]]) -> None:
    """Add a page's notes to the site's list: at most 50 forms and cookies, no repeats."""
    for kind, note in notes:
        if kind == "form":
            if len(out.collecting) < 50:
                out.collecting.append(note)
        elif kind == "cookie":
            if len(out.collecting) < 50 and note not in out.collecting:
                out.collecting.append(note)
        elif note not in out.collecting:
            out.collecting.append(note)


# -- other output files -----------------------------------------------------------------------

SECRET_NAMES = {
    ".env",
    ".htpasswd",
    "id_rsa",
    "id_ed25519",
    "credentials.json",
    ".npmrc",
    ".pypirc",
}
SECRET_SUFFIXES = (".pem", ".key", ".p12", ".pfx", ".env", ".sqlite", ".kdbx")


@check("asset")
def xml_wellformed(asset: Asset, site: Site, rule: Rule) -> Iterator[Finding]:
    if asset.rel.endswith(".xml"):
        try:
            etree.fromstring(asset.read())
        except etree.XMLSyntaxError as exc:
            yield Finding(rule.id, "/" + asset.rel, str(exc)[:160], url=asset.rel)


@check("asset")
def xml_encoding(asset: Asset, site: Site, rule: Rule) -> Iterator[Finding]:
    if asset.rel.endswith(".xml"):
        head = asset.read()[:100].decode("utf-8", "replace").lower().replace("'", '"')
        if not (head.startswith("<?xml") and 'encoding="utf-8"' in head.split("?>")[0]):
            yield Finding(rule.id, "/" + asset.rel, 'thiếu encoding="UTF-8"', url=asset.rel)


@check("asset")
def css_legacy_fonts(asset: Asset, site: Site, rule: Rule) -> Iterator[Finding]:
    if asset.rel.endswith(".css"):
        fonts = legacy_fonts(asset.read().decode("utf-8", "replace"))
        if fonts:
            yield Finding(rule.id, "/" + asset.rel, ", ".join(fonts), url=asset.rel)


@check("asset")
def secret_files(asset: Asset, site: Site, rule: Rule) -> Iterator[Finding]:
    name = os.path.basename(asset.rel).lower()
    parts = asset.rel.split("/")
    if name in SECRET_NAMES or name.endswith(SECRET_SUFFIXES) or ".git" in parts[:-1]:
        yield Finding(rule.id, "/" + asset.rel, name, url=asset.rel)


# -- site-wide, from the pass --------------------------------------------------------------------


@check("output")
def sections_reachable(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    if not out.has_home:
        return
    nav = {u for _, u, _ in out.nav if u is not None}
    reachable = nav | out.home_links
    for url in nav:
        reachable |= out.page_links.get(url, set())
    keys = getattr(site, "required_sections", ())
    for key in keys:
        targets = [t for t in section_targets(site).get(key, []) if t.ok]
        if targets and not any(t.url in reachable for t in targets):
            label = SECTION_LABELS.get(key, key)
            yield site_finding(rule, f"mục “{label}” (/{targets[0].url})")


@check("output")
def dvc_menu(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    if not out.has_home:
        return
    hosts = [h.lower() for h in site.config.dvc_hosts]
    external_only = rule.params.get("external_only", False)
    for text, local, href in out.nav:
        if "dich vu cong" not in fold(text):
            continue
        host = host_of(href)
        if (local is not None and not external_only) or any(
            host == h or host.endswith("." + h) or host.startswith("dichvucong.") for h in hosts
        ):
            return
    yield site_finding(rule, "menu chính không có mục trỏ tới dịch vụ công trực tuyến")


@check("output")
def province_link(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    portal = host_of(site.config.province_portal_url)
    if out.has_home and portal and not any(host_of(h) == portal for h in out.home_hrefs):
        yield site_finding(rule, f"không có liên kết tới {site.config.province_portal_url}")


@check("output")
def sitemaps(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    cfg = site.config
    if not out.has_home:
        return
    if cfg.sitemap_url not in out.html_urls:
        yield site_finding(rule, f"không có trang sơ đồ /{cfg.sitemap_url}")
    else:
        if cfg.sitemap_url not in out.home_links:
            yield site_finding(rule, f"trang chủ không liên kết tới /{cfg.sitemap_url}")
        listed = out.page_links.get(cfg.sitemap_url, set())
        wanted = [c.url for c in site.categories.values()] + [
            d.url for d in site.pages if d.status != "draft" and (d.lang or "vi") == "vi"
        ]
        absent = [u for u in wanted if u not in listed]
        if absent:
            yield site_finding(
                rule, f"trang sơ đồ thiếu {len(absent)} mục, ví dụ /{', /'.join(absent[:3])}"
            )
    if cfg.sitemap_xml not in out.files:
        yield site_finding(rule, f"không có tệp /{cfg.sitemap_xml}")
        return
    path = getattr(site, "output_path", "")
    try:
        root = etree.parse(os.path.join(path, cfg.sitemap_xml)).getroot()
    except (OSError, etree.XMLSyntaxError):
        yield site_finding(rule, f"/{cfg.sitemap_xml} không đúng cú pháp XML")
        return
    locs = {
        (el.text or "").strip()
        for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    wanted_urls = [f"{cfg.siteurl}/{d.url}" for d in site.docs if d.status != "draft" and d.url]
    absent = [u for u in wanted_urls if u not in locs]
    if absent:
        yield site_finding(
            rule, f"/{cfg.sitemap_xml} thiếu {len(absent)} bài, trang; ví dụ {absent[0]}"
        )


@check("output")
def accesskeys(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    if not out.has_home:
        return
    if len(out.home_accesskeys) < 3:
        yield site_finding(rule, f"trang chủ có {len(out.home_accesskeys)} phím tắt")
    if not out.home_has_font_size:
        yield site_finding(rule, "chưa có nút tăng, giảm cỡ chữ")


@check("output")
def privacy_notice(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    collecting = list(site.config.collects) + out.collecting
    if not collecting:
        return
    what = "; ".join(collecting[:5]) + (" …" if len(collecting) > 5 else "")
    targets = [t for t in section_targets(site).get(rule.params["key"], []) if t.ok]
    if not targets:
        yield site_finding(rule, f"cổng có {what} nhưng chưa có trang thông báo")
    elif out.has_home and not any(t.url in out.footer_links for t in targets):
        yield site_finding(rule, f"chân trang chưa liên kết tới /{targets[0].url} ({what})")


@check("output")
def machine_readable(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    if out.has_home and not out.feeds:
        yield site_finding(rule, "không có tệp RSS hay Atom")


@check("output")
def print_css(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    if out.has_home and not out.css_print:
        yield site_finding(rule, "không tệp CSS nào có @media print")


@check("output")
def document_files_exist(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    """Every file of every register entry is in the published site."""
    for doc in site.docs:
        if doc.kind != "document":
            continue
        for path in doc.field("document_file") or []:
            if str(path).lstrip("/") not in out.files:
                yield Finding(rule.id, doc.path, f"tệp {path} không có trong bản xuất bản", doc.url)


@check("output")
def document_search(out: Output, site: Site, rule: Rule) -> Iterator[Finding]:
    """The register has a search page, and the index it searches holds every document."""
    documents = [d for d in site.docs if d.kind == "document"]
    if not documents:
        return
    index_path = site.config.document_index
    if "van-ban/index.html" not in out.files:
        yield site_finding(rule, "không có trang tra cứu văn bản /van-ban/")
    if index_path not in out.files:
        yield site_finding(rule, f"không có dữ liệu tra cứu văn bản {index_path}")
        return
    try:
        with open(os.path.join(getattr(site, "output_path", ""), index_path), "rb") as handle:
            listed = len(json.load(handle).get("documents", []))
    except (OSError, ValueError, AttributeError):
        yield site_finding(rule, f"không đọc được dữ liệu tra cứu văn bản {index_path}")
        return
    if listed != len(documents):
        yield site_finding(
            rule, f"công cụ tra cứu có {listed} văn bản, sổ văn bản có {len(documents)}"
        )
