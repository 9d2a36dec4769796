"""Folded twins carried between builds: the same twins as folding afresh, refolded when a
post changes, keyed by their page when it shows their content (pure code, a real SQLite
memo)."""

import datetime as dt
from types import SimpleNamespace

from plugins.portal_core.diskmemo import DiskMemo
from plugins.portal_core.pages import digest_bytes
from plugins.search import records_for, twin_sources, twins_for


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


def _page(site, post, shown: str | None = None) -> dict[str, str]:
    """The post's page as the theme writes it (its content as it is, unless ``shown``);
    returns the engine's digests (portal_core.pages)."""
    page = site / post.url / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    body = post.content if shown is None else shown
    page.write_text(f'<html><body><div class="article-body">{body}</div></body></html>')
    return {f"{post.url}index.html": digest_bytes(page.read_bytes())}


def test_a_twin_is_keyed_by_its_page_when_the_page_shows_its_content(tmp_path):
    site, post = tmp_path / "site", _post("a", "<p>Đường tỉnh 512 phân luồng</p>")
    digests = _page(site, post)
    memo = DiskMemo(tmp_path / "folded.sqlite3")
    first = twins_for(twin_sources([post], []), memo, site, digests)[0]
    assert first.key != twins_for(twin_sources([post], []))[0].key  # not the content's
    folded = first.record()
    assert folded == records_for([post], [])[0]
    memo.close()

    # The page's digest stands for the content: the same key and twin without reading
    # the page (removed to prove it) or hashing the content.
    (site / post.url / "index.html").unlink()
    memo = DiskMemo(tmp_path / "folded.sqlite3")
    again = twins_for(twin_sources([post], []), memo, site, digests)[0]
    assert again.key == first.key
    assert again.record() == folded and memo.stats == {"hits": 1, "misses": 0}

    # Edited: the engine wrote a page with new bytes, so another key and a new twin.
    edited = _post("a", "<p>Cầu Bến Mới thông xe</p>")
    twin = twins_for(twin_sources([edited], []), memo, site, _page(site, edited))[0]
    assert twin.key != first.key
    assert twin.record() == records_for([edited], [])[0]
    memo.close()


def test_a_twin_whose_page_does_not_show_its_content_is_keyed_by_the_content(tmp_path):
    """A theme that changes the content on its way into the page: the page's digest does
    not tell whether the content changed, so the content itself is the key."""
    site, post = tmp_path / "site", _post("a", "<p>Đường tỉnh 512</p>")
    digests = _page(site, post, shown="<p>Đường tỉnh</p>")
    memo = DiskMemo(tmp_path / "folded.sqlite3")
    twin = twins_for(twin_sources([post], []), memo, site, digests)[0]
    assert twin.key == twins_for(twin_sources([post], []))[0].key
    edited = _post("a", "<p>Đường tỉnh 513</p>")  # the same page bytes, other content
    again = twins_for(twin_sources([edited], []), memo, site, digests)[0]
    assert again.key != twin.key
    assert again.record() == records_for([edited], [])[0]
    memo.close()
