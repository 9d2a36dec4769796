"""Incremental builds write the same bytes as full builds: adds, edits, deletes, settings."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import TinySite

WITH_SEARCH = "DEFAULT_PAGINATION = 3\n"  # the whole site, search bundle included
SETTINGS = WITH_SEARCH + "SEARCH_INDEX = False  # faster, for the tests of one behaviour\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def summary(log: str) -> dict[str, int]:
    """What a build rendered ("changed", "new"…) and reused; "patched": 1 when it patched
    post bodies into the site model instead of running the generators."""
    patched = re.search(r"Dựng nhanh: .*?(\d+) trang dựng lại, (\d+) trang giữ nguyên", log)
    if patched:
        return {"changed": int(patched[1]), "reused": int(patched[2]), "patched": 1}
    line = re.search(r"Dựng tăng dần: ([^(\n]*)", log)[1]
    return {what.strip(): int(n) for n, what in re.findall(r"(\d+) ([a-z ]+)", line)}


@pytest.fixture
def site(tmp_path: Path) -> TinySite:
    site = TinySite(tmp_path / "site")
    site.settings(SETTINGS)
    for n in range(1, 11):
        site.post(
            f"bai-{n:02d}",
            title=f"Bài số {n} về an toàn giao thông",
            Date=f"{n:02d}/03/2024 08:00",
            Tags="an toàn giao thông" if n % 2 else "đăng kiểm",
            Unit="Thanh tra Sở" if n % 3 else "Văn phòng Sở",
            Author=f"Biên tập viên {n % 2}",  # Pelican's author objects change once used
        )
    return site


def assert_same_as_full_build(site: TinySite, tmp_path: Path, step: str) -> dict[str, int]:
    incremental = site.build()
    assert incremental.returncode == 0, incremental.log
    full = TinySite.__new__(TinySite)
    full.__dict__.update(site.__dict__)
    full.output = tmp_path / f"full-{step}"
    full.settings_file = tmp_path / f"full-{step}.py"
    full.settings_file.write_text(
        site.settings_file.read_text(encoding="utf-8") + "\nINCREMENTAL_BUILD = False\n",
        encoding="utf-8",
    )
    clean = full.build()
    assert clean.returncode == 0, clean.log
    ours, theirs = tree(site.output), tree(full.output)
    assert sorted(ours) == sorted(theirs), step
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert differing == [], f"{step}: {differing}"
    print(re.search(r"(Dựng tăng dần|Dựng nhanh): .*", incremental.log)[0])
    return summary(incremental.log)


def test_incremental_output_equals_full_output(site: TinySite, tmp_path: Path):
    site.settings(WITH_SEARCH)
    first = assert_same_as_full_build(site, tmp_path, "first")
    assert first.get("reused", 0) == 0

    nothing = site.build()  # nothing changed: no build at all, the output stays
    assert nothing.returncode == 0 and "Không có gì thay đổi" in nothing.log, nothing.log
    # one post's source changed: the pages that show it are rendered (the newest post: a
    # page rendered by a patch build is rendered again by the next full pass)
    with (site.content / "posts/bai-10.md").open("a", encoding="utf-8") as post:
        post.write("\n")
    same = assert_same_as_full_build(site, tmp_path, "nothing")
    assert same.get("reused", 0) > 0 and set(same) - {"patched"} == {"reused", "changed"}, same

    oldest = site.output / "trang/1/index.html"  # the home list's oldest posts
    inode = oldest.stat().st_ino
    site.post(
        "bai-11",
        title="Thông báo nghỉ lễ",
        Date="11/03/2024 08:00",
        Category="Thông báo",
        Unit="Phòng Quản lý vận tải",
        Tags="lịch nghỉ",
    )
    added = assert_same_as_full_build(site, tmp_path, "add")
    assert added.get("reused", 0) > 0 and added.get("new", 0) >= 1, added
    assert oldest.stat().st_ino == inode  # the same file, linked: not rendered again

    site.post("bai-05", title="Bài số 5, tiêu đề đã sửa", Date="05/03/2024 08:00")
    edited = assert_same_as_full_build(site, tmp_path, "edit")
    assert edited.get("changed", 0) >= 1

    (site.content / "posts/bai-02.md").unlink()
    assert_same_as_full_build(site, tmp_path, "delete")

    site.settings(WITH_SEARCH + 'SITENAME = "Cổng thử nghiệm"\n')
    renamed = assert_same_as_full_build(site, tmp_path, "settings")
    assert renamed.get("reused", 0) == 0, renamed
    assert "Cổng thử nghiệm" in (site.output / "index.html").read_text(encoding="utf-8")


def test_a_page_edited_by_hand_in_the_output_is_rendered_again(site: TinySite):
    assert site.build().returncode == 0
    page = site.output / "trang/1/index.html"  # the oldest posts: a new post changes nothing
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<!-- edited --></body>"))
    site.post("bai-12", title="Một bài khác", Date="12/03/2024 08:00", Category="Thông báo")
    again = site.build()
    assert again.returncode == 0, again.log
    assert page.read_bytes() == original
    assert summary(again.log).get("edited by hand") == 1


def test_an_output_restored_with_new_times_is_reused(site: TinySite, tmp_path: Path):
    """A CI cache gives the files back with other times (and inodes): their bytes decide."""
    assert site.build().returncode == 0
    kept = tmp_path / "ci-cache"
    shutil.copytree(site.output, kept)
    shutil.rmtree(site.output)
    shutil.copytree(kept, site.output, copy_function=shutil.copyfile)  # times not kept
    edited = site.output / "trang/1/index.html"  # the oldest posts: unchanged by a new one
    edited.write_bytes(edited.read_bytes().replace(b"</body>", b"<!--x--></body>"))
    same_size = site.output / "don-vi/ban-bao-tri/index.html"  # an edit that keeps the size
    text = same_size.read_bytes()
    same_size.write_bytes(text.replace(b"</body>", b"</bodY>"))
    site.post("bai-12", title="Một bài khác", Date="12/03/2024 08:00", Category="Thông báo")
    outcome = assert_same_as_full_build(site, tmp_path, "restored")
    assert outcome.get("edited by hand") == 2, outcome
    assert outcome["reused with a new time"] == outcome["reused"] > 10, outcome
    assert same_size.read_bytes() == text


def test_full_switch_renders_everything(site: TinySite):
    assert site.build().returncode == 0
    site.settings(SETTINGS + "INCREMENTAL_BUILD = False\n")
    full = site.build()
    assert full.returncode == 0, full.log
    assert "reused" not in summary(full.log)
    assert filecmp.cmp(site.output / "index.html", site.output / "index.html")


def test_a_cached_read_reports_the_same_problems(site: TinySite):
    site.post("sai", title="Bài có đơn vị sai", Unit="Thanh tra Soo")
    first = site.build()
    second = site.build()
    assert first.returncode == second.returncode == 1
    for result in (first, second):
        assert "posts/sai.md" in result.log and "Thanh tra Soo" in result.log, result.log
    # a post with an error is not kept: it is read, and its problem reported, every time
    assert "Mô hình trang: 10 bài lấy từ mô hình, 1 bài đọc mới" in second.log


def test_a_changed_file_is_never_skipped(site: TinySite):
    assert site.build().returncode == 0
    assert "Không có gì thay đổi" in site.build().log
    site.post("bai-03", title="Bài số 3 đã sửa tiêu đề", Date="03/03/2024 08:00")
    changed = site.build()
    assert "Không có gì thay đổi" not in changed.log
    oldest = (site.output / "trang/1/index.html").read_text(encoding="utf-8")
    assert "Bài số 3 đã sửa tiêu đề" in oldest


def test_reader_cache_follows_the_registry(site: TinySite):
    assert site.build().returncode == 0
    registry = site.content / "units.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("name: Thanh tra Sở", "name: Thanh tra"),
        encoding="utf-8",
    )
    again = site.build()
    assert "0 bài lấy từ mô hình" in again.log  # every post read again: its unit may have changed
