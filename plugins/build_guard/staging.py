"""Build into a fresh folder; replace the live output only when the build succeeded."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

STAGING_PREFIX = ".building-"
OLD_PREFIX = ".replaced-"
TRASH_PREFIX = ".removing-"
#: a folder being removed longer than this is taken as abandoned and removed again
TRASH_GRACE_SECONDS = 600


def staging_dir_for(output: str | Path) -> Path:
    output = Path(output).resolve()
    return output.parent / f".{output.name}{STAGING_PREFIX}{os.getpid()}"


def remove_stale(output: str | Path) -> None:
    """Staging folders left by builds that were killed, and replaced outputs whose removal
    was cut short or is still running (a build right after another): moved out of the way
    at once, deleted in the background."""
    output = Path(output).resolve()
    if not output.parent.is_dir():
        return
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for leftover in output.parent.glob(f".{output.name}{prefix}*"):
            if not _running(leftover.name.rsplit("-", 1)[-1]):  # another build's: not ours
                remove_in_background(leftover, output)
    now = time.time()
    for leftover in output.parent.glob(f".{output.name}{TRASH_PREFIX}*"):
        try:
            recent = now - leftover.lstat().st_ctime < TRASH_GRACE_SECONDS
        except OSError:
            continue
        if not recent:  # its removal was cut short (a recent one is still running)
            remove_in_background(leftover, output)


def _running(pid_text: str) -> bool:
    """Whether the build whose process id ends a leftover's name is still running."""
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def prepare(output: str | Path) -> Path:
    remove_stale(output)
    staging = staging_dir_for(output)
    staging.mkdir(parents=True)
    return staging


def publish(staging: str | Path, output: str | Path, retention: list[str] | None = None) -> None:
    """Swap the staging folder in place of the output folder.

    The old output is moved aside first and removed last, so a reader of the
    folder sees either the old site or the new one, and a failure puts the old
    one back.
    """
    staging, output = Path(staging), Path(output).resolve()
    old = output.parent / f".{output.name}{OLD_PREFIX}{os.getpid()}"
    if output.exists():
        for name in retention or []:
            kept = output / name
            if kept.exists() and not (staging / name).exists():
                shutil.move(str(kept), str(staging / name))
        output.rename(old)
    try:
        staging.rename(output)
    except OSError:
        if old.exists():
            old.rename(output)
        raise
    remove_in_background(old, output)


def remove_in_background(folder: Path, output: Path) -> None:
    """Delete the replaced output without making the build wait for it.

    On a large site this is tens of thousands of unlinks; the new site is already live.
    The folder is first renamed (instantly) to a name no build writes to; a removal cut
    short is finished by a later build (``remove_stale``).
    """
    trash = folder.parent / f".{output.name}{TRASH_PREFIX}{secrets.token_hex(6)}"
    try:
        folder.rename(trash)
        folder = trash
    except OSError:
        pass  # removed in place
    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def discard(staging: str | Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
