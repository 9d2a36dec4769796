"""plugins/redirects: content/redirects.yml checked, turned into pages and nginx map lines."""

from __future__ import annotations

from plugins.redirects.core import Redirect, load, nginx_maps, normalise_source, page, page_file


def test_sources_are_paths_decoded_as_nginx_sees_them():
    assert normalise_source("/vi/news/a/b-1.html") == "/vi/news/a/b-1.html"
    assert normalise_source("http://old.gov.vn/tin-%C4%91a/") == "/tin-đa/"
    assert normalise_source("/index.php?nv=news&op=a-1") == "/index.php?nv=news&op=a-1"
    assert normalise_source("/?p=12") == "/?p=12"
    for bad in ("/", "vi/news", "/a/../etc/passwd", '/a"b', "/a b"):
        assert normalise_source(bad) is None, bad


def test_problems_name_their_line_and_self_redirects_are_dropped(tmp_path):
    path = tmp_path / "redirects.yml"
    path.write_text(
        "redirects:\n"
        '  - from: "/vi/news/a-1.html"\n    to: "/2020/01/a/"\n'
        '  - from: "khong-co-gach.html"\n    to: "/2020/01/b/"\n'
        '  - from: "/c.html"\n    to: "javascript:alert(1)"\n'
        '  - from: "/2020/01/d/"\n    to: "/2020/01/d/"\n',
        encoding="utf-8",
    )
    redirects, problems = load(str(path))
    assert redirects == [Redirect("/vi/news/a-1.html", "/2020/01/a/")]
    assert [(p.line, "địa chỉ cũ" in p.message) for p in problems] == [(4, True), (6, False)]
    broken = tmp_path / "broken.yml"
    broken.write_text("redirects:\n  - from: [\n", encoding="utf-8")
    assert load(str(broken))[1][0].line == 3
    assert load(str(tmp_path / "missing.yml")) == ([], [])


def test_pages_and_maps():
    assert page_file("/vi/news/a/b-1.html") == "vi/news/a/b-1.html"
    assert page_file("/tin-tuc/") == "tin-tuc/index.html"
    assert page_file("/tin-tuc") == "tin-tuc/index.html"
    assert page_file("/index.php?nv=news") is None
    html = page("https://sgtvt.example.vn/2020/01/a/")
    assert 'content="0; url=https://sgtvt.example.vn/2020/01/a/"' in html
    assert 'rel="canonical"' in html and 'lang="vi"' in html
    by_path, by_request = nginx_maps(
        [Redirect("/a.html", "/b/"), Redirect('/q?x="1"', "/c/"), Redirect("/tin-đa/", "/d/")]
    )
    assert by_path == '"/a.html" "/b/";\n"/tin-đa/" "/d/";\n'
    assert by_request == '"/q?x=\\"1\\"" "/c/";\n'


def test_a_build_writes_pages_but_never_over_a_real_page(tiny_site):
    tiny_site.post("bai", title="Bài mới", Slug="bai-moi")
    tiny_site.write(
        "redirects.yml",
        """
        redirects:
          - from: /vi/news/tin-tuc/bai-cu-5.html
            to: /2023/09/bai-moi/
          - from: /2023/09/bai-moi/index.html
            to: /khac/
        """,
    )
    build = tiny_site.build()
    assert build.returncode == 0, build.log
    assert "/2023/09/bai-moi/" in build.page("vi/news/tin-tuc/bai-cu-5.html")
    assert "Bài mới" in build.page("2023/09/bai-moi/")  # the real page is kept
    assert '"/vi/news/tin-tuc/bai-cu-5.html" "/2023/09/bai-moi/";' in (
        build.output / ".redirects.map"
    ).read_text(encoding="utf-8")


def test_a_bad_redirect_file_stops_the_build_naming_the_line(tiny_site):
    tiny_site.post("bai")
    tiny_site.write("redirects.yml", "redirects:\n  - from: bai-cu.html\n    to: /x/\n")
    build = tiny_site.build()
    assert build.returncode != 0
    assert "redirects.yml" in build.log and "bai-cu.html" in build.log
