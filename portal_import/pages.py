"""Articles from saved HTML pages of any other portal, picked out with CSS selectors.

The config (YAML) says which files are articles and where each field is on the page::

    files: "**/*.html"              # articles among the saved files [**/*.htm*]
    base_url: https://sgtvt.example.gov.vn   # the old site, for absolute links
    selectors:                      # CSS selectors (soupsieve); title, date, body required
      title: h1.news-title
      date: .news-date              # any text with a day-first date: "Thứ hai, 12/09/2023 08:30"
      body: div.news-content
      byline: .news-author          # optional: mapped to a unit like NukeViet's author
      category: .breadcrumb li:last-child
      summary: .news-sapo           # optional
      views: .news-views            # optional: "Lượt xem: 1.234"
    remove: [".share-buttons", "script"]   # parts of the body to drop

The old address is the page's ``<link rel="canonical">`` (or ``og:url``), else the file's
path inside the folder. Photos are looked up beside the saved page (``x_files/…``) or, for
site-absolute addresses, from the folder's root.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from soupsieve import SelectorSyntaxError

from plugins.front_matter.dates import DateError, parse_date
from plugins.portal_core.text import nfc
from plugins.portal_core.yamlfile import YamlFileError, line_of_key, load_yaml, read_text

from .model import ImportStop, SourceArticle, SourceData

REQUIRED = ("title", "date", "body")
OPTIONAL = ("byline", "category", "summary", "views")
_DATE = re.compile(
    r"(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})(?:\D{0,6}?(\d{1,2}[:hH]\d{2}))?"
    r"|(\d{1,2}[:hH]\d{2})\D{0,8}?(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})"
    r"|(\d{4}-\d{2}-\d{2})(?:[T\s](\d{2}:\d{2}))?"
)


def read_config(path: str | Path) -> dict:
    shown = str(path)
    try:
        text = read_text(path)
        data = load_yaml(path, text)
    except YamlFileError as exc:
        where = f"{shown}, dòng {exc.line}" if exc.line else shown
        raise ImportStop(exc.message, where, "sửa tệp cấu hình") from None
    selectors = data.get("selectors") if isinstance(data, dict) else None
    if not isinstance(selectors, dict):
        raise ImportStop(
            "thiếu mục 'selectors:' (bộ chọn CSS cho title, date, body)",
            shown,
            "ví dụ:\nselectors:\n  title: h1\n  date: .ngay-dang\n  body: .noi-dung",
        )
    probe = BeautifulSoup("<p></p>", "lxml")
    for name in (*REQUIRED, *OPTIONAL):
        value = selectors.get(name)
        line = line_of_key(text, name)
        where = f"{shown}, dòng {line}" if line else shown
        if value is None:
            if name in REQUIRED:
                raise ImportStop(f"thiếu bộ chọn CSS cho '{name}'", where)
            continue
        try:
            probe.select(str(value))
        except SelectorSyntaxError as exc:
            raise ImportStop(
                f"bộ chọn CSS '{value}' của '{name}' không hợp lệ ({exc.args[0]})", where
            ) from None
    unknown = set(selectors) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        name = sorted(unknown)[0]
        raise ImportStop(
            f"không có trường '{name}' trong selectors",
            shown,
            f"các trường: {', '.join(REQUIRED + OPTIONAL)}",
        )
    return data


def read_pages(folder: str | Path, config_path: str | Path) -> SourceData:
    config = read_config(config_path)
    root = Path(folder)
    if not root.is_dir():
        raise ImportStop("không tìm thấy thư mục các trang đã lưu", str(folder))
    selectors = config["selectors"]
    pattern = str(config.get("files") or "**/*.htm*")
    base = str(config.get("base_url") or "").rstrip("/")
    base_host = urlsplit(base).hostname or ""
    remove = config.get("remove") or []
    data = SourceData(articles=[])
    files = sorted(p for p in root.glob(pattern) if p.is_file())
    if not files:
        raise ImportStop(f"không có tệp nào khớp '{pattern}'", str(folder))
    for path in files:
        rel = path.relative_to(root).as_posix()
        where = str(path)
        raw = path.read_bytes()
        soup = BeautifulSoup(raw, "lxml")  # the page's own <meta charset> decides
        fields = {}
        for name in (*REQUIRED, *OPTIONAL):
            selector = selectors.get(name)
            fields[name] = soup.select_one(str(selector)) if selector else None
        missing = [name for name in REQUIRED if fields[name] is None]
        if missing:
            data.skipped.append(
                (where, f"không thấy {', '.join(missing)} (bộ chọn {selectors[missing[0]]!r})")
            )
            continue
        title = nfc(" ".join(fields["title"].get_text(" ").split()))
        date_text = " ".join(fields["date"].get_text(" ").split())
        date = _date(date_text)
        if not title or date is None:
            data.skipped.append((where, f'không đọc được ngày đăng "{date_text[:60]}"'))
            continue
        body = fields["body"]
        for selector in remove:
            for node in body.select(str(selector)):
                node.decompose()
        page_dir = "/" + str(Path(rel).parent.as_posix()).strip(".").strip("/")
        for img in body.find_all("img"):
            img["src"] = _site_path(img.get("src", ""), page_dir, base_host)
        address = _address(soup, base_host) or "/" + rel
        views_text = fields["views"].get_text(" ") if fields["views"] is not None else ""
        digits = re.sub(r"\D", "", views_text)
        data.articles.append(
            SourceArticle(
                source="pages",
                old_id=rel,
                title=title,
                date=date,
                body_html=str(body.decode_contents()),
                summary_html=_text(fields["summary"]),
                author=_text(fields["byline"]),
                categories=[_text(fields["category"])] if fields["category"] else [],
                old_urls=[address],
                views=int(digits) if digits and len(digits) < 12 else 0,
                where=where,
                photo_dirs={"/": str(root)},
            )
        )
    return data


def _text(node) -> str:
    return nfc(" ".join(node.get_text(" ").split())) if node is not None else ""


def _date(text: str):
    match = _DATE.search(text)
    if not match:
        return None
    day, time, time_first, day_after, iso, iso_time = match.groups()
    if day:
        candidate = f"{day} {time}" if time else day
    elif day_after:
        candidate = f"{day_after} {time_first}"
    else:
        candidate = f"{iso} {iso_time}" if iso_time else iso
    try:
        return parse_date(candidate.replace("h", ":").replace("H", ":"))
    except DateError:
        return None


def _site_path(src: str, page_dir: str, host: str) -> str:
    """A photo address as a path from the saved folder's root (for photo lookup)."""
    parts = urlsplit(src.strip())
    if parts.scheme in ("http", "https"):
        return unquote(parts.path) if host and parts.hostname == host else src
    if parts.scheme or not parts.path:
        return src
    return unquote(urljoin(page_dir.rstrip("/") + "/", parts.path))


def _address(soup: BeautifulSoup, host: str) -> str:
    for node, attr in (
        (soup.find("link", rel="canonical"), "href"),
        (soup.find("meta", property="og:url"), "content"),
    ):
        if node is not None and node.get(attr):
            parts = urlsplit(node[attr].strip())
            if parts.path and (not parts.hostname or not host or parts.hostname == host):
                return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""
