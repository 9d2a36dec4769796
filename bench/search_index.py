"""Measure the search-indexing step alone (not a test; see docs/search.md, "Cost").

    python -m bench.search_index capture CORPUS SAVE   # build once, keep the input
    python -m bench.search_index run SAVE              # index it: cold, edit, reuse
    python -m bench.search_index run SAVE --old REV    # the same with the code at REV
                                                       # (an indexer without folded twins)

``capture`` builds CORPUS (from ``python -m bench.corpus``) with pelicanconf.py and, at
``pages_ready``, keeps a hard-linked copy of the staging folder and each page's bundle
instead of indexing. ``run`` indexes copies of it, each step in its own process: wall,
CPU (user+sys of the process and its children) and peak (the largest process, i.e.
Pagefind's binary). Steps: ``cold`` (no cache), then, after publishing it, ``edit`` (one
post of the middle year changed: one bundle indexed again) and ``same`` (nothing changed).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def capture(corpus: Path, save: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import plugins.search as search
    from plugins.search.indexer import IndexReport

    class Keep:
        """In place of ``IndexRun``: the site and the bundles kept, nothing indexed."""

        def __init__(self, site, bundle_dir="pagefind", language="vi", **kwargs):
            subprocess.run(["cp", "-al", str(site), str(save / "site")], check=True)
            data = (kwargs.get("groups"), bundle_dir, language)
            (save / "input.pickle").write_bytes(pickle.dumps(data))

        def finish(self):
            return IndexReport(pages=0)

        def abandon(self):
            pass

    search.IndexRun = Keep
    save.mkdir(parents=True)
    settings = save / "settings.py"
    settings.write_text(
        "\n".join(
            [
                f"import sys; sys.path.insert(0, {str(ROOT)!r})",
                "from pelicanconf import *",
                f"PATH = {str(corpus / 'content')!r}",
                f"CACHE_PATH = {str(save / 'cache/pelican')!r}",
                f"IMAGES_CACHE_PATH = {str(save / 'cache/images')!r}",
                f"INCREMENTAL_CACHE_PATH = {str(save / 'cache/build')!r}",
                f"COMPLIANCE_CACHE_PATH = {str(save / 'cache/compliance')!r}",
                f"SEARCH_CACHE_PATH = {str(save / 'cache/search')!r}",
                f"COUNTER_SNAPSHOT = {str(save / 'no-counter-snapshot.json')!r}",
                "",
            ]
        )
    )
    from pelican import main

    main([str(corpus / "content"), "-s", str(settings), "-o", str(save / "output")])


def _step(save: Path, site: Path, old: str | None, cache: Path | None, previous: Path | None):
    """One indexing in this process; prints its figures as JSON."""
    groups, bundle_dir, language = pickle.loads((save / "input.pickle").read_bytes())
    kwargs = {"cache_dir": cache, "previous_output": previous, "groups": groups}
    if old:
        build_index = importlib.import_module(f"{old}.indexer").build_index
    else:
        sys.path.insert(0, str(ROOT))
        from plugins.search.indexer import build_index
    started = time.monotonic()
    report = build_index(site, bundle_dir, language, **kwargs)
    wall = time.monotonic() - started
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": round(wall, 2),
                "cpu": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2),
                "peak_mib": round(max(me.ru_maxrss, kids.ru_maxrss) / 1024),
                "python_peak_mib": round(me.ru_maxrss / 1024),
                "pagefind_peak_mib": round(kids.ru_maxrss / 1024),
                "indexed": list(getattr(report, "indexed", ())) or None,
                "reused": report.reused,
            }
        )
    )


def _copy(save: Path, dest: Path) -> Path:
    subprocess.run(["cp", "-al", str(save / "site"), str(dest)], check=True)
    return dest


def _edit(site: Path, save: Path) -> None:
    """Change one post of the middle year (its page)."""
    groups = pickle.loads((save / "input.pickle").read_bytes())[0]
    years = sorted(set(groups.values()))
    url = sorted(u for u, y in groups.items() if y == years[len(years) // 2])[0]
    page = site / url.strip("/") / "index.html"
    html = page.read_text(encoding="utf-8")
    page.unlink()  # a hard link: never write through to the saved copy
    page.write_text(html.replace("</article>", "<p>Đoạn mới thêm.</p></article>", 1), "utf-8")


def run(save: Path, old_rev: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="measure-", dir=save))
    env_path = [str(ROOT)]
    old = None
    if old_rev:
        pkg = work / "oldsearch"
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        for name in ("indexer.py", "bundle.py", "folding.py"):
            text = subprocess.run(
                ["git", "show", f"{old_rev}:plugins/search/{name}"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            (pkg / name).write_text(text)
        env_path.insert(0, str(work))
        old = "oldsearch"
    cache, output = work / "cache", work / "output"

    def step(name: str, site: Path, with_cache: bool) -> None:
        cached = f"pathlib.Path({str(cache)!r}), pathlib.Path({str(output)!r})"
        code = (
            f"import sys, pathlib; sys.path[:0] = {env_path!r}\n"
            "from bench.search_index import _step\n"
            f"_step(pathlib.Path({str(save)!r}), pathlib.Path({str(site)!r}), {old!r}, "
            f"{cached if with_cache else 'None, None'})"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode:
            sys.exit(done.stderr)
        print(f"{name:5} {done.stdout.strip()}", flush=True)

    try:
        step("cold", _copy(save, work / "s1"), True)
        (work / "s1").rename(output)
        edited = _copy(save, work / "s2")
        _edit(edited, save)
        step("edit", edited, True)
        shutil.rmtree(output)
        edited.rename(output)
        same = _copy(save, work / "s3")
        _edit(same, save)  # the same edit: nothing changed since the last build
        step("same", same, True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("corpus", type=Path)
    cap.add_argument("save", type=Path)
    run_ = sub.add_parser("run")
    run_.add_argument("save", type=Path)
    run_.add_argument("--old", metavar="REV")
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.corpus.resolve(), args.save.resolve())
    else:
        run(args.save.resolve(), args.old)


if __name__ == "__main__":
    main()
