"""Articles of NukeViet's news module, from an admin SQL dump and a copy of ``uploads/``.

See ``shared/design/nukeviet.md`` §3: articles are ``_rows`` joined 1:1 with ``_detail``; the
``_<catid>`` tables are per-category copies of ``_rows`` and are skipped; times are Unix
seconds shown in Asia/Ho_Chi_Minh; public means status 1, published, not expired.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.portal_core.text import nfc

from .model import ImportStop, PhotoRef, SourceArticle, SourceData
from .sqldump import Dump, DumpError, read_text

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STATUS_NAMES = {
    0: "đình chỉ",
    1: "đã đăng",
    2: "hẹn giờ đăng",
    3: "hết hạn",
    4: "bản nháp",
}
_TABLES = ("rows", "detail", "cat", "sources", "tags", "tags_id")


def local_time(seconds: object) -> dt.datetime | None:
    try:
        value = int(seconds or 0)
    except (TypeError, ValueError):
        return None
    if value <= 0:
        return None
    return dt.datetime.fromtimestamp(value, TZ)


def text_of(value: object) -> str:
    """A stored text field as shown: HTML entities decoded (NukeViet stores titles escaped)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return nfc(" ".join(html.unescape(str(value)).split()))


def find_prefix(dump: Dump, module: str) -> str:
    """``nv4_vi_news`` for module ``news``: the prefix of the module's tables."""
    suffix = f"_{module}_rows"
    found = [t[: -len("_rows")] for t in dump.tables() if t.endswith(suffix)]
    if not found:
        raise ImportStop(
            f"không thấy bảng bài viết của mô-đun '{module}' (bảng kết thúc bằng '{suffix}')",
            hint="kiểm tra tên mô-đun (--module) và chọn các bảng *_rows, *_detail, *_cat khi "
            "xuất cơ sở dữ liệu",
        )
    return sorted(found, key=len)[0]


def read_nukeviet(
    dump_path: str | Path,
    uploads: str | Path | None,
    module: str = "news",
    now: dt.datetime | None = None,
) -> SourceData:
    shown = str(dump_path)
    try:
        text = read_text(dump_path)
        table_re = re.compile(rf".*_{re.escape(module)}_(?:{'|'.join(_TABLES)})$|.*_counter$")
        dump = Dump(text, wanted=lambda name: bool(table_re.match(name)))
    except DumpError as exc:
        where = f"{shown}, dòng {exc.line}" if exc.line else shown
        raise ImportStop(exc.message, where, exc.hint) from None
    prefix = find_prefix(dump, module)
    lang = prefix.split("_")[-2] if prefix.count("_") >= 2 else "vi"
    site_prefix = prefix.rsplit(f"_{lang}_", 1)[0] if f"_{lang}_" in prefix else ""
    for needed in ("rows", "detail", "cat"):
        if f"{prefix}_{needed}" not in dump.columns:
            raise ImportStop(
                f"thiếu bảng {prefix}_{needed} trong tệp sao lưu",
                shown,
                "xuất lại với các bảng _rows, _detail, _cat (và _sources, _tags, _tags_id)",
            )
    rows = dump.rows.get(f"{prefix}_rows", [])
    details = {r.get("id"): r for r in dump.rows.get(f"{prefix}_detail", [])}
    cats = {r.get("catid"): r for r in dump.rows.get(f"{prefix}_cat", [])}
    sources = {r.get("sourceid"): r for r in dump.rows.get(f"{prefix}_sources", [])}
    tag_names = {r.get("tid"): r for r in dump.rows.get(f"{prefix}_tags", [])}
    tags_by_article: dict[object, list[str]] = defaultdict(list)
    for link in dump.rows.get(f"{prefix}_tags_id", []):
        keyword = text_of(link.get("keyword"))
        if not keyword:
            tag = tag_names.get(link.get("tid")) or {}
            keyword = text_of(tag.get("keywords") or tag.get("alias") or "").replace("-", " ")
        if keyword:
            tags_by_article[link.get("id")].append(keyword)

    now = now or dt.datetime.now(TZ)
    uploads_dir = Path(uploads) if uploads else None
    data = SourceData(articles=[])
    data.total_visits = _total_visits(dump, site_prefix, lang)
    photo_dirs = {f"/uploads/{module}/": "", f"/assets/{module}/": ""}
    if uploads_dir is not None:
        photo_dirs = {
            f"/uploads/{module}/": str(uploads_dir / module),
            f"/assets/{module}/": str(uploads_dir.parent / "assets" / module),
        }
    for row in rows:
        article_id = row.get("id")
        where = f"{shown}, bảng {prefix}_rows, bài id={article_id}"
        detail = details.get(article_id)
        title = text_of(row.get("title"))
        if detail is None:
            data.skipped.append((where, "không có nội dung (thiếu dòng trong bảng _detail)"))
            continue
        if not title:
            data.skipped.append((where, "bài không có tiêu đề"))
            continue
        publtime = local_time(row.get("publtime")) or local_time(row.get("addtime"))
        if publtime is None:
            data.skipped.append((where, "bài không có thời gian đăng (publtime)"))
            continue
        status = _status(row, publtime, now)
        cat_ids = _category_ids(row)
        categories = [text_of(cats[c].get("title")) for c in cat_ids if c in cats]
        if not categories:
            data.skipped.append((where, f"chuyên mục catid={row.get('catid')} không có trong _cat"))
            continue
        cat_aliases = [str(cats[c].get("alias") or "") for c in cat_ids if c in cats]
        alias = str(row.get("alias") or "").strip()
        old_urls = []
        for cat_alias in cat_aliases:
            tail = f"/{module}/{cat_alias}/{alias}-{article_id}.html"
            old_urls += [f"/{lang}{tail}", tail]
        source = sources.get(row.get("sourceid")) or {}
        modified = local_time(row.get("edittime"))
        article = SourceArticle(
            source="nukeviet",
            old_id=f"{module}:{article_id}",
            title=title,
            alias=alias,
            date=publtime,
            modified=modified if modified and modified > publtime else None,
            summary_html=nfc(str(row.get("hometext") or "")),
            body_html=nfc(str(detail.get("bodyhtml") or "")),
            author=text_of(row.get("author")),
            source_name=text_of(source.get("title")),
            source_url=str(detail.get("sourcetext") or source.get("link") or "").strip(),
            categories=categories,
            tags=_unique(tags_by_article.get(article_id, [])),
            cover=_cover(row, uploads_dir, module),
            status=status,
            old_urls=old_urls,
            views=int(row.get("hitstotal") or 0),
            where=where,
            photo_dirs=photo_dirs,
        )
        data.articles.append(article)
    copies = [t for t in dump.tables() if re.fullmatch(rf"{re.escape(prefix)}_\d+", t)]
    if copies:
        data.notes.append(
            f"bỏ qua {len(copies)} bảng bản sao theo chuyên mục ({prefix}_<catid>): "
            "cùng dữ liệu với bảng _rows"
        )
    return data


def _status(row: dict, publtime: dt.datetime, now: dt.datetime) -> str:
    status = int(row.get("status") or 0)
    expires = local_time(row.get("exptime"))
    if status == 3 or (status == 1 and expires is not None and expires <= now):
        return "expired"
    if status == 1 and publtime > now:
        return "scheduled"
    if status == 2:
        return "scheduled"
    if status == 1:
        return "published"
    return "draft"


def _category_ids(row: dict) -> list[int]:
    ids: list[int] = []
    for value in [row.get("catid"), *str(row.get("listcatid") or "").split(",")]:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue
        if number and number not in ids:
            ids.append(number)
    return ids


def _cover(row: dict, uploads: Path | None, module: str) -> PhotoRef | None:
    """``homeimgthumb``: 1 thumbnail in assets/ (original in uploads/), 2 uploads/ only,
    3 a remote URL; 0 or an empty file name means no photo."""
    name = str(row.get("homeimgfile") or "").strip()
    kind = int(row.get("homeimgthumb") or 0)
    if not name or kind == 0:
        return None
    alt = text_of(row.get("homeimgalt"))
    if kind == 3 or "://" in name:
        return PhotoRef(file="", url=name, alt=alt)
    relative = name.lstrip("/")
    url = f"/uploads/{module}/{relative}"
    if uploads is None:
        return PhotoRef(file="", url=url, alt=alt)
    candidates = [uploads / module / relative]
    if kind == 1:  # the original normally stays in uploads/; the thumbnail is a fallback
        candidates.append(uploads.parent / "assets" / module / relative)
    for candidate in candidates:
        if candidate.is_file():
            return PhotoRef(file=str(candidate), url=url, alt=alt)
    return PhotoRef(file=str(candidates[0]), url=url, alt=alt)


def _total_visits(dump: Dump, site_prefix: str, lang: str) -> int | None:
    for name in (f"{site_prefix}_counter", "nv4_counter"):
        for row in dump.rows.get(name, []):
            if row.get("c_type") == "total" and row.get("c_val") == "hits":
                value = row.get("c_count")
                return int(value) if isinstance(value, int) else None
    return None


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
