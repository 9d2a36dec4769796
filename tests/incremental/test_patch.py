"""Patch builds: a change of post bodies only is built from the site model, without the
generators, and gives the bytes (site, search index, compliance report) of a full build."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from plugins.incremental import model as site_model
from tests.conftest import TinySite
from tests.incremental.test_incremental_build import tree

SETTINGS = "DEFAULT_PAGINATION = 3\n"  # the whole site, search bundle included


def write_post(site: TinySite, n: int, body: str = "", **fields: str) -> None:
    """Post ``n`` of the fixture's site; ``body`` and ``fields`` change it."""
    site.post(
        f"bai-{n:02d}",
        **{
            "title": f"Bài số {n} về đăng kiểm xe",
            "Date": f"{n:02d}/03/2024 08:00",
            "Tags": "đăng kiểm" if n % 2 else "an toàn giao thông",
            "Summary": None,  # the listings show the start of the body
            "body": body or f"Nội dung bài {n}: lịch đăng kiểm tháng ba.",
            **fields,
        },
    )


@pytest.fixture
def site(tmp_path: Path) -> TinySite:
    site = TinySite(tmp_path / "site")
    site.settings(SETTINGS)
    for n in range(1, 9):
        write_post(site, n)
    result = site.build()
    assert result.returncode == 0, result.log
    return site


def report(site: TinySite) -> dict:
    data = json.loads((site.base / "reports/compliance/bao-cao.json").read_text("utf-8"))
    data.pop("generated")
    data["summary"].pop("seconds")
    return data


def full_build_of(site: TinySite, tmp_path: Path, reports: Path) -> tuple[dict, dict]:
    """The same content built the full way into another folder, from the compliance
    records the patch build started from (``reports``): its files and its report."""
    shutil.rmtree(site.base / "reports/compliance")
    shutil.copytree(reports, site.base / "reports/compliance")
    full = TinySite.__new__(TinySite)
    full.__dict__.update(site.__dict__)
    full.output = tmp_path / "full"
    full.settings_file = tmp_path / "full.py"
    full.settings_file.write_text(
        site.settings_file.read_text(encoding="utf-8") + "\nINCREMENTAL_BUILD = False\n",
        encoding="utf-8",
    )
    result = full.build()
    assert result.returncode == 0, result.log
    return tree(full.output), report(site)


def test_a_body_edit_is_patched_into_the_model_and_equals_a_full_build(
    site: TinySite, tmp_path: Path
):
    before = tmp_path / "reports-before"
    shutil.copytree(site.base / "reports/compliance", before)
    unrelated = site.output / "the/an-toan-giao-thong/index.html"  # bai-05 is not on it
    inode = unrelated.stat().st_ino
    write_post(site, 5, "Nội dung mới: trạm đăng kiểm 3701D làm việc cả thứ bảy.")
    result = site.build()
    assert result.returncode == 0, result.log
    assert "Dựng nhanh: chỉ nội dung của 1 bài thay đổi" in result.log, result.log
    page = (site.output / "2024/03/bai-so-5-ve-dang-kiem-xe/index.html").read_text("utf-8")
    assert "trạm đăng kiểm 3701D" in page
    assert unrelated.stat().st_ino == inode  # a page that does not show it: the same file
    ours, our_report = tree(site.output), report(site)

    theirs, their_report = full_build_of(site, tmp_path, before)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert our_report == their_report


def test_patches_in_a_row_keep_every_body(site: TinySite, tmp_path: Path):
    original = (site.content / "posts/bai-03.md").read_bytes()
    for n, words in ((3, "bến xe phía Bắc"), (6, "cầu Hàm Rồng")):
        write_post(site, n, f"Nội dung bài {n} đã sửa: {words}.")
        result = site.build()
        assert result.returncode == 0 and "Dựng nhanh" in result.log, result.log
    before = tmp_path / "reports-before"
    shutil.copytree(site.base / "reports/compliance", before)
    third = (site.output / "2024/03/bai-so-3-ve-dang-kiem-xe/index.html").read_text("utf-8")
    sixth = (site.output / "2024/03/bai-so-6-ve-dang-kiem-xe/index.html").read_text("utf-8")
    assert "bến xe phía Bắc" in third and "cầu Hàm Rồng" in sixth
    (site.content / "posts/bai-03.md").write_bytes(original)  # the first edit undone
    result = site.build()
    assert result.returncode == 0 and "Dựng nhanh" in result.log, result.log
    third = (site.output / "2024/03/bai-so-3-ve-dang-kiem-xe/index.html").read_text("utf-8")
    assert "bến xe phía Bắc" not in third and "lịch đăng kiểm tháng ba" in third
    ours = tree(site.output)
    theirs, _ = full_build_of(site, tmp_path, before)
    assert [name for name in ours if ours.get(name) != theirs.get(name)] == []


def test_a_body_edit_that_reports_something_goes_the_full_way(site: TinySite):
    write_post(site, 4, "Nội dung bài 4. <script>alert(1)</script>")
    result = site.build()
    assert result.returncode == 0, result.log
    assert "Dựng nhanh" not in result.log
    assert result.log.count("đã loại bỏ mã HTML không an toàn") == 1, result.log


def test_a_title_or_a_photo_goes_the_full_way(site: TinySite):
    write_post(site, 2, title="Bài số 2, tiêu đề mới")
    result = site.build()
    assert result.returncode == 0 and "Dựng nhanh" not in result.log, result.log
    write_post(
        site,
        2,
        "Nội dung bài 2.\n\n![Xe vào trạm](/images/khong-co.jpg)",
        title="Bài số 2, tiêu đề mới",
    )
    result = site.build()
    assert "Dựng nhanh" not in result.log, result.log


def test_a_fault_in_the_patch_build_falls_back_to_the_full_pass(site: TinySite, tmp_path: Path):
    (lock,) = (site.base / "cache/build").glob("model-*.lock")
    model = lock.with_suffix(".sqlite3")
    site_model.wait_saved(model)  # saved by a process of its own once the build published
    with sqlite3.connect(model) as db:  # the post's saved fields, damaged
        db.execute("UPDATE posts SET state = x'00' WHERE path LIKE '%bai-07.md'")
    write_post(site, 7, "Nội dung bài 7: đường tránh thành phố thông xe.")
    result = site.build()
    assert result.returncode == 0, result.log
    assert "Không dựng nhanh được" in result.log and "Dựng nhanh:" not in result.log
    page = (site.output / "2024/03/bai-so-7-ve-dang-kiem-xe/index.html").read_text("utf-8")
    assert "đường tránh thành phố" in page
    again = site.build()  # the full pass saved a sound model
    assert again.returncode == 0 and "Không có gì thay đổi" in again.log, again.log


def test_a_body_that_names_a_document_changes_the_document_page(tmp_path: Path):
    """A document's page lists the posts whose text names its number: writing the number
    into a body, or taking it out, changes a page that does not show the post."""
    from tests.documents.conftest import DocumentSite

    site = DocumentSite(tmp_path / "site")
    site.settings(SETTINGS + "DOCUMENTS_TODAY = '2026-06-15'\nSEARCH_INDEX = False\n")
    site.document("qd-12-2024")
    for n in range(1, 4):
        site.post(f"bai-{n}", title=f"Bài số {n} về bến xe", Date=f"0{n}/04/2024 08:00")
    assert site.build().returncode == 0
    document = site.output / "van-ban/12-2024-qd-ubnd/index.html"
    for step, body in enumerate(
        ("Bến xe thực hiện Quyết định số 12/2024/QĐ-UBND của UBND tỉnh.", "Bến xe bán vé điện tử.")
    ):
        before = tmp_path / f"reports-{step}"
        shutil.copytree(site.base / "reports/compliance", before)
        site.post("bai-2", title="Bài số 2 về bến xe", Date="02/04/2024 08:00", body=body)
        result = site.build()
        assert result.returncode == 0, result.log
        assert ("bai-so-2-ve-ben-xe" in document.read_text("utf-8")) == (step == 0)
        ours = tree(site.output)
        (tmp_path / f"full-{step}").mkdir()
        theirs, _ = full_build_of(site, tmp_path / f"full-{step}", before)
        assert [name for name in ours if ours.get(name) != theirs.get(name)] == []


def test_after_full_passes_that_keep_unchanged_posts_a_patch_equals_a_full_build(
    site: TinySite, tmp_path: Path
):
    """A full pass writes into the model only the posts that changed; the rows it keeps
    and the rows it wrote give a patch build the site a full build gives."""
    write_post(site, 9)  # a new post: its neighbour and the listings change
    result = site.build()
    assert result.returncode == 0 and "Dựng nhanh" not in result.log, result.log
    write_post(site, 3, title="Bài số 3: lịch đăng kiểm mới")  # a title: the full pass
    result = site.build()
    assert result.returncode == 0 and "Dựng nhanh" not in result.log, result.log
    before = tmp_path / "reports-before"
    shutil.copytree(site.base / "reports/compliance", before)
    write_post(site, 3, "Nội dung bài 3 đã sửa: trạm 3703D.", title="Bài số 3: lịch đăng kiểm mới")
    write_post(site, 9, "Nội dung bài 9 đã sửa: bến xe phía Nam.")
    result = site.build()
    assert result.returncode == 0 and "Dựng nhanh: chỉ nội dung của 2 bài" in result.log, result.log
    page = next(site.output.glob("2024/03/bai-so-3-lich-dang-kiem-moi/index.html"))
    assert "Bài số 3: lịch đăng kiểm mới" in page.read_text("utf-8")
    ours = tree(site.output)
    theirs, _ = full_build_of(site, tmp_path, before)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_a_file_deleted_by_hand_from_the_output_is_made_again(site: TinySite, tmp_path: Path):
    """A file of the live output that is not a page (a stylesheet, a photo), deleted by
    hand: the patch build starts from the live output, so the full pass makes it again."""
    (lock,) = (site.base / "cache/build").glob("model-*.lock")
    site_model.wait_saved(lock.with_suffix(".sqlite3"))
    stylesheet = site.output / "theme/css/portal.css"  # Pelican's copy of the theme's file
    kept = stylesheet.read_bytes()
    stylesheet.unlink()
    write_post(site, 5, "Nội dung mới: trạm đăng kiểm làm việc cả ngày chủ nhật.")
    result = site.build()
    assert result.returncode == 0, result.log
    assert "Dựng nhanh" not in result.log, result.log
    assert stylesheet.read_bytes() == kept
    page = (site.output / "2024/03/bai-so-5-ve-dang-kiem-xe/index.html").read_text("utf-8")
    assert "cả ngày chủ nhật" in page
