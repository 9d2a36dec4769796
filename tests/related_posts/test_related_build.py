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
