"""The scheduling core: which posts wait, which mode a build is in, what "now" is."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from plugins.scheduling.core import (
    SchedulingSettingError,
    current_time,
    is_scheduled,
    publish_mode,
    split,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2024, 9, 10, 8, 0, tzinfo=TZ)


def test_future_is_scheduled_present_and_past_are_not():
    assert is_scheduled(NOW + dt.timedelta(minutes=1), NOW)
    assert not is_scheduled(NOW, NOW)
    assert not is_scheduled(NOW - dt.timedelta(days=1), NOW)


def test_time_zones_are_compared_as_instants():
    # 08:30 in Hanoi is 01:30 UTC: already past at 02:00 UTC, whatever the machine's zone.
    post = dt.datetime(2024, 9, 10, 8, 30, tzinfo=TZ)
    assert not is_scheduled(post, dt.datetime(2024, 9, 10, 2, 0, tzinfo=dt.UTC))
    assert is_scheduled(post, dt.datetime(2024, 9, 10, 1, 0, tzinfo=dt.UTC))


def test_naive_dates_are_refused():
    with pytest.raises(ValueError):
        is_scheduled(dt.datetime(2024, 1, 1), NOW)


def test_split_keeps_order():
    posts = [SimpleNamespace(date=NOW + dt.timedelta(hours=h)) for h in (-2, 3, -1, 1)]
    due, later = split(posts, NOW)
    assert due == [posts[0], posts[2]] and later == [posts[1], posts[3]]


def test_publish_mode_setting_wins_else_detected_from_drafts():
    assert publish_mode({"SCHEDULING_PUBLISH_MODE": True, "DRAFT_SAVE_AS": "x"})
    assert not publish_mode({"SCHEDULING_PUBLISH_MODE": False, "DRAFT_SAVE_AS": ""})
    assert publish_mode({"DRAFT_SAVE_AS": ""})
    assert not publish_mode({"DRAFT_SAVE_AS": "ban-nhap/{slug}/index.html"})
    with pytest.raises(SchedulingSettingError, match="True or False"):
        publish_mode({"SCHEDULING_PUBLISH_MODE": "yes"})


def test_now_from_setting_or_clock():
    settings = {"TIMEZONE": "Asia/Ho_Chi_Minh", "SCHEDULING_NOW": "2024-09-10T08:00"}
    assert current_time(settings) == NOW
    assert current_time({**settings, "SCHEDULING_NOW": "2024-09-10T01:00+00:00"}) == NOW
    clock = current_time({"TIMEZONE": "Asia/Ho_Chi_Minh"})
    assert abs(clock - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    with pytest.raises(SchedulingSettingError, match="ISO"):
        current_time({"SCHEDULING_NOW": "10/09/2024"})
