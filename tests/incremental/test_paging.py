"""Stable pages: numbered from the oldest post, so a new post leaves older pages alone."""

from __future__ import annotations

import pytest

from plugins.incremental.paging import paginate

PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)


def pages_of(count: int, per_page: int = 10):
    posts = [f"post-{n}" for n in range(count, 0, -1)]  # newest first, like Pelican's lists
    return paginate("chuyen-muc/a/index.html", "chuyen-muc/a/", posts, per_page, PATTERNS)[1]


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 19, 20, 21, 95])
def test_every_post_on_exactly_one_page_newest_first(count):
    pages = pages_of(count)
    seen = [post for page in pages for post in page.object_list]
    assert seen == [f"post-{n}" for n in range(count, 0, -1)]
    assert pages[0].is_first and not any(p.is_first for p in pages[1:])
    assert [p.number for p in pages] == list(range(len(pages), 0, -1))
    if count >= 10:
        assert 10 <= len(pages[0].object_list) <= 19
        assert all(len(p.object_list) == 10 for p in pages[1:])


def test_addresses_follow_pagination_patterns():
    pages = pages_of(35)
    assert pages[0].url == "chuyen-muc/a/" and pages[0].save_as == "chuyen-muc/a/index.html"
    assert pages[1].url == "chuyen-muc/a/trang/2/"
    assert pages[-1].save_as == "chuyen-muc/a/trang/1/index.html"
    assert pages[0].older.url == pages[1].url and pages[1].newer.url == pages[0].url
    assert pages[-1].older is None and pages[0].newer is None


def test_a_new_post_changes_only_the_first_page():
    before = {p.save_as: p.object_list for p in pages_of(95)}
    after = {p.save_as: p.object_list for p in pages_of(96)}
    changed = [name for name in after if before.get(name) != after[name]]
    assert changed == ["chuyen-muc/a/index.html"]


def test_a_new_whole_page_changes_a_few_pages_only():
    before = {p.save_as: (p.object_list, p.window, p.newer, p.older) for p in pages_of(99)}
    after = {p.save_as: (p.object_list, p.window, p.newer, p.older) for p in pages_of(100)}
    changed = [name for name in after if before.get(name) != after[name]]
    assert len(after) == len(before) + 1
    assert len(changed) <= 4, changed


def test_window_and_far_links():
    pages = pages_of(200)  # 20 pages: first page is number 20
    middle = next(p for p in pages if p.number == 10)
    assert [link.number for link in middle.window] == [12, 11, 10, 9, 8]
    assert [link.current for link in middle.window] == [False, False, True, False, False]
    assert middle.oldest.number == 1 and middle.newest_url == "chuyen-muc/a/"
    assert pages[0].newest_url is None and pages[-1].oldest is None
