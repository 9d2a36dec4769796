"""Build-time counters: snapshot numbers rendered, manifest written, widget shipped."""

import json

from plugins.visitor_counter.core import counter_view, page_paths


class _Snap:
    online, today, total = 3, 27, 278872
    asof = None

    def __init__(self):
        self.views = {"/2023/09/a/": 47}


def test_counter_view_maps_article_urls_to_counted_paths():
    view = counter_view(_Snap(), "/api/v1", ["2023/09/a/", "2023/09/b/"])
    assert view.views == {"2023/09/a/": 47}
    assert (view.online, view.today, view.total) == (3, 27, 278872)
    assert counter_view(None, "/api/v1", ["x/"]).total is None


def test_page_paths_turn_files_into_url_paths():
    paths = page_paths("out", ["index.html", "a/index.html", "404.html"])
    assert paths == ["/", "/404.html", "/a/"]


def test_html_files_of_an_output_folder(tmp_path):
    from plugins.visitor_counter.core import html_files

    for rel in ["index.html", "a/b/index.html", "a/xindex.html", "feed.xml", "c/d.html"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = html_files(str(tmp_path))
    assert sorted(found) == ["a/b/index.html", "a/xindex.html", "c/d.html", "index.html"]
    assert page_paths(str(tmp_path), found) == ["/", "/a/b/", "/a/xindex.html", "/c/d.html"]
    # the build guard's list of the folder stands for the walk
    from plugins.build_guard import files_in

    assert sorted(html_files(str(tmp_path), files_in(tmp_path))) == sorted(found)


def _snapshot_file(tmp_path, total=278872, views=None):
    path = tmp_path / "snapshot.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "asof": "2026-11-22T14:05:00+07:00",
                "timezone": "Asia/Ho_Chi_Minh",
                "site": {"online": 3, "today": 27, "total": total},
                "views": views or {},
            }
        ),
        encoding="utf-8",
    )
    return path


def test_build_renders_snapshot_numbers_and_writes_the_manifest(tiny_site, tmp_path):
    tiny_site.post("a", title="Họp giao ban tháng 9")
    snapshot = _snapshot_file(tmp_path, views={"/2023/09/hop-giao-ban-thang-9/": 1234})
    tiny_site.settings(f"COUNTER_SNAPSHOT = {str(snapshot)!r}\n")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    home = result.page("index.html")
    assert "278.872" in home and "14:05 22/11/2026" in home
    article = result.page("2023/09/hop-giao-ban-thang-9/")
    assert "1.234" in article
    manifest = json.loads((result.output / "counter-paths.json").read_text(encoding="utf-8"))
    assert "/2023/09/hop-giao-ban-thang-9/" in manifest["paths"] and "/" in manifest["paths"]
    assert (result.output / "theme/js/counter.js").exists()


def test_no_snapshot_yet_is_not_an_error(tiny_site, tmp_path):
    tiny_site.post("a")
    tiny_site.settings(f"COUNTER_SNAPSHOT = {str(tmp_path / 'none.json')!r}\n")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "WARNING" not in result.log


def test_a_broken_snapshot_warns_and_the_site_still_builds(tiny_site, tmp_path):
    tiny_site.post("a")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    tiny_site.settings(f"COUNTER_SNAPSHOT = {str(broken)!r}\n")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "broken.json" in result.log and "WARNING" in result.log


def test_the_service_store_itself_can_be_the_snapshot(tiny_site, tmp_path):
    from counter.stores.sqlite import SQLiteStore  # the service's own store and schema

    store = SQLiteStore(tmp_path / "counter.sqlite3")
    store.seed(278872, {"/2023/09/bai-thu/": 5})
    store.close()
    tiny_site.post("a")
    tiny_site.settings(f"COUNTER_SNAPSHOT = {str(tmp_path / 'counter.sqlite3')!r}\n")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert '<dd data-counter="total">278.872</dd>' in result.page("index.html")
    assert "<span data-counter-views>5</span>" in result.page("2023/09/bai-thu/")
