"""The resident preview (plugins/incremental/live.py) between builds in one process: what a
save shows first, and a theme edit, as ``invoke serve`` runs them (Pelican in a child
process here, so no plugin's state outlives the test)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT, TinySite
from tests.incremental.test_incremental_build import SETTINGS

DRIVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from plugins.incremental.live import ResidentSite

    settings, output, post, css = sys.argv[2:6]
    site = ResidentSite(settings, Path(output), {})
    steps = {"first build": site.build()}
    text = Path(post).read_text(encoding="utf-8")
    Path(post).write_text(text.replace("Xem văn bản", "Xem ngay văn bản"), encoding="utf-8")
    steps["shown first"] = site.render_first(Path(post))
    steps["page after the first render"] = (
        Path(output) / "2024/03/bai-co-lien-ket/index.html"
    ).read_text(encoding="utf-8")
    steps["build after the save"] = site.build()
    with open(css, "a", encoding="utf-8") as handle:
        handle.write(".sua-giao-dien { color: red }\\n")
    steps["build after the theme edit"] = site.build()
    print(json.dumps(steps))
    """
)


def _drive(tmp_path: Path, driver_text: str, site: TinySite, *args: Path):
    """Run a driver script (ROOT, the settings, the output, then ``args``) in a child
    process: the finished run and the steps it printed as JSON."""
    driver = tmp_path / "driver.py"
    driver.write_text(driver_text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(driver), str(ROOT), str(site.settings_file), str(site.output),
         *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "COUNTER_SNAPSHOT": str(tmp_path / "none.json")},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def test_a_saved_post_and_a_theme_edit_show_what_a_build_shows(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    site.settings(SETTINGS + f"THEME = {str(theme)!r}\n")
    shutil.copytree(ROOT / "content/van-ban", site.content / "van-ban")
    for registry in (ROOT / "content").glob("document-*.yml"):
        shutil.copy(registry, site.content / registry.name)
    post = site.post(
        "bai-co-lien-ket",
        title="Bài có liên kết",
        Date="05/03/2024 08:00",
        Slug="bai-co-lien-ket",
        body="Xem văn bản [Hướng dẫn số 56]({van-ban}56/HD-SGTVT).",
    )
    run, steps = _drive(tmp_path, DRIVER, site, post, theme / "static/css/portal.css")
    assert steps["first build"] and steps["build after the save"], run.stdout + run.stderr
    # never a page whose link the browser cannot follow, even for a moment
    assert "{van-ban}" not in steps["page after the first render"]
    page = (site.output / "2024/03/bai-co-lien-ket/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*/van-ban/56-hd-sgtvt/"', page), page

    assert steps["build after the theme edit"], run.stdout + run.stderr
    home = (site.output / "index.html").read_text(encoding="utf-8")
    linked = re.search(r'href="[^"]*/(theme/css/portal\.[0-9a-f]+\.css)"', home)[1]
    assert ".sua-giao-dien" in (site.output / linked).read_text(encoding="utf-8")


NEW_POST_DRIVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from plugins.incremental.live import ResidentSite

    settings, output, content = sys.argv[2:5]
    output, content = Path(output), Path(content)
    site = ResidentSite(settings, output, {})
    steps = {"first build": site.build()}
    header = "Date: 06/03/2024 09:00\\nUnit: Văn phòng Sở\\nCategory: Tin tức sự kiện\\n"
    new = content / "posts/bai-moi.md"
    new.write_text("Title: Bài mới\\nSlug: bai-moi\\n" + header + "\\nNội dung bài mới.\\n")
    steps["new post shown first"] = site.render_first(new)
    page = output / "2024/03/bai-moi/index.html"
    steps["its page before the build"] = page.read_text() if page.exists() else ""
    taken = content / "posts/trung-dia-chi.md"
    old_page = output / "2024/03/bai-cu/index.html"
    before = old_page.read_text()
    taken.write_text("Title: Trùng địa chỉ\\nSlug: bai-cu\\n" + header + "\\nChép đè?\\n")
    steps["taken address shown first"] = site.render_first(taken)
    steps["old page kept"] = old_page.read_text() == before
    fixed = content / "pages/trang-moi.md"
    fixed.write_text("Title: Trang mới\\nSlug: trang-moi\\n\\nTrang.\\n")
    steps["fixed page shown first"] = site.render_first(fixed)
    print(json.dumps(steps))
    """
)


def test_a_new_post_is_shown_first_unless_its_address_is_taken(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    site.settings(SETTINGS)
    site.post("bai-cu", title="Bài cũ", Date="05/03/2024 08:00", Slug="bai-cu")
    run, steps = _drive(tmp_path, NEW_POST_DRIVER, site, site.content)
    assert steps["first build"] and steps["new post shown first"], run.stdout + run.stderr
    assert "Nội dung bài mới." in steps["its page before the build"]
    assert not steps["taken address shown first"] and steps["old page kept"]
    assert not steps["fixed page shown first"]


def test_a_post_saved_into_a_new_folder_is_shown_first(tmp_path: Path):
    """The first post of a new year: ``watchfiles`` reports its folder, not the file
    written into it at once; the preview takes the file from the folder (real events)."""
    import threading

    import watchfiles

    from plugins.incremental.live import saved_posts

    content = tmp_path / "content"
    (content / "posts/2025").mkdir(parents=True)
    old = content / "posts/2025/bai-cu.md"
    old.write_text("Title: Bài cũ\n", encoding="utf-8")
    stop, seen = threading.Event(), []

    def save() -> None:
        stop.wait(1.0)  # the watcher is running
        (content / "posts/2026").mkdir()
        (content / "posts/2026/bai-moi.md").write_text("Title: Bài mới\n", encoding="utf-8")
        (content / "posts/2026/anh.jpg").write_bytes(b"x")
        old.write_text("Title: Bài cũ, sửa\n", encoding="utf-8")
        stop.wait(1.5)  # its events reported
        stop.set()

    writer = threading.Thread(target=save)
    writer.start()
    for changes in watchfiles.watch(content, debounce=100, step=20, stop_event=stop):
        seen.extend(changes)
    writer.join()
    assert (watchfiles.Change.added, str(content / "posts/2026")) in seen
    assert saved_posts(seen, content) == [
        old.resolve(),
        (content / "posts/2026/bai-moi.md").resolve(),
    ]
    # the content folder itself reported as modified is not every post saved
    assert saved_posts([(watchfiles.Change.modified, str(content))], content) == []
