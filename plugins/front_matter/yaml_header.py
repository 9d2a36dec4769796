"""YAML front-matter, the form posts are written in (Decap CMS opens only this form).

``Key: value`` headers stay readable by the build; this module writes the YAML form
(``invoke new``) and converts a ``Key: value`` file to it (``invoke yaml-front-matter``).
Dates are written ``2025-12-07 08:00``: the build reads it, and so does Decap, which
would read ``07/12/2025`` as 12 July. Pure text work: the check that a conversion is
lossless (the build reads the same post from both texts) lives in portal_ops.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from .dates import DateError, parse_date
from .fields import scan_key_value_header as split_header
from .fields import split_list

#: The dates the build reads as dates (and Decap files posts by); written ISO. Other date
#: fields (the compliance rules' document_issued…) are kept as typed: the build keeps
#: their text, and the CMS's date field reads them day-first.
DATETIME_FIELDS = ("date", "modified")
LIST_FIELDS = ("tags",)

_YAML_START = re.compile(r"\A\s*---[ \t]*\n")


class ConversionError(ValueError):
    """A header that cannot be converted without guessing; the message says why."""


def has_yaml_header(text: str) -> bool:
    return bool(_YAML_START.match(text))


def split_key_value(text: str) -> tuple[dict[str, str], str] | None:
    """A ``Key: value`` header and the rest of the text (from the blank line on), or
    None when the text does not start with such a header. Read as the build reads it."""
    lines = text.split("\n")
    header = split_header(lines)
    if header.reason == "bad":
        line = lines[header.stop].strip()
        raise ConversionError(
            f'dòng {header.stop + 1} "{line}" không có dạng "Tên: giá trị"; '
            "sửa dòng này (hoặc thêm một dòng trống trước nội dung) rồi chạy lại"
        )
    if not header.fields:
        return None
    values = {name: "\n".join(lines_) for name, lines_ in header.fields.items()}
    return values, "\n".join(lines[header.stop :])


def stored_date(value: Any) -> str:
    """``2025-12-07 08:00`` (seconds only when there are some); a date in another time
    zone than Vietnam's is refused rather than shifted."""
    when = parse_date(value)
    if when.utcoffset() != dt.timedelta(hours=7):
        raise DateError(f'ngày "{value}" có múi giờ khác giờ Việt Nam; hãy sửa tay')
    return when.strftime("%Y-%m-%d %H:%M" + (":%S" if when.second else ""))


def yaml_values(header: Mapping[str, Any]) -> dict[str, Any]:
    """The header's values as they are written in YAML (dates ISO, tags a list)."""
    out: dict[str, Any] = {}
    for name, value in header.items():
        if name in DATETIME_FIELDS:
            text = value if isinstance(value, (dt.date, dt.datetime)) else str(value).strip()
            if isinstance(text, str) and not text:
                out[name] = text
                continue
            try:
                out[name] = stored_date(text)
            except DateError as exc:
                raise ConversionError(f"trường {name}: {exc}") from None
        elif name in LIST_FIELDS and not isinstance(value, list):
            out[name] = split_list(value)
        else:
            out[name] = value
    return out


def render(header: Mapping[str, Any], body: str) -> str:
    """``---`` YAML ``---`` then the body (starting with a blank line)."""
    dumped = yaml.safe_dump(
        dict(header), allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False
    )
    if body and not body.startswith("\n"):
        body = "\n" + body
    return "---\n" + dumped + "---\n" + body


_YAML_DATE_LINE = re.compile(
    r"^(?P<key>" + "|".join(DATETIME_FIELDS) + r"):[ \t]*(?P<value>.+?)[ \t]*$",
    re.MULTILINE,
)


def convert(text: str) -> str | None:
    """The text with a YAML header and ISO dates, or None if it is already so.

    A ``Key: value`` header is rewritten whole. A YAML header is left as written (its
    comments and quoting too) except day-first dates, rewritten in place.
    """
    if has_yaml_header(text):
        return _convert_yaml_dates(text)
    parsed = split_key_value(text)
    if parsed is None:
        raise ConversionError("tệp không có phần đầu (tiêu đề, ngày…) để chuyển")
    header, body = parsed
    return render(yaml_values(header), body)


def _convert_yaml_dates(text: str) -> str | None:
    start = _YAML_START.match(text)
    assert start is not None
    end = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE).search(text, start.end())
    if end is None:
        raise ConversionError("phần đầu YAML không có dòng '---' kết thúc")
    header = text[start.end() : end.start()]

    def fix(match: re.Match[str]) -> str:
        raw = match.group("value")
        value = raw.strip("\"'")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?", value):
            return match.group(0)
        try:
            new = stored_date(value)
        except DateError as exc:
            raise ConversionError(f"trường {match.group('key')}: {exc}") from None
        return f'{match.group("key")}: "{new}"'

    fixed = _YAML_DATE_LINE.sub(fix, header)
    if fixed == header:
        return None
    return text[: start.end()] + fixed + text[end.start() :]
