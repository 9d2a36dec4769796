"""``invoke yaml-front-matter``: lossless, a dry run writes nothing, errors change nothing."""

from __future__ import annotations

import os
import subprocess
import sys

from portal_ops import yaml_convert
from tests.conftest import ROOT


def test_the_sample_content_is_yaml_and_converting_again_finds_nothing(tmp_path):
    """The sample content was converted by this task; a second run has nothing to do."""
    import shutil

    content = tmp_path / "sample"
    shutil.copytree(ROOT / "content", content)
    settings = yaml_convert.portal_settings(ROOT, content)
    outcomes = yaml_convert.convert_tree(content, settings)
    assert len(outcomes) >= 50
    assert {o.status for o in outcomes} == {"unchanged"}, [
        o for o in outcomes if o.status != "unchanged"
    ]
    for path in yaml_convert.markdown_files(content):
        assert path.read_text(encoding="utf-8").startswith("---\n"), path


def test_every_kind_of_field_converts_and_the_site_is_byte_for_byte_the_same(tiny_site, tmp_path):
    import filecmp
    import shutil

    tiny_site.post(
        "bai-day-du",
        title="Thông báo: lịch tiếp công dân",
        Date="07/12/2023 06:30",
        Modified="25/12/2023 17:05",
        Tags="tiếp công dân; thanh tra; lịch",
        Summary="Dòng đầu của tóm tắt\n    và dòng tiếp theo.",
        Author="Nguyễn  Thị   Hoa",
        Source="Báo Lam Sơn | https://baolamson.vn/bai-goc",
        Slug="lich-tiep-cong-dan",
        Document_Number="12/TB-SGTVT",
        Document_Issued="01/12/2023",
    )
    tiny_site.post("ban-nhap", title="Bản nháp", Status="draft")
    tiny_site.write("pages/gioi-thieu.md", "Title: Giới thiệu\nSlug: gioi-thieu\n\nNội dung.\n")
    tiny_site.settings("INCREMENTAL_BUILD = False\n")
    before = tiny_site.build()
    assert before.returncode == 0, before.log
    kept = tmp_path / "before"
    shutil.copytree(before.output, kept)
    settings = yaml_convert.portal_settings(ROOT, tiny_site.content)
    outcomes = yaml_convert.convert_tree(tiny_site.content, settings)
    assert {o.status for o in outcomes} == {"converted"}, outcomes
    after = tiny_site.build()
    assert after.returncode == 0, after.log

    def differences(a, b):
        cmp = filecmp.dircmp(a, b)
        found = cmp.left_only + cmp.right_only + cmp.diff_files
        for sub in cmp.common_dirs:
            found += differences(f"{a}/{sub}", f"{b}/{sub}")
        return found

    assert differences(str(kept), str(after.output)) == []


def test_a_file_the_build_rejects_is_left_alone(tiny_site):
    bad = tiny_site.post("bai-loi", Unit=None)  # no unit: the build reports it
    before = bad.read_text(encoding="utf-8")
    settings = yaml_convert.portal_settings(ROOT, tiny_site.content)
    outcome = yaml_convert.convert_file(bad, settings)
    assert outcome.status == "error" and "invoke check" in outcome.message
    assert bad.read_text(encoding="utf-8") == before


def _invoke(content, *args):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "yaml-front-matter", "--content", str(content), *args],
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dry_run_writes_nothing_then_the_real_run_converts(tiny_site):
    post = tiny_site.post("bai-thu", Date="25/12/2023 05:00")
    before = post.read_text(encoding="utf-8")
    done = _invoke(tiny_site.content, "--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Sẽ chuyển" in done.stdout and "Chưa ghi gì" in done.stdout
    assert post.read_text(encoding="utf-8") == before
    done = _invoke(tiny_site.content)
    assert done.returncode == 0, done.stdout + done.stderr
    text = post.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "date: 2023-12-25 05:00" in text
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert (result.output / "2023/12/bai-thu/index.html").is_file()
