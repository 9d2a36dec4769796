"""Editor and operator tasks: ``invoke --list`` shows them all, ``invoke --help TASK`` each one.

Editors:   new (scaffold a post), serve (live preview), check (validate, no deploy)
Operators: build, publish, deploy, rollback, pause, resume, releases, counter, lint, test,
           clean

The logic lives in ``portal_ops/`` (tested); this file only asks, runs and prints.
Environment (all optional): PORTAL_HOST, PORTAL_PORT,
PORTAL_DEPLOY_TARGET, PORTAL_DEPLOY_KEEP, PORTAL_DEPLOY_SSH_PORT, PORTAL_DEPLOY_SSH_KEY,
PORTAL_DEPLOY_KNOWN_HOSTS, PORTAL_CONTENT and PORTAL_OUTPUT (see docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portal_ops import deploy as ops  # noqa: E402
from portal_ops import report, scaffold  # noqa: E402

BIN = Path(sys.executable).parent
PYTHON = BIN / "python"
OUTPUT = Path(os.environ.get("PORTAL_OUTPUT") or ROOT / "output")
CONTENT = Path(os.environ.get("PORTAL_CONTENT") or ROOT / "content")
HOST = os.environ.get("PORTAL_HOST", "127.0.0.1")
PORT = int(os.environ.get("PORTAL_PORT", "8000"))
DEPLOY_TARGET = os.environ.get("PORTAL_DEPLOY_TARGET", "")
DEPLOY_KEEP = int(os.environ.get("PORTAL_DEPLOY_KEEP", "5"))
SSH_PORT = int(os.environ.get("PORTAL_DEPLOY_SSH_PORT", "0") or 0)
SSH_KEY = os.environ.get("PORTAL_DEPLOY_SSH_KEY", "")
KNOWN_HOSTS = os.environ.get("PORTAL_DEPLOY_KNOWN_HOSTS", "")


def _pelican_build(settings: str, output: Path, title: str, extra: list[str] | None = None) -> bool:
    """Run Pelican with its log streamed live, then print the summary box; True if it built.

    A subprocess, not Pelican in-process: the build guard exits on content errors, and
    the live preview must survive that and keep serving the last good site.
    """
    from rich.console import Console

    console = Console(highlight=False)
    output = Path(output)
    before = report.stamps(output)
    started = time.monotonic()
    argv = [str(BIN / "pelican"), str(CONTENT), "-s", settings, "-o", str(output), *(extra or [])]
    env = {**os.environ, "COLUMNS": "120", "PYTHONWARNINGS": "ignore", "NO_COLOR": "1"}
    lines: list[str] = []
    with (
        console.status(f"Đang dựng trang ({settings})…", spinner="dots"),
        subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        ) as proc,
    ):
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            console.out(line.rstrip("\n"), highlight=False)
    ok = proc.returncode == 0
    elapsed = time.monotonic() - started
    stats = report.parse_pelican_log("".join(lines))
    changes = report.diff(before, report.stamps(output)) if ok else None
    heading = f"{title}: {'xong' if ok else 'KHÔNG THÀNH CÔNG'}"
    print(report.build_summary(heading, stats, changes, elapsed, ok, _shown(output)))
    return ok


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _build_or_exit(settings: str, output: Path, title: str, extra: list[str] | None = None) -> None:
    if not _pelican_build(settings, output, title, extra):
        raise Exit(code=1)


FULL_HELP = "render every page and read every post again, ignoring the last build"


VERIFY_HELP = (
    "then build everything again into a temporary folder and compare, file by file: "
    "any difference is an error"
)


def _full(full: bool) -> list[str]:
    """Pelican's own switch for plugins.incremental (INCREMENTAL_BUILD)."""
    return ["-e", "INCREMENTAL_BUILD=false"] if full else []


def _verify(settings: str, output: Path) -> None:
    """A full build of the same content next to ``output``; stop if any file differs."""
    with tempfile.TemporaryDirectory(prefix="portal-verify-") as tmp:
        reference = Path(tmp) / "output"
        _build_or_exit(settings, reference, "Dựng toàn bộ để đối chiếu", _full(True))
        differences = report.diff(report.snapshot(reference), report.snapshot(output))
    wrong = [
        *(f"  thừa: {p}" for p in differences.added),
        *(f"  khác: {p}" for p in differences.changed),
        *(f"  thiếu: {p}" for p in differences.removed),
    ]
    if wrong:
        print(f"Bản dựng tăng dần KHÁC bản dựng toàn bộ ở {len(wrong)} tệp:")
        print("\n".join(wrong[:50]))
        print("Hãy báo lỗi này kèm danh sách trên; dựng lại bằng: invoke build --full")
        raise Exit(code=1)
    print(f"Đối chiếu xong: {differences.total} tệp giống hệt bản dựng toàn bộ.")


BUILD_HELP = {"output": "folder to write the site into [output/]", "full": FULL_HELP}


@task(help={**BUILD_HELP, "verify": VERIFY_HELP})
def build(c, output=str(OUTPUT), full=False, verify=False):
    """Build the preview site (pelicanconf.py: drafts and scheduled posts shown, marked).

    Only what changed since the last build is read and rendered again (plugins/incremental).
    """
    _build_or_exit("pelicanconf.py", Path(output), "Dựng bản xem trước", _full(full))
    if verify:
        _verify("pelicanconf.py", Path(output))


@task(help={**BUILD_HELP, "verify": VERIFY_HELP})
def publish(c, output=str(OUTPUT), full=False, verify=False):
    """Build the production site (publishconf.py: no drafts, no posts dated in the future)."""
    _build_or_exit("publishconf.py", Path(output), "Dựng bản xuất bản", _full(full))
    if verify:
        _verify("publishconf.py", Path(output))


@task
def check(c):
    """Validate every post and run the compliance checks, without deploying anything."""
    compliance = ROOT / "plugins" / "compliance" / "__main__.py"
    if compliance.exists():
        result = c.run(f'"{PYTHON}" -m plugins.compliance', warn=True, pty=False)
        if result is None or result.exited != 0:
            raise Exit(code=1)
        return
    with tempfile.TemporaryDirectory(prefix="portal-check-") as tmp:
        _build_or_exit("publishconf.py", Path(tmp) / "output", "Kiểm tra nội dung")
    print("Không có lỗi. Chưa có gì được xuất bản.")


def _start_counter(host: str, port: int) -> subprocess.Popen | None:
    """``python -m counter`` in the background, in its own session so Ctrl+C stops it via us.

    Its defaults suit ``invoke serve`` on 127.0.0.1:8000; another port or output folder
    is passed on unless the COUNTER_* variables already say otherwise.
    """
    if not (ROOT / "counter" / "__main__.py").exists():
        return None
    env = dict(os.environ)
    env.setdefault("COUNTER_MANIFEST", str(OUTPUT / "counter-paths.json"))
    env.setdefault("COUNTER_ALLOWED_ORIGINS", f"http://{host}:{port},http://localhost:{port}")
    proc = subprocess.Popen(
        [str(PYTHON), "-m", "counter"], cwd=ROOT, env=env, start_new_session=True
    )
    time.sleep(0.5)
    if proc.poll() is not None:
        print(f"Bộ đếm truy cập không chạy được (mã {proc.returncode}); trang vẫn xem được.")
        return None
    print("Bộ đếm truy cập đang chạy (python -m counter).")
    return proc


def _stop(proc: subprocess.Popen | None) -> None:
    """SIGTERM, so the counter flushes its batch; SIGKILL only if it hangs."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _ignored(path: str) -> bool:
    """Editors' swap and backup files must not trigger rebuilds."""
    name = os.path.basename(path)
    return name.startswith((".#", "~")) or name.endswith(("~", ".tmp", ".swx")) or name == "4913"


@task(
    help={
        "host": "address to listen on [127.0.0.1]",
        "port": "port of the site [8000]",
        "counter": "also run the counter service when counter/ exists [yes]",
    }
)
def serve(c, host=HOST, port=PORT, counter=True):
    """Build the preview, serve it at http://HOST:PORT and reload the browser on every save.

    Pelican stays in this process with the site in memory: the saved post is shown first,
    then every other page it affects (plugins/incremental/live.py).
    """
    from plugins.incremental import live

    site_url = f"http://{host}:{int(port)}"  # links follow --host/--port
    OUTPUT.mkdir(exist_ok=True)
    os.chdir(ROOT)
    hub = live.ReloadHub()
    try:  # the port first: a busy one is said at once, not after the build, with a traceback
        server = live.make_server(host, int(port), OUTPUT, hub)
    except OSError as error:
        raise Exit(
            f"Không mở được cổng {port} trên {host}: {error.strerror}. Có thể một bản xem "
            "trước khác đang chạy: dừng nó, hoặc chọn cổng khác (invoke serve --port 8001).",
            code=1,
        ) from None
    print("Đang dựng bản xem trước…", flush=True)
    started = time.monotonic()
    site = live.ResidentSite(
        str(ROOT / "pelicanconf.py"), OUTPUT, {"PATH": str(CONTENT), "SITEURL": site_url}
    )
    _live_report(site.build(), time.monotonic() - started)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    counter_proc = _start_counter(host, int(port)) if counter else None
    print(f"Cổng thông tin đang chạy tại {site_url}/ (Ctrl+C để dừng)")
    print("Trang tự tải lại mỗi khi lưu một tệp trong content/, theme/ hoặc plugins/.")
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: clean up like Ctrl+C
    restart = False
    try:
        live.watch(
            site,
            hub,
            CONTENT,
            restart_on=[ROOT / "plugins", ROOT / "pelicanconf.py"],
            other=[ROOT / "theme"],
            ignored=_ignored,
            report=_live_report,
        )
    except live.Restart:
        restart = True
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        _stop(counter_proc)
    if restart:
        print("Cài đặt hoặc mã plugin đã đổi: khởi động lại bản xem trước…", flush=True)
        os.execv(sys.executable, [sys.executable, *sys.argv])


def _live_report(ok: bool, seconds: float) -> None:
    if ok:
        print(f"Dựng lại xong ({seconds:.1f} giây).", flush=True)
    else:
        print(
            "Dựng lại KHÔNG THÀNH CÔNG. Trang đang hiển thị là bản dựng tốt gần nhất. "
            "Sửa lỗi rồi lưu lại tệp.",
            flush=True,
        )


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@task(
    help={
        "host": "listen address [COUNTER_HOST or 127.0.0.1]",
        "port": "listen port [COUNTER_PORT or 8001]",
        "store": "sqlite:///path or redis://host:port/db [COUNTER_STORE]",
    }
)
def counter(c, host="", port=0, store=""):
    """Run the visitor counter service in the foreground (python -m counter; counter/README.md)."""
    if not (ROOT / "counter" / "__main__.py").exists():
        raise Exit("counter/ has no __main__.py: the counter service is not installed", code=1)
    flags = [f"--host {host}" if host else "", f"--port {int(port)}" if port else ""]
    flags.append(f'--store "{store}"' if store else "")
    with c.cd(str(ROOT)):
        c.run(f'"{PYTHON}" -m counter ' + " ".join(f for f in flags if f), pty=False)


@task(
    help={
        "title": "tiêu đề bài",
        "unit": "đơn vị: số trong danh sách, slug, tên hoặc tên khác",
        "category": "chuyên mục: số, slug hoặc tên",
        "author": "người viết (không bắt buộc: bỏ trống thì bài ghi tác giả là đơn vị)",
        "summary": "tóm tắt (không bắt buộc)",
        "slug": "địa chỉ bài (mặc định: tạo từ tiêu đề)",
        "date": "ngày giờ đăng, ví dụ 20/10/2026 08:00 (mặc định: bây giờ; ngày sau: hẹn giờ)",
        "draft": "tạo bản nháp (Status: draft)",
    }
)
def new(c, title="", unit="", category="", author="", summary="", slug="", date="", draft=False):
    """Tạo một bài mới: hỏi tiêu đề, đơn vị, chuyên mục (hoặc nhận qua tham số)."""
    from plugins.categories.registry import load_categories
    from plugins.front_matter.dates import DateError, parse_date
    from plugins.units.registry import load_units

    interactive = sys.stdin.isatty()
    units, unit_problems = load_units(str(CONTENT / "units.yml"))
    categories, category_problems = load_categories(str(CONTENT / "categories.yml"))
    for problem in [*unit_problems, *category_problems]:
        print(f"{problem.path}:{problem.line or ''} {problem.message}", file=sys.stderr)
    try:
        if not title.strip():
            if not interactive:
                raise scaffold.ScaffoldError('thiếu tiêu đề: invoke new --title "…"')
            title = input("Tiêu đề bài: ")
        if not title.strip():
            raise scaffold.ScaffoldError("tiêu đề đang để trống")
        unit_tree = units.tree()
        if unit:
            chosen_unit = scaffold.choose(units, unit, [e for e, _ in unit_tree])
        elif interactive:
            print("Đơn vị viết bài:")
            chosen_unit = scaffold.ask_choice(units, "Chọn đơn vị (số hoặc tên): ", unit_tree)
        else:
            raise scaffold.ScaffoldError('thiếu đơn vị: invoke new --unit "Văn phòng Sở"')
        category_list = [(entry, 0) for entry in categories]
        if category:
            chosen_category = scaffold.choose(categories, category)
        elif interactive:
            print("Chuyên mục:")
            chosen_category = scaffold.ask_choice(
                categories, "Chọn chuyên mục (số hoặc tên): ", category_list
            )
        else:
            raise scaffold.ScaffoldError('thiếu chuyên mục: invoke new --category "Thông báo"')
        try:
            when = parse_date(date) if date.strip() else scaffold.now_local()
        except DateError as exc:
            raise scaffold.ScaffoldError(f"--date: {exc}") from None
        post = scaffold.NewPost(
            title=title,
            unit=chosen_unit,
            category=chosen_category,
            date=when,
            slug=scaffold.check_slug(slug) if slug.strip() else scaffold.slug_for(title),
            author=author,
            summary=summary,
            draft=draft,
        )
        path = scaffold.create(CONTENT, post)
    except scaffold.ScaffoldError as exc:
        raise Exit(f"Lỗi: {exc}", code=1) from None
    print(f"Đã tạo {_shown(path)}")
    if when > scaffold.now_local():
        print(f"Bài hẹn giờ: sẽ được đăng ở lần dựng đầu tiên sau {when:%d/%m/%Y %H:%M}.")
    print("Mở tệp, viết nội dung, rồi xem trước bằng: invoke serve")


def _git_sha() -> str:
    for name in ("GITHUB_SHA", "CI_COMMIT_SHA"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _target(target: str, port: int, identity: str, known_hosts: str) -> ops.Target:
    try:
        return ops.parse_target(
            target or DEPLOY_TARGET,
            port=int(port) or SSH_PORT or None,
            identity=identity or SSH_KEY,
            known_hosts=known_hosts or KNOWN_HOSTS,
        )
    except ops.DeployError as exc:
        raise Exit(f"deploy: {exc}", code=1) from None


def _progress(index: int, total: int, title: str) -> None:
    print(f"[{index}/{total}] {title}", flush=True)


_TARGET_HELP = {
    "target": "/local/path, user@host:/path or ssh://user@host:port/path [$PORTAL_DEPLOY_TARGET]",
    "port": "SSH port [$PORTAL_DEPLOY_SSH_PORT or 22]",
    "identity": "SSH private key file [$PORTAL_DEPLOY_SSH_KEY]",
    "known_hosts": "known_hosts file pinning the server's key [$PORTAL_DEPLOY_KNOWN_HOSTS]",
}


@task(
    help={
        **_TARGET_HELP,
        "keep": "how many releases to keep [$PORTAL_DEPLOY_KEEP or 5]",
        "output": "the built site to upload [output/]",
        "skip_build": "upload OUTPUT as it is (it must come from invoke publish, not a preview)",
    }
)
def deploy(
    c,
    target="",
    keep=DEPLOY_KEEP,
    output=str(OUTPUT),
    skip_build=False,
    port=0,
    identity="",
    known_hosts="",
):
    """Build for production, upload as a new release and switch to it atomically."""
    where = _target(target, port, identity, known_hosts)
    if not skip_build:
        _exit_if_paused(where)  # no build for a deploy that will not happen
        _build_or_exit("publishconf.py", Path(output), "Dựng bản xuất bản")
    print(f"Deploying {_shown(Path(output))} to {where.describe()}")
    try:
        result = ops.deploy(Path(output), where, int(keep), _git_sha(), progress=_progress)
    except ops.DeploysPaused as exc:
        _print_paused(where, exc.note)
        return  # a pause is what the operator asked for: the hourly run stays green
    except ops.DeployError as exc:
        print(report.box("Deploy FAILED: the live site is unchanged", [("error", str(exc))], False))
        raise Exit(code=1) from None
    rows = [
        ("target", result.target),
        ("live release", result.release),
        ("previous", result.previous or "none"),
        ("files sent", "?" if result.files_transferred is None else str(result.files_transferred)),
        ("pruned", ", ".join(result.pruned) or "none"),
        ("time", f"{result.elapsed:.1f} s"),
        ("undo", "invoke rollback"),
    ]
    print(report.box("Deployed", rows))


def _print_paused(where: ops.Target, note: str) -> None:
    rows = [("target", where.describe()), ("paused", note), ("resume", "invoke resume")]
    print(report.box("Deploy PAUSED / Đang tạm dừng triển khai: the live site is unchanged", rows))


def _exit_if_paused(where: ops.Target) -> None:
    try:
        state = ops.read_state(where, ops.run_command)
    except ops.DeployError as exc:
        raise Exit(f"deploy: {exc}", code=1) from None
    if state.paused:
        _print_paused(where, state.paused)
        raise Exit(code=0)


@task(
    help={
        **_TARGET_HELP,
        "to": "release to switch to [the one before the live one]",
        "pause": "also pause deploys until `invoke resume` [yes; --no-pause to keep them going]",
        "reason": "why, kept in the pause note (e.g. the bad commit)",
    }
)
def rollback(c, target="", to="", port=0, identity="", known_hosts="", pause=True, reason=""):
    """Switch the live site back to the previous release (or --to NAME) and pause deploys."""
    where = _target(target, port, identity, known_hosts)
    try:
        was, now = ops.rollback(
            where, to or None, progress=_progress, pause=reason if pause else None
        )
    except ops.DeployError as exc:
        raise Exit(f"rollback: {exc}", code=1) from None
    rows = [("target", where.describe()), ("was", was or "none"), ("now", now)]
    if pause:
        rows.append(("deploys", "PAUSED (hourly runs deploy nothing); undo: invoke resume"))
    print(report.box("Rolled back", rows))


@task(help={**_TARGET_HELP, "reason": "why, shown to whoever deploys next"})
def pause(c, target="", port=0, identity="", known_hosts="", reason=""):
    """Pause deploys to the target (the hourly CI run then deploys nothing) until resume."""
    where = _target(target, port, identity, known_hosts)
    try:
        note = ops.pause(where, reason)
    except ops.DeployError as exc:
        raise Exit(f"pause: {exc}", code=1) from None
    print(report.box("Deploys paused", [("target", where.describe()), ("note", note)]))


@task(help=_TARGET_HELP)
def resume(c, target="", port=0, identity="", known_hosts=""):
    """Allow deploys to the target again (after `invoke pause` or a rollback)."""
    where = _target(target, port, identity, known_hosts)
    try:
        lifted = ops.resume(where)
    except ops.DeployError as exc:
        raise Exit(f"resume: {exc}", code=1) from None
    rows = [("target", where.describe()), ("was paused", lifted or "no")]
    print(report.box("Deploys resumed: the next run deploys main", rows))


@task(help=_TARGET_HELP)
def releases(c, target="", port=0, identity="", known_hosts=""):
    """List the releases on the target, the live one marked, and say if deploys are paused."""
    where = _target(target, port, identity, known_hosts)
    try:
        state = ops.read_state(where, ops.run_command)
    except ops.DeployError as exc:
        raise Exit(f"releases: {exc}", code=1) from None
    for name in state.releases:
        print(f"{'*' if name == state.current else ' '} {name}")
    if not state.releases:
        print(f"no releases on {where.describe()}")
    if state.paused:
        print(f"deploys PAUSED: {state.paused} (invoke resume)")


@task
def lint(c):
    """ruff: lint and formatting check."""
    with c.cd(str(ROOT)):
        c.run(f'"{BIN / "ruff"}" check .')
        c.run(f'"{BIN / "ruff"}" format --check .')


@task
def test(c, k=""):
    """Lint, then run the whole test suite (``-k EXPR`` selects tests)."""
    lint(c)
    with c.cd(str(ROOT)):
        selection = f'-k "{k}"' if k else ""
        c.run(f'"{BIN / "python"}" -m pytest {selection}')


@task
def clean(c):
    """Remove the built site and caches."""
    # and what builds leave beside the output: the next quick build's copy of it, folders
    # of builds that were killed (build_guard, plugins/incremental/seed.py)
    beside = [p for p in OUTPUT.parent.glob(f".{OUTPUT.name}.*") if p.is_dir() or p.is_file()]
    from plugins.incremental import model as site_model

    for lock in (ROOT / "cache" / "build").glob("model-*.lock"):
        site_model.wait_saved(lock.with_suffix(".sqlite3"))  # a save in progress, then gone
    for path in (OUTPUT, ROOT / "cache", ROOT / ".pytest_cache", *beside):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


# -- Moving an existing portal in (portal_import/; docs/import.md) ---------------------------

_IMPORT_HELP = {
    "dry_run": "chỉ đọc và in báo cáo, không ghi gì",
    "force": "ghi đè cả những bài đã sửa tay sau lần nhập trước",
    "map": "tệp ánh xạ chuyên mục/đơn vị [content/import-map.yml]",
    "include_drafts": "nhập cả bản nháp, bài chờ duyệt, bài hẹn giờ (thành bản nháp)",
    "include_expired": "nhập cả bài đã hết hạn trên cổng cũ",
    "total": "tổng lượt truy cập của cổng cũ (nếu tệp nguồn không có)",
}
IMPORT_REPORTS = Path(os.environ.get("PORTAL_IMPORT_REPORTS") or ROOT / "var" / "import")


def _run_import(read, map="", dry_run=False, force=False, include_drafts=False,
                include_expired=False, total=-1):  # fmt: skip
    from portal_import.cli import import_source, load_settings
    from portal_import.importer import ImportOptions
    from portal_import.report import text

    options = ImportOptions(
        content=CONTENT,
        settings=load_settings(ROOT / "pelicanconf.py", CONTENT),
        map_path=Path(map) if map else CONTENT / "import-map.yml",
        report_dir=IMPORT_REPORTS,
        dry_run=dry_run,
        force=force,
        include_drafts=include_drafts,
        include_expired=include_expired,
        total=int(total) if int(total) >= 0 else None,
    )
    outcome = import_source(read, options)
    if outcome.error is not None:
        raise Exit(f"Lỗi: {outcome.error}", code=1)
    print(text(outcome.report))
    if outcome.report_files:
        json_path, text_path = outcome.report_files
        print(f"Báo cáo: {text_path} và {json_path}")
    if not outcome.ok:
        raise Exit(code=1)


@task(help={"dump": "tệp sao lưu .sql hoặc .sql.gz", "uploads": "thư mục uploads/ của cổng cũ",
            "module": "tên mô-đun tin tức [news]", **_IMPORT_HELP})  # fmt: skip
def import_nukeviet(c, dump, uploads="", module="news", map="", dry_run=False, force=False,
                    include_drafts=False, include_expired=False, total=-1):  # fmt: skip
    """Nhập bài, ảnh, lượt xem và địa chỉ cũ từ NukeViet (tệp sao lưu CSDL + uploads/)."""
    from portal_import.nukeviet import read_nukeviet

    _run_import(lambda: read_nukeviet(dump, uploads or None, module), map, dry_run, force,
                include_drafts, include_expired, total)  # fmt: skip


@task(help={"wxr": "tệp xuất WordPress (WXR .xml)", "uploads": "thư mục wp-content/uploads",
            **_IMPORT_HELP})  # fmt: skip
def import_wordpress(c, wxr, uploads="", map="", dry_run=False, force=False,
                     include_drafts=False, include_expired=False, total=-1):  # fmt: skip
    """Nhập bài, chuyên mục, thẻ, tác giả, ảnh từ tệp xuất WordPress (WXR)."""
    from portal_import.wordpress import read_wordpress

    _run_import(lambda: read_wordpress(wxr, uploads or None), map, dry_run, force,
                include_drafts, include_expired, total)  # fmt: skip


@task(help={"pages": "thư mục các trang HTML đã lưu", "config": "tệp YAML: bộ chọn CSS",
            **{k: v for k, v in _IMPORT_HELP.items() if not k.startswith("include")}})  # fmt: skip
def import_pages(c, pages, config, map="", dry_run=False, force=False, total=-1):
    """Nhập bài từ các trang HTML đã lưu của cổng cũ (bộ chọn CSS trong tệp cấu hình)."""
    from portal_import.pages import read_pages

    _run_import(lambda: read_pages(pages, config), map, dry_run, force, total=total)


@task(help={"file": "tệp số liệu [var/import/counter-seed.json]",
            "endpoint": "địa chỉ API của bộ đếm [http://127.0.0.1:8001/api/v1]",
            "token": "mã quản trị (mặc định: biến COUNTER_ADMIN_TOKEN)"})  # fmt: skip
def import_seed_counter(c, file="", endpoint="http://127.0.0.1:8001/api/v1", token=""):
    """Chuyển lượt xem từng bài và tổng lượt truy cập của cổng cũ vào bộ đếm."""
    from portal_import.model import ImportStop
    from portal_import.seed import load_seed, send_seed

    try:
        seed = load_seed(Path(file) if file else IMPORT_REPORTS / "counter-seed.json")
        answer = send_seed(seed, endpoint, token or os.environ.get("COUNTER_ADMIN_TOKEN", ""))
    except ImportStop as exc:
        raise Exit(f"Lỗi: {exc}", code=1) from None
    print(f"Đã chuyển lượt xem của {answer.get('imported')} bài; tổng: {answer.get('total')}")


# -- Decap CMS and YAML front-matter (issue 16; docs/cms.md) --------------------------


@task(
    help={
        "dry_run": "chỉ liệt kê các tệp sẽ đổi, không ghi gì",
        "content": "thư mục nội dung [content/]",
    }
)
def yaml_front_matter(c, dry_run=False, content=str(CONTENT)):
    """Chuyển phần đầu bài 'Key: value' sang YAML (dạng trang quản trị mở được), không mất gì.

    A file is rewritten only if the build reads the same post from both texts.
    """
    from portal_ops import yaml_convert

    folder = Path(content)
    settings = yaml_convert.portal_settings(ROOT, folder)
    outcomes = yaml_convert.convert_tree(folder, settings, dry_run=bool(dry_run))
    verb = "Sẽ chuyển" if dry_run else "Đã chuyển"
    errors = [o for o in outcomes if o.status == "error"]
    for outcome in outcomes:
        if outcome.status == "converted":
            print(f"{verb}: {_shown(outcome.path)}")
        elif outcome.status == "error":
            print(f"Lỗi: {_shown(outcome.path)}: {outcome.message}", file=sys.stderr)
    converted = sum(o.status == "converted" for o in outcomes)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    print(
        f"{verb} {converted} tệp; {unchanged} tệp đã đúng dạng; {len(errors)} tệp lỗi."
        + (" Chưa ghi gì (--dry-run)." if dry_run else "")
    )
    if errors:
        raise Exit(code=1)


def _npm_ci(c) -> None:
    """node_modules from package-lock.json, when missing or older than the lock."""
    stamp = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if not stamp.is_file() or stamp.stat().st_mtime < lock.stat().st_mtime:
        with c.cd(str(ROOT)):
            c.run("npm ci --no-audit --no-fund", pty=False)


@task(
    help={
        "host": "address of the preview [127.0.0.1]",
        "port": "port of the preview [8000]",
        "cms_port": "port of decap-server, loopback only [8081]",
    }
)
def cms(c, host=HOST, port=PORT, cms_port=8081):
    """Trang quản trị trên máy mình: xem trước ở http://HOST:PORT, quản trị ở /admin/.

    Starts decap-server (git mode, this repository, 127.0.0.1 only: it has no login),
    then the live preview (invoke serve) with the CMS pointed at it.
    """
    from portal_ops import cms_local

    _npm_ci(c)
    try:
        server = cms_local.start_decap_server(ROOT, int(cms_port), f"http://{host}:{int(port)}")
    except cms_local.CmsLocalError as exc:
        raise Exit(f"Lỗi: {exc}", code=1) from None
    os.environ["PORTAL_CMS_LOCAL_BACKEND"] = cms_local.api_url(int(cms_port))
    print(f"decap-server (git, {ROOT}) đang chạy tại {cms_local.api_url(int(cms_port))}")
    print(f"Trang quản trị: http://{host}:{port}/admin/ (bài lưu vào nhánh cms/… của kho git)")
    try:
        serve(c, host=host, port=port)
    finally:
        _stop(server)
