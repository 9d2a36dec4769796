"""Atomic deploys to a local folder or a web server over SSH, and rollbacks.

Layout on the target (``BASE`` is the deploy path)::

    BASE/releases/20240910T013000Z-1a2b3c4d5e6f/   one folder per deploy
    BASE/current -> releases/20240910T013000Z-1a2b3c4d5e6f   what nginx serves

A deploy uploads into ``releases/<name>.partial`` (rsync, hard-linking files unchanged
since the live release), renames it to ``releases/<name>`` once complete, then points
``current`` at it by renaming a freshly made symlink over the old one: rename(2) is
atomic, so a visitor gets the old site or the new one, never a mix or a 404. The
newest N releases are kept (and always the live one); ``rollback`` points ``current``
at the release before it.

Every step on the target is a plain command (``mkdir``, ``rsync``, ``ln``, ``mv``,
``rm``); for a local path it runs as is, for SSH it runs through ``ssh host -- …``.
The local tests therefore run the very commands a server runs. The target needs GNU
coreutils and findutils (any Debian/Ubuntu server) and rsync.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from plugins.build_stamp.core import deploy_problems

from . import releases as rel

Runner = Callable[[Sequence[str]], subprocess.CompletedProcess]
Progress = Callable[[int, int, str], None]

TMP_LINK = ".current.tmp"
PAUSE_FILE = "deploys-paused"  # next to current/ and releases/; its text says who and why
PARTIAL_SUFFIX = ".partial"
_HOST_PATH = re.compile(r"^(?P<host>(?:[^@/:\s]+@)?[^@/:\s]+):(?P<path>.+)$")


class DeployError(RuntimeError):
    """A deploy or rollback that cannot go on; the message says what to do."""


class DeploysPaused(DeployError):
    """Deploys to this target are paused (``invoke pause`` or a rollback); nothing was done."""

    def __init__(self, target: str, note: str) -> None:
        super().__init__(
            f"deploys to {target} are paused / đang tạm dừng triển khai: {note}\n"
            "The live release stays as it is. Resume with / tiếp tục bằng: invoke resume"
        )
        self.note = note


@dataclass(frozen=True)
class Target:
    """Where releases go: ``path`` on this machine, or on ``host`` over SSH."""

    path: str
    host: str = ""
    port: int | None = None
    identity: str = ""
    known_hosts: str = ""
    ssh_options: tuple[str, ...] = ()
    control_path: str = ""  # set by deploy()/rollback(): one SSH connection for all steps

    @property
    def remote(self) -> bool:
        return bool(self.host)

    def describe(self) -> str:
        if not self.remote:
            return self.path
        port = f":{self.port}" if self.port else ""
        return f"ssh://{self.host}{port}{self.path}"

    def join(self, *parts: str) -> str:
        return posixpath.join(self.path, *parts)


def parse_target(
    spec: str,
    port: int | None = None,
    identity: str = "",
    known_hosts: str = "",
    ssh_options: Sequence[str] = (),
) -> Target:
    """``/srv/portal``, ``./dir``, ``user@host:/srv/portal`` or ``ssh://user@host:22/srv/portal``."""
    spec = spec.strip()
    if not spec:
        raise DeployError("no deploy target: set PORTAL_DEPLOY_TARGET or pass --target")
    extra = {"identity": identity, "known_hosts": known_hosts, "ssh_options": tuple(ssh_options)}
    if spec.startswith("ssh://"):
        url = urlsplit(spec)
        if not url.hostname or not url.path.startswith("/"):
            raise DeployError(f"bad SSH target {spec!r}: use ssh://user@host[:port]/absolute/path")
        host = f"{url.username}@{url.hostname}" if url.username else url.hostname
        return Target(url.path.rstrip("/") or "/", host, url.port or port, **extra)
    match = _HOST_PATH.match(spec)
    if match and not spec.startswith(("/", ".", "~")):
        path = match["path"]
        if not path.startswith("/"):
            raise DeployError(f"bad SSH target {spec!r}: the path on the server must be absolute")
        return Target(path.rstrip("/") or "/", match["host"], port, **extra)
    return Target(str(Path(spec).expanduser().resolve()))


def ssh_command(target: Target) -> list[str]:
    """The ssh client invocation: never prompts (CI has no terminal), checks the host key."""
    argv = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20"]
    if target.port:
        argv += ["-p", str(target.port)]
    if target.identity:
        argv += ["-i", target.identity, "-o", "IdentitiesOnly=yes"]
    if target.known_hosts:
        argv += ["-o", f"UserKnownHostsFile={target.known_hosts}"]
        argv += ["-o", "StrictHostKeyChecking=yes"]
    if target.control_path:
        argv += ["-o", "ControlMaster=auto", "-o", f"ControlPath={target.control_path}"]
        argv += ["-o", "ControlPersist=60"]
    return argv + list(target.ssh_options)


def on_target(target: Target, argv: Sequence[str]) -> list[str]:
    """Run ``argv`` where the releases are: as is locally, quoted through ssh remotely."""
    if not target.remote:
        return list(argv)
    return [*ssh_command(target), target.host, "--", shlex.join(argv)]


def rsync_command(source: Path, target: Target, dest: str, link_dest: str | None) -> list[str]:
    """Upload ``source`` into ``dest`` (a path on the target).

    Files are linked by content: ``--checksum`` because a build may rewrite a file with the
    same bytes and a new time (robots.txt, pages rendered again), and ``--no-times`` because
    ``--link-dest`` hard-links a file only when its attributes match, times included; with
    times kept, every such file became a fresh copy on disk. So a file whose bytes did not
    change is the live release's file (same inode, same time, so the same ETag and
    Last-Modified for browsers), and a changed file gets the upload time. ``--chmod`` makes
    files readable by nginx whatever the build's umask was.
    """
    argv = ["rsync", "--archive", "--no-times", "--delete", "--checksum", "--chmod=D755,F644"]
    argv.append("--stats")
    if link_dest:
        argv.append(f"--link-dest=../{link_dest}")
    if target.remote:
        argv += ["-e", shlex.join(ssh_command(target))]
        destination = f"{target.host}:{dest}/"
    else:
        destination = f"{dest}/"
    return [*argv, f"{source}/", destination]


@dataclass
class Step:
    """One thing done on the target: a command, or a Python action for a local copy."""

    title: str
    argv: list[str] | None = None
    action: Callable[[], None] | None = None
    check: bool = True


@dataclass(frozen=True)
class State:
    releases: list[str]
    current: str | None
    paused: str | None = None  # the pause note, when deploys are paused


def state_commands(target: Target) -> tuple[list[str], list[str], list[str]]:
    listing = ["find", target.join("releases"), "-mindepth", "1", "-maxdepth", "1"]
    listing += ["-type", "d", "-printf", "%f\\n"]
    pause = ["sh", "-c", '[ ! -e "$1" ] || cat "$1"', "sh", target.join(PAUSE_FILE)]
    return (
        on_target(target, listing),
        on_target(target, ["readlink", target.join("current")]),
        on_target(target, pause),
    )


def read_state(target: Target, runner: Runner) -> State:
    """Which releases exist, which one ``current`` points at, and whether deploys are paused."""
    listing, link, pause = state_commands(target)
    found = runner(listing)
    names = found.stdout.split() if found.returncode == 0 else []
    pointed = runner(link)
    current = (
        posixpath.basename(pointed.stdout.strip().rstrip("/")) if pointed.returncode == 0 else None
    )
    paused = runner(pause)
    if paused.returncode != 0:  # cannot tell: never deploy over a pause we could not read
        detail = (paused.stderr or paused.stdout or "").strip()
        raise DeployError(f"cannot read {target.join(PAUSE_FILE)} on {target.describe()}: {detail}")
    note = paused.stdout.strip()
    return State(rel.ordered(names), current or None, note or None)


def pause_note(reason: str, was: str | None = None, now: str | None = None) -> str:
    """One line: when, who, and why deploys were paused."""
    import getpass
    import socket

    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        who = f"{getpass.getuser()}@{socket.gethostname()}"
    except (KeyError, OSError):
        who = "unknown"
    parts = [f"{stamp} by {who}"]
    if was or now:
        parts.append(f"rolled back {was or 'none'} → {now}")
    if reason.strip():
        parts.append(" ".join(reason.split()))
    return "; ".join(parts)


def pause_steps(target: Target, note: str) -> list[Step]:
    """Write the pause file (a new file renamed into place, like the ``current`` switch)."""
    path, tmp = target.join(PAUSE_FILE), target.join(PAUSE_FILE + ".tmp")
    write = ["sh", "-c", 'mkdir -p "$1" && printf "%s\\n" "$2" > "$3" && mv -f "$3" "$4"']
    write += ["sh", target.path, " ".join(note.split()), tmp, path]
    return [Step(f"pause deploys ({PAUSE_FILE})", on_target(target, write))]


def resume_steps(target: Target) -> list[Step]:
    return [Step("resume deploys", on_target(target, ["rm", "-f", target.join(PAUSE_FILE)]))]


def switch_steps(target: Target, release: str) -> list[Step]:
    """Point ``current`` at ``release`` atomically: make a new symlink, rename it over."""
    tmp = target.join(TMP_LINK)
    return [
        Step(
            f"link {TMP_LINK} → releases/{release}",
            on_target(target, ["ln", "-sfn", f"releases/{release}", tmp]),
        ),
        Step(
            f"switch current → releases/{release} (atomic rename)",
            on_target(target, ["mv", "-Tf", tmp, target.join("current")]),
        ),
    ]


def plan_deploy(
    source: Path,
    target: Target,
    state: State,
    release: str,
    keep: int,
    use_rsync: bool = True,
) -> list[Step]:
    """Every step of a deploy, in order, from the target's state; nothing is run here."""
    if keep < 1:
        raise DeployError("keep must be at least 1")
    partial = target.join("releases", release + PARTIAL_SUFFIX)
    final = target.join("releases", release)
    link_dest = state.current if state.current in state.releases else None
    clean = ["find", target.join("releases"), "-mindepth", "1", "-maxdepth", "1"]
    clean += ["-name", "*" + PARTIAL_SUFFIX, "-exec", "rm", "-rf", "{}", "+"]
    steps = [
        Step("create releases/", on_target(target, ["mkdir", "-p", target.join("releases")])),
        Step("remove unfinished uploads", on_target(target, clean)),
    ]
    if use_rsync:
        steps.append(
            Step(
                f"upload into releases/{release}{PARTIAL_SUFFIX}",
                rsync_command(source, target, partial, link_dest),
            )
        )
    elif target.remote:
        raise DeployError("rsync is needed to deploy over SSH: apt-get install rsync")
    else:
        live = Path(target.join("releases", link_dest)) if link_dest else None
        steps.append(
            Step(
                f"copy into releases/{release}{PARTIAL_SUFFIX} (rsync not installed)",
                action=lambda: _copy_tree(source, Path(partial), live),
            )
        )
    steps += [
        Step(
            "check the upload has index.html",
            on_target(target, ["test", "-f", posixpath.join(partial, "index.html")]),
        ),
        Step(f"complete releases/{release}", on_target(target, ["mv", "-T", partial, final])),
        *switch_steps(target, release),
    ]
    doomed = rel.to_prune([*state.releases, release], keep, [release, state.current])
    if doomed:
        paths = [target.join("releases", name) for name in doomed]
        steps.append(
            Step(
                f"prune {len(doomed)} old release(s): {', '.join(doomed)}",
                on_target(target, ["rm", "-rf", *paths]),
            )
        )
    return steps


def plan_rollback(target: Target, state: State, to: str | None = None) -> tuple[str, list[Step]]:
    """The release to go back to (the one before the live one, or ``to``) and the steps."""
    if to:
        if to not in state.releases:
            known = ", ".join(state.releases) or "none"
            raise DeployError(f"no release {to!r} on {target.describe()}; releases: {known}")
        wanted = to
    else:
        wanted = rel.previous(state.releases, state.current)
        if wanted is None:
            raise DeployError(
                f"nothing to roll back to on {target.describe()}: live release is "
                f"{state.current or 'none'}, releases: {', '.join(state.releases) or 'none'}"
            )
    if wanted == state.current:
        raise DeployError(f"{wanted} is already live")
    return wanted, switch_steps(target, wanted)


def _copy_tree(source: Path, dest: Path, live: Path | None = None) -> None:
    """The rsync-less local upload: a file with the live release's bytes is linked to it."""

    def copy(src: str, dst: str) -> None:
        if live is not None:
            old = live / os.path.relpath(dst, dest)
            with contextlib.suppress(OSError):
                if old.is_file() and not old.is_symlink() and _same_bytes(Path(src), old):
                    os.link(old, dst)
                    return
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)

    shutil.copytree(source, dest, symlinks=True, copy_function=copy)
    for path in [dest, *dest.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def _same_bytes(a: Path, b: Path, chunk: int = 1 << 16) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            block = fa.read(chunk)
            if block != fb.read(chunk):
                return False
            if not block:
                return True


def run_command(argv: Sequence[str]) -> subprocess.CompletedProcess:
    """The default runner: capture output; the caller decides what a failure means."""
    return subprocess.run(list(argv), text=True, capture_output=True, check=False)


def execute(
    steps: list[Step], runner: Runner = run_command, progress: Progress | None = None
) -> list[str]:
    """Run the steps in order; stop at the first failure with the command and its error."""
    outputs: list[str] = []
    for index, step in enumerate(steps, start=1):
        if progress:
            progress(index, len(steps), step.title)
        if step.action is not None:
            step.action()
            outputs.append("")
            continue
        assert step.argv is not None
        done = runner(step.argv)
        if step.check and done.returncode != 0:
            detail = (done.stderr or done.stdout or "").strip()
            raise DeployError(
                f"step {index}/{len(steps)} failed ({step.title}): {shlex.join(step.argv)}\n"
                f"exit status {done.returncode}: {detail}"
            )
        outputs.append(done.stdout or "")
    return outputs


@dataclass
class DeployResult:
    release: str
    previous: str | None
    pruned: list[str] = field(default_factory=list)
    files_transferred: int | None = None
    elapsed: float = 0.0
    target: str = ""


def rsync_files_transferred(stats: str) -> int | None:
    """From ``rsync --stats``: how many regular files were actually sent."""
    match = re.search(r"Number of regular files transferred:\s*([\d,.]+)", stats)
    return int(re.sub(r"[,.]", "", match.group(1))) if match else None


def deploy(
    source: Path,
    target: Target,
    keep: int,
    sha: str = "",
    now: dt.datetime | None = None,
    runner: Runner = run_command,
    progress: Progress | None = None,
) -> DeployResult:
    """Upload ``source`` as a new release, switch to it, prune; see the module docstring."""
    started = time.monotonic()
    source = Path(source)
    if not (source / "index.html").is_file():
        raise DeployError(f"{source} has no index.html: build the site first (invoke publish)")
    refused = deploy_problems(source)
    if refused:
        raise DeployError(
            f"{source} không phải bản dựng xuất bản / was not built with the production "
            "settings (publishconf.py):\n"
            + "".join(f"  - {problem}\n" for problem in refused)
            + "Dựng lại bằng / build it with: invoke publish (or invoke deploy without "
            "--skip-build). Nothing was uploaded."
        )
    use_rsync = target.remote or shutil.which("rsync") is not None
    if target.remote and shutil.which("rsync") is None:
        raise DeployError("rsync is needed to deploy over SSH: apt-get install rsync")
    with shared_connection(target, runner) as target:
        return _deploy(source, target, keep, sha, now, runner, progress, use_rsync, started)


def _deploy(source, target, keep, sha, now, runner, progress, use_rsync, started) -> DeployResult:
    state = read_state(target, runner)
    if state.paused:
        raise DeploysPaused(target.describe(), state.paused)
    release = rel.release_name(now or dt.datetime.now(dt.UTC), sha, state.releases)
    steps = plan_deploy(source, target, state, release, keep, use_rsync)
    outputs = execute(steps, runner, progress)
    transferred = None
    for step, out in zip(steps, outputs, strict=True):
        if step.argv and step.argv[0] == "rsync":
            transferred = rsync_files_transferred(out)
    pruned = rel.to_prune([*state.releases, release], keep, [release, state.current])
    return DeployResult(
        release, state.current, pruned, transferred, time.monotonic() - started, target.describe()
    )


def rollback(
    target: Target,
    to: str | None = None,
    runner: Runner = run_command,
    progress: Progress | None = None,
    pause: str | None = None,
) -> tuple[str | None, str]:
    """Point ``current`` back at the previous release (or ``to``); returns (was, now).

    With ``pause`` (a reason, may be empty) deploys are paused in the same run, so the
    hourly schedule cannot roll the bad build forward again before it is fixed.
    """
    with shared_connection(target, runner) as target:
        state = read_state(target, runner)
        wanted, steps = plan_rollback(target, state, to)
        if pause is not None:
            steps += pause_steps(target, pause_note(pause, state.current, wanted))
        execute(steps, runner, progress)
    return state.current, wanted


def pause(target: Target, reason: str = "", runner: Runner = run_command) -> str:
    """Pause deploys to ``target`` until ``resume``; returns the note written."""
    note = pause_note(reason)
    with shared_connection(target, runner) as shared:
        execute(pause_steps(shared, note), runner)
    return note


def resume(target: Target, runner: Runner = run_command) -> str | None:
    """Allow deploys again; returns the note of the pause lifted (None if there was none)."""
    with shared_connection(target, runner) as shared:
        state = read_state(shared, runner)
        execute(resume_steps(shared), runner)
    return state.paused


@contextlib.contextmanager
def shared_connection(target: Target, runner: Runner = run_command) -> Iterator[Target]:
    """One SSH connection (ControlMaster) for every step, closed at the end.

    A deploy runs about ten commands on the server; a handshake each would cost
    seconds. The control socket lives in a private temporary folder.
    """
    if not target.remote or target.control_path:
        yield target
        return
    folder = tempfile.mkdtemp(prefix="portal-ssh-")
    shared = dataclasses.replace(target, control_path=os.path.join(folder, "%C"))
    try:
        yield shared
    finally:
        runner([*ssh_command(shared), "-O", "exit", shared.host])
        shutil.rmtree(folder, ignore_errors=True)
