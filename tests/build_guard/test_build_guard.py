"""The guard: collisions found before writing, atomic publish, plugin failures fail."""

import hashlib
import shutil
import subprocess
import time

from tests.conftest import ROOT


def _snapshot(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_posts_with_one_url_stop_the_build_naming_both(tiny_site):
    first = tiny_site.post("first", title="Họp giao ban tháng 9", Date="12/09/2023")
    second = tiny_site.post("second", title="Họp giao ban tháng 9", Date="20/09/2023")
    result = tiny_site.build()
    assert result.returncode == 1
    assert "2023/09/hop-giao-ban-thang-9/index.html" in result.log
    assert f"content/posts/{first.name}" in result.log
    assert f"content/posts/{second.name}" in result.log
    assert "Slug:" in result.log
    assert not result.output.exists()


def test_explicit_slug_resolves_the_collision(tiny_site):
    tiny_site.post("first", title="Họp giao ban tháng 9", Date="12/09/2023")
    tiny_site.post(
        "second", title="Họp giao ban tháng 9", Date="20/09/2023", Slug="hop-giao-ban-thang-9-lan-2"
    )
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert (result.output / "2023/09/hop-giao-ban-thang-9-lan-2/index.html").exists()


def test_a_page_cannot_take_the_url_of_a_plugin_page(tiny_site):
    tiny_site.post("a")
    tiny_site.write("pages/don-vi.md", "Title: Các đơn vị\nSlug: don-vi\n\nx\n")
    result = tiny_site.build()
    assert result.returncode == 1
    assert "don-vi/index.html" in result.log
    assert "content/pages/don-vi.md" in result.log
    assert "trang danh sách đơn vị" in result.log


def test_failed_rebuild_leaves_the_live_site_untouched(tiny_site):
    tiny_site.post("a", title="Bài đầu tiên")
    assert tiny_site.build().returncode == 0
    before = _snapshot(tiny_site.output)
    tiny_site.post("b", title="Bài thứ hai")
    tiny_site.post("c", title="Bài lỗi", Unit="Không tồn tại")
    result = tiny_site.build()
    assert result.returncode == 1
    assert _snapshot(tiny_site.output) == before
    siblings = [p.name for p in tiny_site.output.parent.iterdir()]
    assert not [name for name in siblings if ".building-" in name or ".replaced-" in name]


def test_a_crash_while_writing_keeps_the_old_site(tiny_site):
    tiny_site.post("a", title="Bài đầu tiên")
    assert tiny_site.build().returncode == 0
    before = _snapshot(tiny_site.output)
    broken_theme = tiny_site.base / "theme"
    shutil.copytree(ROOT / "theme", broken_theme)
    (broken_theme / "templates/article.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ article.title|no_such_filter }}'
        "{% endblock %}",
        encoding="utf-8",
    )
    tiny_site.settings(f"THEME = {str(broken_theme)!r}\n")
    result = tiny_site.build()
    assert result.returncode != 0
    assert _snapshot(tiny_site.output) == before


def test_successful_rebuild_replaces_the_site_and_keeps_retained_files(tiny_site):
    tiny_site.post("a", title="Bài đầu tiên")
    tiny_site.settings('OUTPUT_RETENTION = [".well-known"]\n')
    assert tiny_site.build().returncode == 0
    (tiny_site.output / ".well-known").mkdir()
    (tiny_site.output / ".well-known/security.txt").write_text("Contact: x", encoding="utf-8")
    (tiny_site.content / "posts/a.md").unlink()
    tiny_site.post("b", title="Bài thay thế")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert not (tiny_site.output / "2023/09/bai-dau-tien").exists()
    assert (tiny_site.output / "2023/09/bai-thay-the/index.html").exists()
    assert (tiny_site.output / ".well-known/security.txt").exists()


def test_a_plugin_that_fails_to_load_fails_the_build(tiny_site):
    tiny_site.post("a")
    tiny_site.settings('PLUGINS = PLUGINS + ["plugins.no_such_plugin"]\n')
    result = tiny_site.build()
    assert result.returncode == 1
    assert "no_such_plugin" in result.log
    assert not result.output.exists()


def test_bad_setting_is_reported_at_start(tiny_site):
    tiny_site.post("a")
    tiny_site.settings('FEED_ALL_ATOM = "feeds/all.atom.xml"\n')
    result = tiny_site.build()
    assert result.returncode == 1
    assert "FEED_ALL_ATOM" in result.log and "None" in result.log
    assert "Traceback" not in result.log


def _second_post_with_before_publish(tiny_site, receiver: str):
    """A published site with one post, then a second post and a plugin whose
    ``before_publish`` receiver is ``receiver`` (source, named ``receiver``): the build's
    result, and the published site's files before it."""
    tiny_site.post("a", title="Bài đầu tiên")
    assert tiny_site.build().returncode == 0
    before = _snapshot(tiny_site.output)
    (tiny_site.base / "receiver_plugin.py").write_text(
        "from pathlib import Path\n"
        "from plugins.portal_core import problems\n"
        "from plugins.portal_core.failure import fail\n"
        "from plugins.portal_core.signals import before_publish\n"
        f"{receiver}\n"
        "def register():\n"
        "    before_publish.connect(receiver)\n",
        encoding="utf-8",
    )
    tiny_site.post("b", title="Bài thứ hai")
    tiny_site.settings(
        f"PLUGIN_PATHS = PLUGIN_PATHS + [{str(tiny_site.base)!r}]\n"
        "PLUGINS = PLUGINS + ['receiver_plugin']\n"
    )
    return tiny_site.build(), before


def test_before_publish_sees_the_whole_site_and_can_stop_the_publish(tiny_site):
    result, before = _second_post_with_before_publish(
        tiny_site,
        "def receiver(sender, output_path, settings):\n"
        "    pages = sorted(Path(output_path).rglob('index.html'))\n"
        "    problems.current().error('content/posts/b.md', f'checked {len(pages)} pages')\n",
    )
    assert result.returncode == 1
    assert "content/posts/b.md: checked" in result.log
    assert _snapshot(tiny_site.output) == before


def test_a_build_stopped_while_the_search_index_is_made_leaves_nothing_behind(tiny_site):
    result, before = _second_post_with_before_publish(
        tiny_site,
        "def receiver(sender, output_path, settings):\n"
        "    beside = sorted(p.name for p in Path(output_path).parent.glob('*-search-*'))\n"
        "    fail(f'dừng lại; bên cạnh: {beside}')\n",
    )
    assert result.returncode == 1
    # Pagefind was at work beside the staging folder when the build stopped
    assert "-search-" in result.log.split("bên cạnh:", 1)[1].splitlines()[0]
    assert _snapshot(tiny_site.output) == before
    assert not [p.name for p in tiny_site.output.parent.iterdir() if "building" in p.name]


def test_leftovers_are_moved_aside_at_once_and_deleted_in_the_background(tmp_path, monkeypatch):
    from plugins.build_guard import staging

    monkeypatch.setattr(staging, "TRASH_GRACE_SECONDS", 0)
    dead = subprocess.Popen(["true"])
    dead.wait()
    output = tmp_path / "output"
    output.mkdir()
    for prefix in (staging.STAGING_PREFIX, staging.OLD_PREFIX, staging.TRASH_PREFIX):
        leftover = tmp_path / f".output{prefix}{dead.pid}"
        (leftover / "2023/09/bai").mkdir(parents=True)
        (leftover / "2023/09/bai/index.html").write_text("cũ", encoding="utf-8")
    staging.remove_stale(output)
    names = [p.name for p in tmp_path.iterdir()]
    assert not [n for n in names if n.endswith(str(dead.pid))]  # no build waits for it
    deadline = time.monotonic() + 20
    while [p for p in tmp_path.iterdir() if p.name != "output"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_a_running_builds_staging_folder_is_left_alone(tmp_path):
    from plugins.build_guard import staging

    other = subprocess.Popen(["sleep", "30"])
    try:
        output = tmp_path / "output"
        output.mkdir()
        theirs = tmp_path / f".output{staging.STAGING_PREFIX}{other.pid}"
        theirs.mkdir()
        staging.remove_stale(output)
        assert theirs.is_dir()
    finally:
        other.kill()
        other.wait()
