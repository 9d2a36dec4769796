"""A deploy refuses an output that was not built with the production settings."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from portal_ops import deploy as ops
from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_preview_build_is_refused_and_production_build_deploys(tiny_site, tmp_path):
    """Real builds: pelicanconf.py's output is refused by `invoke deploy --skip-build`."""
    tiny_site.post("bai-mot", "Bài đã đăng")
    tiny_site.post("nhap", "Bài nháp", Status="draft")
    preview = tiny_site.build()
    assert preview.returncode == 0, preview.log
    assert list(tiny_site.output.glob("ban-nhap/*/index.html"))  # the preview shows drafts
    srv = tmp_path / "srv"
    argv = [str(ROOT / ".venv/bin/invoke"), "deploy", "--skip-build"]
    argv += ["--target", str(srv), "--output", str(tiny_site.output)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "publishconf.py" in said and "bản nháp" in said and "127.0.0.1:8000" in said
    assert "hẹn giờ" in said and "invoke publish" in said
    assert not srv.exists()  # nothing touched on the target

    production = tmp_path / "production"
    tiny_site.output = production
    # A two-post site lacks the sections a portal must have; the gate has its own tests.
    tiny_site.settings("COMPLIANCE_FAIL_ON_ERROR = False\n", base="publishconf")
    built = tiny_site.build()
    assert built.returncode == 0, built.log
    assert not (production / "ban-nhap").exists()
    result = ops.deploy(production, ops.parse_target(str(srv)), 3, "abc1234")
    assert (srv / "current" / "index.html").is_file() and result.previous is None
