"""Dates as Vietnamese editors type them, read day-first, in Asia/Ho_Chi_Minh.

Pelican's own parser (dateutil) reads 12/09/2023 as 9 December; a portal whose editors
write day-first must never do that, so this module accepts a closed list of forms and
rejects everything else with a message that shows the accepted forms.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

ACCEPTED_FORMS = "12/09/2023 13:43, 12/9/2023, 2023-09-12 13:43 hoặc 2023-09-12"

_TIME = r"(?P<hour>\d{1,2})(?:[:hH](?P<minute>\d{2})?(?::(?P<second>\d{2}))?)?"
_OFFSET = r"(?P<offset>Z|[+-]\d{2}:?\d{2})?"
_DAY_FIRST = r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{2,4})"
_WORDS = r"(?:ngày\s+)?(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})"
_ISO = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"

_PATTERNS = [
    re.compile(rf"^{_ISO}(?:[T\s]+{_TIME})?\s*{_OFFSET}$", re.IGNORECASE),
    re.compile(rf"^(?:ngày\s+)?{_DAY_FIRST}(?:\s*(?:,|lúc)?\s*{_TIME})?$", re.IGNORECASE),
    re.compile(rf"^{_TIME}\s*(?:,|ngày)?\s*{_DAY_FIRST}$", re.IGNORECASE),
    re.compile(rf"^{_WORDS}(?:\s*(?:,|lúc)?\s*{_TIME})?$", re.IGNORECASE),
]


class DateError(ValueError):
    """A date an editor typed that cannot be used; the message says why."""


def _tz(name: str | None) -> dt.tzinfo:
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def parse_date(value: object, timezone: str | None = None) -> dt.datetime:
    """A timezone-aware datetime from an editor's date, or :class:`DateError`."""
    tz = _tz(timezone)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    text = " ".join(str(value).replace("_", " ").split())
    if not text:
        raise DateError("ngày đang để trống")
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return _build(match.groupdict(), text, tz)
    raise DateError(f'không hiểu ngày "{text}"; hãy viết theo dạng {ACCEPTED_FORMS}')


def _build(parts: dict[str, str | None], text: str, tz: dt.tzinfo) -> dt.datetime:
    year_text = parts["year"] or ""
    if len(year_text) != 4:
        raise DateError(f'năm trong "{text}" phải có đủ 4 chữ số, ví dụ 2023')
    year, month, day = int(year_text), int(parts["month"]), int(parts["day"])
    hour = int(parts.get("hour") or 0)
    minute = int(parts.get("minute") or 0)
    second = int(parts.get("second") or 0)
    if not 1 <= month <= 12:
        raise DateError(
            f'"{text}" có tháng {month}, không có tháng này; ngày được đọc theo thứ tự '
            "ngày/tháng/năm (12/09/2023 là ngày 12 tháng 9)"
        )
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise DateError(
            f'"{text}" không phải ngày có thật: tháng {month}/{year} không có ngày {day}'
        ) from None
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f'giờ trong "{text}" không hợp lệ; giờ từ 00:00 đến 23:59')
    offset = parts.get("offset")
    zone = tz if not offset else _offset_zone(offset)
    return dt.datetime(date.year, date.month, date.day, hour, minute, second, tzinfo=zone)


def _offset_zone(offset: str) -> dt.tzinfo:
    if offset.upper() == "Z":
        return dt.UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.timezone(sign * delta)
