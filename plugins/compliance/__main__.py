"""``python -m plugins.compliance``: build with the publish settings into a temporary folder,
run every compliance check, print the summary, and exit 1 on any error. Deploys nothing.

    python -m plugins.compliance [--settings publishconf.py] [--content content]
                                 [--report-dir DIR] [--pack 224/2026] [--keep DIR]

The build runs ``pelican`` as operators run it, with ``plugins.compliance`` added to
PLUGINS if the settings do not list it yet, and COMPLIANCE_FAIL_ON_ERROR forced off so
that the full report is written; the exit status comes from the report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .report import HTML_NAME, JSON_NAME

ROOT = Path(__file__).resolve().parent.parent.parent


def _settings_file(folder: Path, base: Path, args: argparse.Namespace) -> Path:
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(base.parent)!r})",
        f"from {base.stem} import *",
        "PLUGINS = list(PLUGINS)",
        "if 'plugins.compliance' not in PLUGINS:",
        "    PLUGINS.append('plugins.compliance')",
        "COMPLIANCE_FAIL_ON_ERROR = False",
    ]
    if args.report_dir:
        lines.append(f"COMPLIANCE_REPORT_DIR = {str(Path(args.report_dir).resolve())!r}")
    if args.pack:
        lines.append(f"COMPLIANCE_PACK = {args.pack!r}")
    if args.level:
        lines.append(f"COMPLIANCE_AGENCY_LEVEL = {args.level!r}")
    path = folder / "compliance_settings.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _report_dir(settings: Path, content: Path) -> Path:
    """Where the build wrote its report: ask Pelican's own settings reader."""
    code = (
        "import json, sys\n"
        "from pelican.settings import read_settings\n"
        "from plugins.compliance.settings import apply_defaults, report_dir\n"
        f"s = read_settings({str(settings)!r}, override={{'PATH': {str(content)!r}}})\n"
        "apply_defaults(s)\n"
        "print(report_dir(s))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return Path(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plugins.compliance", description=__doc__)
    parser.add_argument("--settings", default=str(ROOT / "publishconf.py"))
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--report-dir", help="override COMPLIANCE_REPORT_DIR")
    parser.add_argument("--pack", help="override COMPLIANCE_PACK (43/2011, 42/2022, 224/2026)")
    parser.add_argument("--level", help="override COMPLIANCE_AGENCY_LEVEL (so, ubnd_tinh, bo)")
    parser.add_argument("--keep", help="build into this folder and keep it")
    args = parser.parse_args(argv)

    base = Path(args.settings).resolve()
    content = Path(args.content).resolve()
    with tempfile.TemporaryDirectory(prefix="kiem-tra-") as tmp:
        folder = Path(tmp)
        settings = _settings_file(folder, base, args)
        output = Path(args.keep).resolve() if args.keep else folder / "output"
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        proc = subprocess.run(
            [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)],
            cwd=ROOT,
            env=env,
            text=True,
            capture_output=True,
        )
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        if proc.returncode != 0:
            sys.stderr.write("Kiểm tra tuân thủ: bản dựng thử không thành công (xem lỗi ở trên).\n")
            return proc.returncode or 1
        reports = _report_dir(settings, content)
    data = json.loads((reports / JSON_NAME).read_text(encoding="utf-8"))
    errors = data["summary"]["error"]
    print(f"Báo cáo cho biên tập viên: {reports / HTML_NAME}")
    if errors:
        print(f"Kiểm tra tuân thủ: {errors} lỗi. Sửa hoặc miễn trừ (có lý do) trước khi xuất bản.")
        return 1
    print("Kiểm tra tuân thủ: không có lỗi.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
