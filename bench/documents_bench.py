"""What the register of documents costs a news build (issue 17): N posts with and without
M documents, cold and with one new post, plus the register's own steps alone.

    .venv/bin/python -m bench.documents_bench [--posts 2000] [--documents 5000] [--keep DIR]

Prints a table: wall-clock and CPU seconds (the build and its child processes) of
``pelican`` on the synthetic news corpus (bench/corpus.py), once without documents and
once with ``--documents`` synthetic documents (each with its own small PDF, replacement
chains, four registries' worth of types, issuers, fields and signers), each built cold
and then again after one post is added (the everyday "publish one post" build). Then the
register's pure steps (read every file, link the register) at 1/5 and all of the
documents, to show they grow linearly. Figures go to stdout only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.build_speed import add_post, our_settings
from bench.corpus import write_corpus
from scripts.make_sample_pdfs import tiny_pdf

ROOT = Path(__file__).resolve().parent.parent
REGISTRIES = ("document-types.yml", "document-issuers.yml", "document-fields.yml")
TYPES = ["Quyết định", "Công văn", "Thông báo", "Kế hoạch", "Chỉ thị", "Hướng dẫn", "Nghị định"]
SHORT = {"Quyết định": "QĐ", "Công văn": "CV", "Thông báo": "TB", "Kế hoạch": "KH",
         "Chỉ thị": "CT", "Hướng dẫn": "HD", "Nghị định": "NĐ"}  # fmt: skip
ISSUERS = ["Sở GTVT", "UBND tỉnh", "Bộ GTVT", "Chính phủ", "HĐND tỉnh"]
FIELDS = ["Đường bộ", "Vận tải", "Đăng kiểm", "An toàn giao thông", "Kết cấu hạ tầng giao thông"]
SIGNERS = [
    "Nguyễn Hữu Bình, Giám đốc",
    "Trần Minh Quang, Phó Giám đốc",
    "Lê Văn Thành, Phó Chủ tịch",
]
_VOCABULARY = (
    "quy định quản lý bến xe khách kiểm tra tải trọng bảo trì đường tỉnh phân luồng giao "
    "thông cải cách hành chính đăng kiểm phương tiện sát hạch lái xe an toàn"
)
WORDS = _VOCABULARY.split()


def write_documents(content: Path, count: int, seed: int = 1) -> None:
    """``count`` documents under content/van-ban/<year>/, a PDF each, chains of replacements."""
    rng = random.Random(seed)
    for name in REGISTRIES:
        shutil.copy(ROOT / "content" / name, content / name)
    files = content / "van-ban" / "files"
    files.mkdir(parents=True, exist_ok=True)
    last_of_type: dict[str, str] = {}
    start = dt.date(2010, 1, 4)
    for index in range(count):
        kind = TYPES[index % len(TYPES)]
        issued = start + dt.timedelta(days=index * 6000 // max(count, 1))
        number = f"{index + 1}/{issued.year}/{SHORT[kind]}-BENCH"
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize()
        pdf = f"vb-{index:05d}.pdf"
        (files / pdf).write_bytes(tiny_pdf([f"Van ban {index}"]))
        lines = [
            f"Title: {title}",
            f"Document_Number: {number}",
            f"Document_Type: {kind}",
            f"Document_Issuer: {rng.choice(ISSUERS)}",
            f"Document_Signer: {rng.choice(SIGNERS)}",
            f"Document_Issued: {issued:%d/%m/%Y}",
            f"Document_Effective: {issued + dt.timedelta(days=rng.randint(0, 30)):%d/%m/%Y}",
            f"Document_Fields: {'; '.join(rng.sample(FIELDS, rng.randint(1, 2)))}",
            f"Document_File: {pdf}",
        ]
        if index % 10 == 9 and kind in last_of_type:  # every tenth replaces an older one
            lines.append(f"Document_Replaces: {last_of_type[kind]}")
        last_of_type[kind] = number
        folder = content / "van-ban" / str(issued.year)
        folder.mkdir(exist_ok=True)
        (folder / f"vb-{index:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(content: Path, settings: Path, output: Path, log: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one ``pelican`` run, and its register log line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(settings),
        "-o",
        str(output),
        "-v",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=7200)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"build failed, see {log}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = re.search(r"Sổ văn bản: [^\n]*", proc.stdout + proc.stderr)
    return wall, cpu, found.group(0) if found else ""


def core_steps(content: Path, fraction: float) -> tuple[int, float, float]:
    """Documents read and linked in-process: (count, read seconds, register seconds)."""
    from plugins.documents import registries
    from plugins.documents.core import ReadContext, build_register, read_document

    regs = registries.taxonomies()
    files = {t.setting: name for t, name in zip(regs.values(), REGISTRIES, strict=True)}
    settings = {"PATH": str(content), **files}
    for taxonomy in regs.values():
        taxonomy.load(settings)
    ctx = ReadContext(str(content), "content", regs)
    paths = sorted((content / "van-ban").rglob("*.md"))
    paths = paths[: max(1, int(len(paths) * fraction))]
    started = time.perf_counter()
    docs = [read_document(str(p), ctx)[0] for p in paths]
    read = time.perf_counter() - started
    started = time.perf_counter()
    build_register([d for d in docs if d], dt.date(2026, 12, 7), regs)
    return len(paths), read, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="documents-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    rows = []
    print(f"{args.posts} posts, {args.documents} documents, {os.cpu_count()} cores, in {base}")
    for label, count in (("news only", 0), (f"news + {args.documents} documents", args.documents)):
        site = base / ("with" if count else "without")
        content = write_corpus(site, args.posts)
        if count:
            write_documents(content, count)
        settings = our_settings(site, content, "")
        output = site / "output"
        cold = build(content, settings, output, site / "cold.log")
        add_post(content, args.posts, seed=7)
        one = build(content, settings, output, site / "one-post.log")
        pages = sum(1 for _ in output.rglob("*.html"))
        rows.append((label, cold, one, pages))
        if count:
            for fraction in (0.2, 1.0):
                n, read, linked = core_steps(content, fraction)
                print(
                    f"core: {n} documents read in {read:.2f} s ({read / n * 1000:.2f} ms each), "
                    f"register linked in {linked:.3f} s"
                )
    print()
    print("| site | cold wall s | cold CPU s | +1 post wall s | +1 post CPU s | HTML pages |")
    print("|---|---|---|---|---|---|")
    for label, cold, one, pages in rows:
        print(
            f"| {label} | {cold[0]:.1f} | {cold[1]:.1f} | {one[0]:.1f} | {one[1]:.1f} | {pages} |"
        )
    for label, cold, one, _pages in rows:
        for name, run in (("cold", cold), ("+1 post", one)):
            if run[2]:
                print(f"{label}, {name}: {run[2]}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
