"""The on-disk memo that carries costly results between builds (pure code, a real SQLite file)."""

import sqlite3
import time

import pytest

from plugins.portal_core.diskmemo import DiskMemo


def test_a_value_put_in_one_build_is_found_in_the_next(tmp_path):
    memo = DiskMemo(tmp_path / "m.sqlite3")
    assert memo.get("k") is None
    memo.put("k", {"html": "<p>Đường tỉnh 512</p>", "n": [1, 2]})
    memo.close()
    again = DiskMemo(tmp_path / "m.sqlite3")
    assert again.get("k") == {"html": "<p>Đường tỉnh 512</p>", "n": [1, 2]}
    assert again.get("other") is None
    assert again.stats == {"hits": 1, "misses": 1}
    again.close()


def test_shared_objects_are_stored_by_reference_and_joined_to_this_builds(tmp_path):
    settings = {"SITEURL": "https://a.example"}
    memo = DiskMemo(tmp_path / "m.sqlite3", {"settings": settings})
    memo.put("k", ("x", settings))
    memo.close()
    now = {"SITEURL": "https://b.example"}
    value = DiskMemo(tmp_path / "m.sqlite3", {"settings": now}).get("k")
    assert value[1] is now


def test_an_entry_that_no_longer_unpickles_is_a_miss(tmp_path):
    memo = DiskMemo(tmp_path / "m.sqlite3")
    memo.put("k", 1)
    memo.close()
    with sqlite3.connect(tmp_path / "m.sqlite3") as db:
        db.execute("UPDATE memo SET value = ? WHERE key = 'k'", (b"not a pickle",))
    again = DiskMemo(tmp_path / "m.sqlite3")
    assert again.get("k") is None and again.stats["misses"] == 1


def test_entries_unused_for_longer_than_max_age_are_dropped_used_ones_kept(tmp_path):
    memo = DiskMemo(tmp_path / "m.sqlite3", max_age=100)
    memo.put("used", 1)
    memo.put("unused", 2)
    memo.close()
    later = DiskMemo(tmp_path / "m.sqlite3", max_age=100)
    later.now = time.time() + 150  # the next build, long after
    assert later.get("used") == 1
    later.close()
    last = DiskMemo(tmp_path / "m.sqlite3", max_age=100)
    assert last.get("used") == 1
    assert last.get("unused") is None


def test_a_damaged_file_is_replaced_not_a_crash(tmp_path):
    (tmp_path / "m.sqlite3").write_bytes(b"this is not a database" * 100)
    memo = DiskMemo(tmp_path / "m.sqlite3")
    assert memo.get("k") is None
    memo.put("k", 1)
    memo.close()
    assert DiskMemo(tmp_path / "m.sqlite3").get("k") == 1


def test_stored_tells_which_keys_have_an_entry_however_many_are_asked(tmp_path):
    memo = DiskMemo(tmp_path / "memo.sqlite3")
    for n in range(0, 1200, 2):
        memo.put(f"k{n}", n)
    asked = [f"k{n}" for n in range(1200)]  # more than one query's worth
    assert memo.stored(asked) == {f"k{n}" for n in range(0, 1200, 2)}
    assert memo.stored([]) == set()


def test_a_memo_used_after_close_says_so(tmp_path):
    memo = DiskMemo(tmp_path / "memo.sqlite3")
    memo.put("a", 1)
    memo.close()
    with pytest.raises(RuntimeError, match="after close"):
        memo.put("b", 2)
    with pytest.raises(RuntimeError, match="after close"):
        memo.get("a")
    memo.close()  # twice: nothing more to do
    assert DiskMemo(tmp_path / "memo.sqlite3").get("a") == 1
