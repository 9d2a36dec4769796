def test_menu_lists_every_category_in_registry_order_even_empty_ones(tiny_site):
    tiny_site.post("a", Category="CCHC")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    html = result.page("index.html")
    order = [html.index(name) for name in ("Tin tức sự kiện", "Thông báo", "Cải cách hành chính")]
    assert order == sorted(order)
    assert "Chưa có bài viết." in result.page("chuyen-muc/thong-bao/")
    assert "Bài thử" in result.page("chuyen-muc/cai-cach-hanh-chinh/")


def test_category_alias_resolves_to_the_canonical_name(tiny_site):
    tiny_site.post("a", Category="tin tức - sự kiện")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert 'href="http://127.0.0.1:8000/chuyen-muc/tin-tuc-su-kien/">Tin tức sự kiện' in (
        result.page("2023/09/bai-thu/")
    )
