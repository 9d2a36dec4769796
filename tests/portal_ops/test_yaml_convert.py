"""``invoke yaml-front-matter``: lossless, a dry run writes nothing, errors change nothing."""

from __future__ import annotations

import os
import subprocess
import sys

from portal_ops import yaml_convert
from tests.conftest import ROOT


def test_the_sample_content_converts_losslessly_and_builds_the_same(tiny_site, tmp_path):
    """Every sample post and page: the build reads the same fields and body after."""
    import shutil

    content = tmp_path / "sample"
    shutil.copytree(ROOT / "content", content)
    settings = yaml_convert.portal_settings(ROOT, content)
    outcomes = yaml_convert.convert_tree(content, settings)
    assert [o for o in outcomes if o.status == "error"] == []
    assert sum(o.status == "converted" for o in outcomes) >= 50
    for path in yaml_convert.markdown_files(content):
        assert path.read_text(encoding="utf-8").startswith("---\n"), path
    # Converting again finds nothing to do.
    again = yaml_convert.convert_tree(content, settings)
    assert {o.status for o in again} == {"unchanged"}


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
