"""What the compliance checks add to a build: the same synthetic site built with and without.

    python -m bench.compliance_cost --posts 1000 [--posts 10000] [--repeat 2] [--keep DIR]

For each size it writes a deterministic corpus (``bench.corpus``: Vietnamese-like posts,
the real registries and pages), builds it with the project's settings and PLUGINS, then
with ``plugins.compliance`` added, and prints the wall and CPU times (best of ``--repeat``),
the ratio, and the time the checks report for themselves. The budget is +10% at 10,000 posts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 0.10


def _settings(base: Path, content: Path, with_checks: bool) -> Path:
    path = base / ("with.py" if with_checks else "without.py")
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from pelicanconf import *",
        f"PATH = {str(content)!r}",
        "PLUGINS = [p for p in PLUGINS if p != 'plugins.compliance']",
    ]
    if with_checks:
        lines += [
            "PLUGINS = PLUGINS + ['plugins.compliance']",
            f"COMPLIANCE_REPORT_DIR = {str(base / 'reports')!r}",
            "COMPLIANCE_FAIL_ON_ERROR = False",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _build(content: Path, settings: Path, output: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build (CPU is steadier on a shared machine)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cpu = _cpu()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"build failed ({settings.name})")
    return elapsed, _cpu() - cpu


def measure(posts: int, repeat: int, base: Path) -> dict[str, float]:
    content = write_corpus(base, posts)
    without = _settings(base, content, with_checks=False)
    with_ = _settings(base, content, with_checks=True)
    times: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for _ in range(repeat):  # interleaved, so a busy machine slows both alike
        times["without"].append(_build(content, without, base / "out-without"))
        times["with"].append(_build(content, with_, base / "out-with"))
    report = json.loads((base / "reports" / "bao-cao.json").read_text(encoding="utf-8"))
    wall_without = min(t[0] for t in times["without"])
    wall_with = min(t[0] for t in times["with"])
    cpu_without = min(t[1] for t in times["without"])
    cpu_with = min(t[1] for t in times["with"])
    return {
        "posts": posts,
        "without": wall_without,
        "with": wall_with,
        "ratio": wall_with / wall_without,
        "cpu_without": cpu_without,
        "cpu_with": cpu_with,
        "cpu_ratio": cpu_with / cpu_without,
        "checks": report["summary"]["seconds"],
        "pages": report["summary"]["pages"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build here instead of a temp folder")
    args = parser.parse_args()
    sizes = args.posts or [1000]
    rows = []
    for posts in sizes:
        if args.keep:
            base = args.keep / str(posts)
            base.mkdir(parents=True, exist_ok=True)
            rows.append(measure(posts, args.repeat, base))
        else:
            with tempfile.TemporaryDirectory(prefix="compliance-bench-") as tmp:
                rows.append(measure(posts, args.repeat, Path(tmp)))
        row = rows[-1]
        print(
            f"{row['posts']:>6} posts ({row['pages']} HTML pages): "
            f"wall {row['without']:.1f} s → {row['with']:.1f} s (×{row['ratio']:.3f}); "
            f"CPU {row['cpu_without']:.1f} s → {row['cpu_with']:.1f} s (×{row['cpu_ratio']:.3f}); "
            f"the checks report {row['checks']:.1f} s; budget +{BUDGET:.0%} (CPU): "
            f"{'OK' if row['cpu_ratio'] <= 1 + BUDGET else 'OVER'}",
            flush=True,
        )


if __name__ == "__main__":
    main()
