"""Posts of a WordPress site from its export (WXR, Tools → Export) and a copy of uploads/.

Posts come with their categories, tags, author (display name), excerpt, featured image
(``_thumbnail_id`` → the attachment's file) and the photos inside the body
(``/wp-content/uploads/…``). Old addresses: the permalink (``<link>``) and ``/?p=<id>``.
View counts are read from the post meta of the common counter plugins.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

from plugins.portal_core.text import nfc

from .convert import autop
from .model import ImportStop, PhotoRef, SourceArticle, SourceData

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
VIEW_KEYS = ("views", "post_views_count", "_post_views_count", "wpb_post_views_count")
_STATUS = {"publish": "published", "future": "scheduled", "draft": "draft", "pending": "draft"}
_UPLOADS = "/wp-content/uploads/"


def _text(item: etree._Element, path: str) -> str:
    found = item.find(path, NS)
    return nfc(found.text or "") if found is not None and found.text else ""


def _local(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=TZ)
    except ValueError:
        return None


def read_wordpress(wxr: str | Path, uploads: str | Path | None = None) -> SourceData:
    shown = str(wxr)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        tree = etree.parse(str(wxr), parser)
    except OSError:
        raise ImportStop("không đọc được tệp", shown, "kiểm tra đường dẫn --wxr") from None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        raise ImportStop(
            f"tệp XML bị lỗi: {exc.msg}",
            f"{shown}, dòng {line}" if line else shown,
            "xuất lại từ WordPress (Công cụ → Xuất); không sửa tệp bằng tay",
        ) from None
    channel = tree.getroot().find("channel")
    if channel is None or tree.getroot().tag != "rss":
        raise ImportStop("không phải tệp xuất WordPress (thiếu <rss><channel>)", shown)
    version = _text(channel, "wp:wxr_version")
    if not version:
        raise ImportStop(
            "không phải tệp xuất WordPress (WXR): thiếu <wp:wxr_version>",
            shown,
            "dùng Công cụ → Xuất → Tất cả nội dung trong trang quản trị WordPress",
        )
    site = urlsplit(_text(channel, "wp:base_site_url") or _text(channel, "link"))
    authors = {
        _text(a, "wp:author_login"): _text(a, "wp:author_display_name")
        for a in channel.findall("wp:author", NS)
    }
    uploads_dir = Path(uploads) if uploads else None
    # /wp-content/uploads/2020/05/x.jpg -> <uploads>/2020/05/x.jpg
    photo_dirs = {_UPLOADS: str(uploads_dir) if uploads_dir else ""}
    attachments: dict[str, PhotoRef] = {}
    items = channel.findall("item")
    for item in items:
        if _text(item, "wp:post_type") == "attachment":
            url = _text(item, "wp:attachment_url")
            alt = next(
                (
                    _text(m, "wp:meta_value")
                    for m in item.findall("wp:postmeta", NS)
                    if _text(m, "wp:meta_key") == "_wp_attachment_image_alt"
                ),
                "",
            )
            attachments[_text(item, "wp:post_id")] = _photo(url, uploads_dir, alt)
    data = SourceData(articles=[])
    for number, item in enumerate(items, start=1):
        if _text(item, "wp:post_type") != "post":
            continue
        post_id = _text(item, "wp:post_id")
        title = " ".join(_text(item, "title").split())
        where = (
            f"{shown}, mục <item> thứ {number} (bài id={post_id or '?'}, dòng {item.sourceline})"
        )
        if not post_id:
            raise ImportStop("bài không có <wp:post_id>", where, "xuất lại từ WordPress")
        status = _STATUS.get(_text(item, "wp:status"))
        if status is None:
            data.skipped.append((where, f"trạng thái '{_text(item, 'wp:status')}' không nhập"))
            continue
        date = _local(_text(item, "wp:post_date"))
        if not title or date is None:
            data.skipped.append((where, "bài không có tiêu đề hoặc ngày đăng"))
            continue
        meta = {
            _text(m, "wp:meta_key"): _text(m, "wp:meta_value")
            for m in item.findall("wp:postmeta", NS)
        }
        categories = [
            nfc(c.text or "").strip()
            for c in item.findall("category")
            if c.get("domain") == "category"
        ]
        tags = [
            nfc(c.text or "").strip()
            for c in item.findall("category")
            if c.get("domain") == "post_tag"
        ]
        link = urlsplit(_text(item, "link"))
        old_urls = []
        if link.path and link.path != "/":
            old_urls.append(unquote(link.path) + (f"?{link.query}" if link.query else ""))
        old_urls.append(f"/?p={post_id}")
        views = 0
        for key in VIEW_KEYS:
            if meta.get(key, "").strip().isdigit():
                views = int(meta[key])
                break
        modified = _local(_text(item, "wp:post_modified"))
        cover = attachments.get(meta.get("_thumbnail_id", ""))
        data.articles.append(
            SourceArticle(
                source="wordpress",
                old_id=post_id,
                title=title,
                alias=unquote(_text(item, "wp:post_name")),
                date=date,
                modified=modified if modified and modified > date else None,
                summary_html=_text(item, "excerpt:encoded"),
                body_html=autop(_text(item, "content:encoded")),
                author=authors.get(_text(item, "dc:creator"), _text(item, "dc:creator")),
                categories=[c for c in categories if c] or ["Uncategorized"],
                tags=[t for t in tags if t],
                cover=cover,
                status=status,
                old_urls=old_urls,
                views=views,
                where=where,
                photo_dirs=photo_dirs,
            )
        )
    if site.hostname:
        data.notes.append(f"trang WordPress gốc: {site.scheme}://{site.hostname}")
    return data


def _photo(url: str, uploads: Path | None, alt: str) -> PhotoRef:
    path = unquote(urlsplit(url).path)
    if uploads is None or _UPLOADS not in path:
        return PhotoRef(file="", url=url, alt=alt)
    relative = path.split(_UPLOADS, 1)[1]
    if ".." in relative.split("/"):
        return PhotoRef(file="", url=url, alt=alt)
    return PhotoRef(file=str(uploads / relative), url=path, alt=alt)
