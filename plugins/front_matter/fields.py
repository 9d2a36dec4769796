"""Checks and conversions for single front-matter fields (no Pelican imports)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

SAFE_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATUSES = ("published", "draft")


class FieldError(ValueError):
    """A field value that cannot be used; ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def check_slug(value: str) -> str:
    slug = value.strip()
    if SAFE_SLUG_RE.match(slug):
        return slug
    raise FieldError(
        f'Slug "{slug}" không dùng được trong địa chỉ trang',
        "Slug chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang, "
        "không có '/', '..' hay khoảng trắng; ví dụ: hop-giao-ban-thang-9",
    )


def check_status(value: str) -> str:
    status = value.strip().lower()
    if status in STATUSES:
        return status
    raise FieldError(
        f'Status "{value.strip()}" không hợp lệ',
        "Status là 'published' (đăng) hoặc 'draft' (bản nháp, không đăng)",
    )


@dataclass(frozen=True)
class Source:
    """The original publication of a reposted article."""

    name: str
    url: str = ""


def parse_source(value: object) -> Source:
    """``Name | URL``, a bare URL, a bare name, or a YAML mapping with name and url."""
    if isinstance(value, dict):
        name = str(value.get("name") or "").strip()
        url = str(value.get("url") or "").strip()
    else:
        text = str(value).strip()
        name, sep, url = text.rpartition("|")
        if not sep:
            name, url = (text, "") if not _looks_like_url(text) else ("", text)
        name, url = name.strip(), url.strip()
    if url and not _is_web_url(url):
        raise FieldError(
            f'địa chỉ nguồn "{url}" không phải địa chỉ web',
            "viết: Source: Tên báo | https://địa-chỉ-bài-gốc",
        )
    if not name:
        name = urlsplit(url).hostname or ""
    if not name:
        raise FieldError("Source đang để trống", "viết: Source: Tên báo | https://địa-chỉ-bài-gốc")
    return Source(name=name, url=url)


def _looks_like_url(text: str) -> bool:
    return "://" in text or text.startswith("www.")


def _is_web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_content_path(value: str, field_name: str) -> str:
    """A path inside content/ (``images/2024/a.jpg``), never outside it."""
    raw = value.strip()
    for prefix in ("{static}", "{attach}"):
        if raw.startswith(prefix):
            raw = raw[len(prefix) :]
    path = PurePosixPath(raw.lstrip("/"))
    if not raw or ".." in path.parts or "\\" in raw or _looks_like_url(raw):
        raise FieldError(
            f'{field_name} "{value.strip()}" phải là đường dẫn tới tệp trong thư mục content',
            f"ví dụ: {field_name}: images/2024/hop-giao-ban.jpg",
        )
    return str(path)


def split_list(value: object) -> list[str]:
    """Tags and similar lists: a YAML list, or text split on ';' or ','."""
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    else:
        text = str(value)
        items = text.split(";") if ";" in text else text.split(",")
    result: list[str] = []
    for item in items:
        cleaned = " ".join(item.split())
        if cleaned and cleaned not in result:
            result.append(cleaned)
    return result


#: A ``Key: value`` header line, and a continuation line (four spaces or more), as
#: markdown.extensions.meta reads them.
_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")


@dataclass(frozen=True)
class KeyValueHeader:
    """What a ``Key: value`` header scan found: the fields (lower-case names, each value's
    lines), the index of the line where the header stopped, and why: ``"blank"`` (the
    blank line before the body), ``"bad"`` (a line that is neither a field nor a
    continuation) or ``"end"`` (the text ended)."""

    fields: dict[str, list[str]]
    stop: int
    reason: str


def scan_key_value_header(lines: list[str]) -> KeyValueHeader:
    """The one reading of a ``Key: value`` header: the reader and the YAML converter
    (``yaml_header``) both use it, so a conversion reads what the build reads."""
    meta: dict[str, list[str]] = {}
    key = None
    for index, line in enumerate(lines):
        if not line.strip():
            return KeyValueHeader(meta, index, "blank")
        field = _META_LINE.match(line)
        if field:
            key = field.group("key").lower()
            meta.setdefault(key, []).append(field.group("value").strip())
            continue
        more = _META_MORE.match(line)
        if more and key:
            meta[key].append(more.group("value").strip())
            continue
        return KeyValueHeader(meta, index, "bad")
    return KeyValueHeader(meta, len(lines), "end")
