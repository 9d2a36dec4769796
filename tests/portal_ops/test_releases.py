"""Release names sort in deploy order; pruning keeps the newest N and always the live one."""

from __future__ import annotations

import datetime as dt

import pytest

from portal_ops import releases as rel

T0 = dt.datetime(2024, 9, 10, 1, 30, tzinfo=dt.UTC)


def names(n: int) -> list[str]:
    return [rel.release_name(T0 + dt.timedelta(hours=i), f"{i:07x}abc") for i in range(n)]


def test_name_is_utc_timestamp_and_short_sha():
    local = dt.datetime(2024, 9, 10, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert rel.release_name(local, "1A2B3C4D5E6F7890") == "20240910T013000Z-1a2b3c4d5e6f"
    assert rel.release_name(local, "") == "20240910T013000Z-nogit"
    assert rel.release_name(local, "not a sha!") == "20240910T013000Z-nogit"


def test_same_second_gets_a_suffix_and_still_sorts():
    first = rel.release_name(T0, "abcdef1")
    second = rel.release_name(T0, "abcdef1", [first])
    third = rel.release_name(T0, "abcdef1", [first, second])
    assert (second, third) == (first + "-2", first + "-3")
    assert rel.ordered([third, second, first]) == [first, second, third]
    other = rel.release_name(T0, "0123abc", [first, second, third])  # another commit
    assert other == "20240910T013000Z-0123abc-4"
    assert rel.ordered([other, third, first, second])[-1] == other


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        rel.release_name(dt.datetime(2024, 1, 1), "abc1234")


def test_ordered_ignores_other_folders():
    releases = names(3)
    assert rel.ordered([releases[2], "backup", releases[0], ".x.partial", releases[1]]) == releases


def test_prune_keeps_newest_n():
    releases = names(6)
    assert rel.to_prune(releases, 3, [releases[-1]]) == releases[:3]
    assert rel.to_prune(releases, 10, [releases[-1]]) == []
    assert rel.to_prune(releases, 1) == releases[:-1]


def test_prune_never_removes_a_protected_release():
    releases = names(6)
    # After a rollback to releases[1], a new deploy protects itself and releases[1].
    assert rel.to_prune(releases, 2, [releases[5], releases[1], None]) == [
        releases[0],
        releases[2],
        releases[3],
        releases[4],
    ]
    assert rel.to_prune(releases, 3, [releases[5], releases[1]]) == releases[0:1] + releases[2:4]
    # More protected than keep: safety first, both stay.
    assert rel.to_prune(releases, 1, [releases[5], releases[4]]) == releases[:4]


def test_keep_zero_is_refused():
    with pytest.raises(ValueError):
        rel.to_prune(names(2), 0)


def test_previous_is_the_one_before_the_live_one():
    releases = names(4)
    assert rel.previous(releases, releases[3]) == releases[2]
    assert rel.previous(releases, releases[2]) == releases[1]
    assert rel.previous(releases, releases[0]) is None
    assert rel.previous(releases, None) is None
    assert rel.previous(releases, "elsewhere") is None
