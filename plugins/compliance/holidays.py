"""Default public holidays (weekdays off for civil servants), for counting working days.

Tết and Giỗ Tổ follow the lunar calendar and the Government moves days off each year,
so these come from the yearly notices, not a formula. VERIFY each year against the
notice of the Ministry of Home Affairs and extend COMPLIANCE_HOLIDAYS in pelicanconf.py;
a missing holiday only makes a deadline one day stricter.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_HOLIDAYS: tuple[str, ...] = (
    # 2022
    "2022-01-03",
    "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
    "2022-04-11", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02",
    # 2023
    "2023-01-02",
    "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
    "2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04",
    # 2024
    "2024-01-01",
    "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
    "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03",
    # 2025
    "2025-01-01",
    "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
    "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
    # 2026
    "2026-01-01",
    "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
)  # fmt: skip


def parse_holidays(values: object) -> frozenset[dt.date]:
    """Dates from ISO strings, dates, or "YYYY-MM-DD..YYYY-MM-DD" ranges; ValueError if bad."""
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise ValueError("COMPLIANCE_HOLIDAYS must be a list of dates")
    out: set[dt.date] = set()
    for value in values:
        if isinstance(value, dt.datetime):
            out.add(value.date())
        elif isinstance(value, dt.date):
            out.add(value)
        elif isinstance(value, str) and ".." in value:
            first, last = (dt.date.fromisoformat(v.strip()) for v in value.split("..", 1))
            day = first
            while day <= last:
                out.add(day)
                day += dt.timedelta(days=1)
        else:
            out.add(dt.date.fromisoformat(str(value).strip()))
    return frozenset(out)
