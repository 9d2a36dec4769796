"""Build into a fresh folder; replace the live output only when the build succeeded."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

STAGING_PREFIX = ".building-"
OLD_PREFIX = ".replaced-"


def staging_dir_for(output: str | Path) -> Path:
    output = Path(output).resolve()
    return output.parent / f".{output.name}{STAGING_PREFIX}{os.getpid()}"


def remove_stale(output: str | Path) -> None:
    """Staging folders left by builds that were killed."""
    output = Path(output).resolve()
    if not output.parent.is_dir():
        return
    for leftover in output.parent.glob(f".{output.name}{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in output.parent.glob(f".{output.name}{OLD_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


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
    remove_in_background(old)


def remove_in_background(folder: Path) -> None:
    """Delete the replaced output without making the build wait for it.

    On a large site this is tens of thousands of unlinks; the new site is already live.
    A removal cut short is finished by the next build (``remove_stale``).
    """
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
