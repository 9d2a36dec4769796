from plugins.html_sanitizer.sanitize import sanitize


def test_scripts_handlers_and_javascript_links_are_removed_and_listed():
    html, removed = sanitize(
        '<p onclick="steal()">Xin chào</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bấm</a><iframe src="https://x"></iframe>'
        '<img src="a.jpg" alt="x" onerror="x()">'
    )
    for bad in ("onclick", "<script", "alert", "javascript:", "<iframe", "onerror"):
        assert bad not in html
    assert "Xin chào" in html and "bấm" in html
    assert set(removed) >= {"onclick=", "<script>", 'href="javascript:…"', "<iframe>", "onerror="}
    assert "<iframe src>" not in removed  # reported once, as the tag


def test_ordinary_article_html_passes_unchanged():
    html = (
        '<h2 id="muc-1">Mục 1</h2><p>Đoạn <strong>đậm</strong> và <a href="{static}/a.pdf">tệp</a>'
        '</p><table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td>1</td></tr>'
        '</tbody></table><figure><img src="{static}/images/a.jpg" alt="Ảnh" width="10" height="5">'
        "<figcaption>Chú thích</figcaption></figure>"
    )
    cleaned, removed = sanitize(html)
    assert removed == []
    assert cleaned == html


def test_build_strips_raw_html_and_warns_naming_the_file(tiny_site):
    tiny_site.post(
        "raw",
        title="Bài có mã",
        body='<p>Trước</p>\n\n<script>alert("x")</script>\n\n<a href="javascript:x()">y</a>\n',
    )
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    html = result.page("2023/09/bai-co-ma/")
    assert "alert" not in html and "javascript:" not in html and "Trước" in html
    assert "content/posts/raw.md" in result.log and "WARNING" in result.log


def test_a_cached_read_is_still_sanitised_and_still_warns(tiny_site):
    tiny_site.post("raw", title="Bài có mã", body='<p>Trước</p>\n\n<p onclick="x()">Sau</p>\n')
    first = tiny_site.build()
    assert first.returncode == 0, first.log
    tiny_site.post("other", title="Bài khác")  # something changed: the build runs
    again = tiny_site.build()
    assert again.returncode == 0, again.log
    assert "1 bài lấy từ mô hình" in again.log  # raw.md came from the post store
    assert "content/posts/raw.md" in again.log and "onclick" in again.log
    assert "onclick" not in again.page("2023/09/bai-co-ma/")


def test_a_plugin_that_replaces_the_reader_after_the_sanitiser_stops_the_build(tiny_site):
    tiny_site.settings(
        """
        PLUGINS = [p for p in PLUGINS if p != "plugins.html_sanitizer"]
        PLUGINS.insert(PLUGINS.index("plugins.front_matter"), "plugins.html_sanitizer")
        """
    )
    tiny_site.post("raw", title="Bài có mã", body='<p onclick="x()">Sau</p>\n')
    result = tiny_site.build()
    assert result.returncode == 1
    assert "plugins.html_sanitizer" in result.log and "front_matter" in result.log
