import datetime as dt

import pytest

from plugins.front_matter.dates import DateError, parse_date

HCM = dt.timedelta(hours=7)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2023-09-12 13:43", (2023, 9, 12, 13, 43)),
        ("2023-09-12", (2023, 9, 12, 0, 0)),
        ("2023-09-12T13:43:05", (2023, 9, 12, 13, 43)),
        ("12/09/2023 13:43", (2023, 9, 12, 13, 43)),
        ("12/9/2023", (2023, 9, 12, 0, 0)),
        ("5/3/2024 08:15", (2024, 3, 5, 8, 15)),
        ("12-09-2023", (2023, 9, 12, 0, 0)),
        ("12.09.2023 7h30", (2023, 9, 12, 7, 30)),
        ("13:43 12/09/2023", (2023, 9, 12, 13, 43)),
        ("ngày 12/9/2023 lúc 13:43", (2023, 9, 12, 13, 43)),
        ("ngày 12 tháng 9 năm 2023", (2023, 9, 12, 0, 0)),
        ("  12/09/2023   13:43 ", (2023, 9, 12, 13, 43)),
    ],
)
def test_accepted_forms_are_read_day_first_in_vietnam_time(typed, expected):
    value = parse_date(typed)
    assert (value.year, value.month, value.day, value.hour, value.minute) == expected
    assert value.utcoffset() == HCM


def test_day_first_is_never_read_month_first():
    # Pelican's own parser reads this as 9 December.
    assert parse_date("12/09/2023").month == 9
    assert parse_date("09/12/2023").month == 12


def test_yaml_dates_and_datetimes_get_the_local_timezone():
    assert parse_date(dt.date(2023, 9, 12)).utcoffset() == HCM
    assert parse_date(dt.datetime(2023, 9, 12, 13, 43)).hour == 13


def test_explicit_offset_is_kept():
    assert parse_date("2023-09-12T06:43+00:00").utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/2023", "không có ngày 31"),
        ("29/02/2023", "không có ngày 29"),
        ("12/13/2023", "tháng 13"),
        ("12/09/23", "4 chữ số"),
        ("12/09/2023 25:00", "giờ"),
        ("hôm qua", "12/09/2023 13:43"),
        ("September 12, 2023", "12/09/2023 13:43"),
        ("", "trống"),
    ],
)
def test_impossible_or_unknown_dates_are_errors_that_explain(typed, words):
    with pytest.raises(DateError) as info:
        parse_date(typed)
    assert words in str(info.value)


def test_leap_day_is_accepted():
    assert parse_date("29/02/2024").day == 29
