"""Folded twins carried between builds: the same twins as folding afresh, refolded when a
post changes (pure code, a real SQLite memo)."""

import datetime as dt
from types import SimpleNamespace

from plugins.portal_core.diskmemo import DiskMemo
from plugins.search import records_for


def _post(slug: str, body: str) -> SimpleNamespace:
    return SimpleNamespace(
        url=f"2026/11/{slug}/",
        title="Thông báo về đường tỉnh 512",
        summary="<p>Tóm tắt: <b>điều chỉnh</b> giao thông</p>",
        content=body,
        date=dt.datetime(2026, 11, 20, 8, 30),
        unit=SimpleNamespace(slug="thanh-tra-so"),
        category=SimpleNamespace(slug="thong-bao"),
    )


def test_twins_from_the_memo_equal_twins_folded_afresh(tmp_path):
    posts = [_post("a", "<p>Đường tỉnh 512 phân luồng</p>"), _post("b", "<p>Cầu Bến Mới</p>")]
    fresh = records_for(posts, [])
    first = DiskMemo(tmp_path / "folded.sqlite3")
    assert records_for(posts, [], first) == fresh
    first.close()
    second = DiskMemo(tmp_path / "folded.sqlite3")
    assert records_for(posts, [], second) == fresh
    assert second.stats == {"hits": 2, "misses": 0}
    second.close()


def test_a_changed_post_is_folded_again_the_others_come_from_the_memo(tmp_path):
    memo = DiskMemo(tmp_path / "folded.sqlite3")
    records_for([_post("a", "<p>Cũ</p>"), _post("b", "<p>Cầu</p>")], [], memo)
    memo.close()
    memo = DiskMemo(tmp_path / "folded.sqlite3")
    edited = [_post("a", "<p>Đã sửa: đường mới</p>"), _post("b", "<p>Cầu</p>")]
    records = records_for(edited, [], memo)
    assert memo.stats == {"hits": 1, "misses": 1}
    assert "da sua: duong moi" in records[0].content
    assert records == records_for(edited, [])
