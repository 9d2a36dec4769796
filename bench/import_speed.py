"""Benchmark of `invoke import-nukeviet`: N generated articles (no photos), first run and re-run.

    .venv/bin/python bench/import_speed.py [--articles 10000]

The dump is generated in NukeViet's format (tests/portal_import/fixtures.py: one multi-row
INSERT per table, addslashes, bodyhtml without newlines, per-category copy tables) with
bodies of ~3 KB of HTML (paragraphs, a heading, a list, a table), into a temporary folder;
making it is not timed. "first" reads the gzipped dump, maps, converts and writes every post,
the redirects and the seed; "re-run" is the same import again (every post unchanged).
Target (issue 18): 10,000 articles in under two minutes.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal_import.cli import import_source, load_settings  # noqa: E402
from portal_import.importer import ImportOptions  # noqa: E402
from portal_import.nukeviet import read_nukeviet  # noqa: E402
from tests.portal_import.fixtures import IMPORT_MAP, NvArticle, dump_text, unix  # noqa: E402

PARAGRAPH = (
    "<p>Sáng ngày {day}, Sở Giao thông vận tải tỉnh Lam Sơn tổ chức hội nghị triển khai "
    "nhiệm vụ bảo đảm trật tự, an toàn giao thông; các đơn vị trực thuộc báo cáo kết quả "
    "thực hiện và đề xuất giải pháp cho thời gian tới, trong đó có việc &quot;số hóa&quot; "
    "hồ sơ và tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ trọng điểm.</p>"
)


def articles(count: int) -> list[NvArticle]:
    out = []
    for n in range(1, count + 1):
        year, month, day = 2012 + n % 14, n % 12 + 1, n % 28 + 1
        body = "".join(PARAGRAPH.format(day=day) for _ in range(6))
        body += "<h2>Kết quả</h2><ul><li>Giảm 5% số vụ tai nạn</li><li>Không có ùn tắc</li></ul>"
        body += "<table><tr><th>Chỉ tiêu</th><th>Kết quả</th></tr>"
        body += "<tr><td>Vụ</td><td>12</td></tr></table>"
        out.append(
            NvArticle(
                id=n,
                title=f"Hội nghị bảo đảm trật tự an toàn giao thông số {n} năm {year}",
                alias=f"hoi-nghi-bao-dam-trat-tu-an-toan-giao-thong-so-{n}",
                catid=(1, 2, 3, 4)[n % 4],
                listcatid=f"{(1, 2, 3, 4)[n % 4]},{(1, 2, 3, 4)[(n + 1) % 4]}",
                publtime=unix(year, month, day),
                hometext="Sở tổ chức hội nghị triển khai nhiệm vụ bảo đảm an toàn giao thông.",
                bodyhtml=body,
                author="P.V",
                hitstotal=n * 3,
                tags=["an toàn giao thông", f"năm {year}"],
            )
        )
    return out


def run_once(site: Path, dump: Path) -> tuple[float, object]:
    content = site / "content"
    options = ImportOptions(
        content=content,
        settings=load_settings(ROOT / "pelicanconf.py", content),
        map_path=content / "import-map.yml",
        report_dir=site / "var",
    )
    started = time.perf_counter()
    outcome = import_source(lambda: read_nukeviet(dump, None), options)
    elapsed = time.perf_counter() - started
    if not outcome.ok:
        raise SystemExit(f"import failed: {outcome.error or outcome.report.stopped}")
    return elapsed, outcome.report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        dump = work / "nukeviet.sql.gz"
        dump.write_bytes(gzip.compress(dump_text(articles(args.articles)).encode("utf-8")))
        site = work / "site"
        (site / "content" / "posts").mkdir(parents=True)
        for name in ("units.yml", "categories.yml"):
            shutil.copy(ROOT / "content" / name, site / "content" / name)
        (site / "content" / "import-map.yml").write_text(IMPORT_MAP, encoding="utf-8")
        first, report = run_once(site, dump)
        again, report_again = run_once(site, dump)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"articles in dump     {args.articles}  ({dump.stat().st_size / 1e6:.1f} MB gzipped)")
        print(f"first import         {first:7.1f} s  created {len(report.created)}")
        print(f"re-run (unchanged)   {again:7.1f} s  unchanged {len(report_again.unchanged)}")
        print(f"redirects            {report.redirects}")
        print(f"peak memory (RSS)    {peak:7.0f} MiB")
        print(f"target: under 120 s  -> {'met' if first < 120 else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
