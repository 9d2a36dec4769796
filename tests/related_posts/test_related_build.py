"""Related posts and previous/next on built article pages."""

import pytest

THEME = 'PLUGINS = PLUGINS + ["plugins.related_posts"]\n'


@pytest.mark.slow
def test_article_lists_related_posts_and_neighbours(tiny_site):
    tiny_site.post("a", title="Cầu Bến Mới khởi công", Date="01/03/2024 08:00", Tags="cầu")
    tiny_site.post("b", title="Cầu Bến Mới hợp long", Date="01/05/2024 08:00", Tags="cầu")
    tiny_site.post(
        "c", title="Tin khác", Date="01/04/2024 08:00", Unit="Thanh tra Sở", Category="Thông báo"
    )
    tiny_site.settings(THEME)
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    html = result.page("2024/05/cau-ben-moi-hop-long/")
    start = html.index('class="related"')
    related = html[start : html.index("</section>", start)]
    assert "Cầu Bến Mới khởi công" in related and "Tin khác" not in related
    nav = html[
        html.index('class="post-nav"') : html.index("</nav>", html.index('class="post-nav"'))
    ]
    assert 'rel="prev" href="http://127.0.0.1:8000/2024/04/tin-khac/"' in nav
    assert 'rel="next"' not in nav  # the newest post has no next


@pytest.mark.slow
def test_bad_setting_stops_the_build(tiny_site):
    tiny_site.post("a")
    tiny_site.settings(THEME + "RELATED_POSTS_MAX = -1\n")
    result = tiny_site.build()
    assert result.returncode == 1
    assert "RELATED_POSTS_MAX must be a whole number" in result.log


def _related_titles(result, address: str) -> list[str]:
    import re

    html = result.page(address)
    start = html.index('class="related"')
    return re.findall(r"<a [^>]*>([^<]+)</a>", html[start : html.index("</section>", start)])


@pytest.mark.slow
def test_lists_follow_a_new_post_and_survive_a_damaged_memo(tiny_site):
    tiny_site.post("a", title="Cầu Bến Mới khởi công", Date="01/03/2024 08:00", Tags="cầu")
    tiny_site.post("b", title="Cầu Bến Mới hợp long", Date="01/05/2024 08:00", Tags="cầu")
    tiny_site.settings(THEME)
    assert (first := tiny_site.build()).returncode == 0, first.log
    memo = tiny_site.base / "cache" / "related" / "related.pickle"
    assert memo.is_file()  # next to content/, as RELATED_POSTS_CACHE_PATH says
    assert _related_titles(first, "2024/05/cau-ben-moi-hop-long/") == ["Cầu Bến Mới khởi công"]

    # a new post with the same tag enters the lists of the posts near it
    tiny_site.post("c", title="Cầu Bến Mới thông xe", Date="01/06/2024 08:00", Tags="cầu")
    assert (second := tiny_site.build()).returncode == 0, second.log
    assert _related_titles(second, "2024/05/cau-ben-moi-hop-long/") == [
        "Cầu Bến Mới thông xe",
        "Cầu Bến Mới khởi công",
    ]

    # a damaged memo is ignored: every post ranked again, same lists
    memo.write_bytes(b"\x80\x05not a pickle")
    tiny_site.post("c", title="Cầu Bến Mới thông xe", Date="01/06/2024 08:00", Tags="cầu, đường")
    assert (third := tiny_site.build()).returncode == 0, third.log
    assert _related_titles(third, "2024/03/cau-ben-moi-khoi-cong/") == [
        "Cầu Bến Mới hợp long",
        "Cầu Bến Mới thông xe",
    ]
