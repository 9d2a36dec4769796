"""Incremental builds from the site model write what a full build writes, change after change.

One site goes through the changes an editor or an operator makes; after each, the
incremental build's output is compared, byte for byte, with a full build of the same
content (``tests/incremental/test_incremental_build.py`` has the helpers).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from tests.conftest import ROOT, TinySite
from tests.incremental.test_incremental_build import SETTINGS, assert_same_as_full_build


def _photo(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (900, 600), colour).save(path, "JPEG")


def test_every_kind_of_change_gives_the_full_build_bytes(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base_settings = (
        SETTINGS
        + f"THEME = {str(theme)!r}\n"
        + "SCHEDULING_PUBLISH_MODE = True\n"
        + 'SCHEDULING_NOW = "2024-03-20T08:00"\n'
    )
    site.settings(base_settings)
    _photo(site.content / "images/2024/cau.jpg", (20, 90, 160))
    site.write("pages/gioi-thieu.md", "Title: Giới thiệu\n\nSở Giao thông vận tải.\n")
    shutil.copytree(ROOT / "content/van-ban", site.content / "van-ban")  # the register
    for registry in (ROOT / "content").glob("document-*.yml"):
        shutil.copy(registry, site.content / registry.name)
    for n in range(1, 13):
        site.post(
            f"bai-{n:02d}",
            title=f"Bài số {n} về an toàn giao thông",
            Date=f"{n:02d}/03/2024 08:00",
            Tags="an toàn giao thông" if n % 2 else "đăng kiểm",
            Unit="Thanh tra Sở" if n % 3 else "Văn phòng Sở",
            Category="Thông báo" if n % 4 == 0 else "Tin tức sự kiện",
            body=(
                f"Nội dung bài {n}.\n\n![Cầu mới]({{static}}/images/2024/cau.jpg)"
                if n == 7
                else f"Nội dung bài {n}."
            ),
        )

    def step(name: str) -> dict[str, int]:
        return assert_same_as_full_build(site, tmp_path, name)

    step("first")
    bai_05 = {
        "title": "Bài số 5 về an toàn giao thông",
        "Date": "05/03/2024 08:00",
        "Tags": "an toàn giao thông",
        "Unit": "Thanh tra Sở",
    }
    for name, change in [
        ("body", {"body": "Nội dung đã sửa."}),
        ("summary", {"Summary": "Tóm tắt mới."}),
        ("title", {"title": "Bài số 5, tiêu đề mới"}),
        ("date", {"Date": "09/03/2024 09:30"}),
        ("tags", {"Tags": "đăng kiểm, cầu đường"}),
        ("unit", {"Unit": "Văn phòng Sở"}),
        ("category", {"Category": "Thông báo"}),
    ]:
        bai_05.update(change)  # one field more changed at each step, the others kept
        site.post("bai-05", **bai_05)
        edited = step(name)
        if name == "body":
            assert edited.get("reused", 0) > edited.get("changed", 0), edited  # not all
            assert edited.get("patched"), edited  # a body edit: no generators run
    site.post("bai-13", title="Thông báo nghỉ lễ", Date="13/03/2024 08:00", Category="Thông báo")
    step("add")
    (site.content / "posts/bai-02.md").unlink()
    step("delete")
    site.post(
        "bai-03",
        title="Bài số 3 về an toàn giao thông",
        Date="03/03/2024 08:00",
        Slug="bai-so-ba-doi-ten",
    )
    step("slug")
    site.post("bai-14", title="Bản nháp", Date="14/03/2024 08:00", Status="draft")
    step("draft")
    site.post("bai-14", title="Bản nháp đã duyệt", Date="14/03/2024 08:00")
    step("draft published")
    site.post("bai-15", title="Bài hẹn giờ", Date="25/03/2024 08:00")
    step("scheduled, held back")
    site.settings(base_settings.replace("2024-03-20T08:00", "2024-03-26T08:00"))
    step("scheduled, due")
    site.post("bai-16", title="Hai bài cùng giờ (một)", Date="16/03/2024 08:00")
    site.post("bai-17", title="Hai bài cùng giờ (hai)", Date="16/03/2024 08:00")
    step("equal dates")
    site.post("bai-16", title="Hai bài cùng giờ (một, sửa)", Date="16/03/2024 08:00")
    step("equal dates, one edited")
    site.post("bai-18", title="Bài về hướng dẫn", Date="18/03/2024 08:00",
              Related_Doc_Number="56/HD-SGTVT")  # fmt: skip
    step("a post that links a document")
    site.post("bai-19", title="Bài dẫn tới văn bản", Date="19/03/2024 08:00",
              body="Xem [hướng dẫn]({van-ban}56/HD-SGTVT).")  # fmt: skip
    step("a post with a {van-ban} link")
    document = site.content / "van-ban/2024/hd-56-hd-sgtvt.md"  # the one both posts link
    text = document.read_text(encoding="utf-8")
    assert text.startswith("Title: "), "the step must change the document"
    document.write_text(text.replace("Title: ", "Title: (Sửa) ", 1), encoding="utf-8")
    step("document")
    registry = site.content / "units.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("name: Thanh tra Sở", "name: Thanh tra"),
        encoding="utf-8",
    )
    for path in (site.content / "posts").glob("*.md"):  # the posts follow the new name
        path.write_text(
            path.read_text(encoding="utf-8").replace("Unit: Thanh tra Sở", "Unit: Thanh tra"),
            encoding="utf-8",
        )
    step("registry")
    footer = theme / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- sửa giao diện -->\n")
    template = step("template")
    assert template.get("reused", 0) == 0, template
    stylesheet = theme / "static/css/portal.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + ".sua { color: red }\n")
    step("theme stylesheet")  # theme_assets: every page links the new hashed name
    site.settings(
        base_settings.replace("2024-03-20T08:00", "2024-03-26T08:00")
        + 'SITENAME = "Cổng thử nghiệm"\n'
    )
    step("settings")
    _photo(site.content / "images/2024/cau.jpg", (200, 30, 30))
    step("photo")
    page = site.output / "trang/1/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "</main>x"))
    (site.output / "the/index.html").unlink()
    damaged = step("damaged output")
    assert damaged.get("edited by hand", 0) + damaged.get("missing", 0) == 2, damaged


def test_a_build_killed_half_way_leaves_the_site_and_the_model_as_they_were(tmp_path: Path):
    """SIGKILL while the new pages are being written: the live output is last build's,
    byte for byte, and the next build is a correct incremental one."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.incremental.test_incremental_build import tree

    site = TinySite(tmp_path / "site")
    site.settings(SETTINGS + "INCREMENTAL_RENDER_WORKERS = 1\n")
    for n in range(1, 40):
        site.post(f"bai-{n:02d}", title=f"Bài số {n}", Date=f"{n % 28 + 1:02d}/03/2024 08:00")
    assert site.build().returncode == 0
    before = tree(site.output)
    site.post("bai-40", title="Bài mới", Date="29/03/2024 08:00")
    for n in range(1, 40):  # every post changed: enough work to catch the build in the middle
        site.post(
            f"bai-{n:02d}", title=f"Bài số {n}, đã sửa", Date=f"{n % 28 + 1:02d}/03/2024 08:00"
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "pelican", str(site.content), "-s", str(site.settings_file),
         "-o", str(site.output)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "COUNTER_SNAPSHOT": str(tmp_path / "none.json")},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    staging = site.output.parent
    while not any(".building-" in p.name for p in staging.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None, "the build never started"
        time.sleep(0.01)
    time.sleep(0.2)  # into the reading and writing
    assert proc.poll() is None, "the build ended before it could be killed: give it more work"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree(site.output) == before  # the live site as it was
    assert_same_as_full_build(site, tmp_path, "after the kill")
