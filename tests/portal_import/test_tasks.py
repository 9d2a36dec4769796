"""The invoke tasks as an operator runs them: exit status, printed report, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.portal_import.fixtures import IMPORT_MAP, write_nukeviet


def invoke(import_site, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PORTAL_CONTENT": str(import_site.content),
        "PORTAL_IMPORT_REPORTS": str(import_site.reports),
    }
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_dry_run_then_import_then_unmapped_then_broken_dump(import_site, tmp_path):
    dump, uploads = write_nukeviet(tmp_path / "old")
    base = ["import-nukeviet", "--dump", str(dump), "--uploads", str(uploads)]

    stopped = invoke(import_site, *base, "--dry-run")
    assert stopped.returncode == 1, stopped.stderr
    assert "DỪNG" in stopped.stdout and '"Tin hoạt động":' in stopped.stdout
    assert "Traceback" not in stopped.stderr

    import_site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    before = import_site.snapshot()
    dry = invoke(import_site, *base, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "chạy thử, không ghi gì" in dry.stdout and "Bài mới sẽ tạo: 30" in dry.stdout
    assert import_site.snapshot() == before and not import_site.reports.exists()

    done = invoke(import_site, *base)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Bài mới đã tạo: 30" in done.stdout
    report = json.loads((import_site.reports / "nukeviet-report.json").read_text("utf-8"))
    assert len(report["created"]) == 30 == len(import_site.posts())

    broken = tmp_path / "broken.sql"
    broken.write_text("CREATE TABLE `t` (`id` int);\nINSERT INTO `nv4_vi_news_rows` VALUES (1);\n")
    failed = invoke(import_site, "import-nukeviet", "--dump", str(broken))
    assert failed.returncode == 1
    assert "dòng 2" in failed.stderr and "Traceback" not in failed.stderr
