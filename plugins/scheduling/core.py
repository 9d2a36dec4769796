"""Which posts are scheduled: dated after "now" (no Pelican imports, so tests call it directly)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


class SchedulingSettingError(ValueError):
    """A SCHEDULING_* setting that cannot be used; the message names it."""


def publish_mode(settings: Mapping[str, Any]) -> bool:
    """Production holds scheduled posts back; the preview shows them.

    ``SCHEDULING_PUBLISH_MODE`` decides when set. Without it, a build whose settings
    never write drafts (``DRAFT_SAVE_AS = ""``, as publishconf.py does) is a
    production build: a future post must then not slip out either.
    """
    value = settings.get("SCHEDULING_PUBLISH_MODE")
    if value is None:
        return settings.get("DRAFT_SAVE_AS", "ban-nhap") == ""
    if not isinstance(value, bool):
        raise SchedulingSettingError(
            f"SCHEDULING_PUBLISH_MODE must be True or False, not {value!r}"
        )
    return value


def current_time(settings: Mapping[str, Any]) -> dt.datetime:
    """``SCHEDULING_NOW`` (an ISO date-time, for tests and dry runs) or the clock."""
    tz = ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")
    value = settings.get("SCHEDULING_NOW")
    if value in (None, ""):
        return dt.datetime.now(tz)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise SchedulingSettingError(
            f"SCHEDULING_NOW must be an ISO date-time such as 2024-09-10T08:00, not {value!r}"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def is_scheduled(date: dt.datetime, now: dt.datetime) -> bool:
    """Dated strictly after now; both must be aware (the reader gives Asia/Ho_Chi_Minh)."""
    if date.tzinfo is None or now.tzinfo is None:
        raise ValueError("scheduling compares aware datetimes only")
    return date > now


def split(
    items: Iterable[T], now: dt.datetime, date_of=lambda item: item.date
) -> tuple[list[T], list[T]]:
    """(due, scheduled), each in the order given."""
    due: list[T] = []
    scheduled: list[T] = []
    for item in items:
        (scheduled if is_scheduled(date_of(item), now) else due).append(item)
    return due, scheduled
