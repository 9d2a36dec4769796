"""A hard-linked copy of the live output, made after a build publishes, for the next one.

A patch build starts from the live output: its staging folder is the live folder
hard-linked file by file (``cp -al``; 37,000 files at 10,000 posts, seconds of kernel
time) with the pages it renders replaced. That copy can be made as soon as a build has
published, in the background, while the editor writes the next change: the next patch
build then only renames it into place.

A **seed** is that copy, beside the output: ``.<output>.seed-<token>``, where the token
names the live folder it was made from (its inode and modification time: a new build
publishes a new folder; a top-level entry added or removed changes the time). It holds
the live folder's top-level entries that a patch build links (``early_tops``: not what
the ``before_publish`` receivers write, which a patch build writes again). It is made
under a temporary name and renamed when complete, so a build that starts while it is
being made does not take it (and links the live output itself, as before).

Its files are the live files (hard links): a page edited in place is edited in both; a
page replaced by hand in the live folder keeps its published bytes in the seed.

Pure: no Pelican imports.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

SEED_PREFIX = ".seed-"
MAKING_PREFIX = ".seeding-"


def _token(output: Path) -> str | None:
    try:
        status = os.stat(output)
    except OSError:
        return None
    return f"{status.st_ino}-{status.st_mtime_ns}"


def _seeds(output: Path, prefix: str) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}{prefix}*"))


def start(output: str | Path, early_tops: list[str]) -> None:
    """Make the seed of the live ``output`` in the background (after it was published);
    the seeds of earlier outputs are removed."""
    output = Path(output).resolve()
    token = _token(output)
    if token is None:
        return
    seed = output.parent / f".{output.name}{SEED_PREFIX}{token}"
    making = output.parent / f".{output.name}{MAKING_PREFIX}{token}"
    # those of earlier outputs (and one cut short), never taken again
    for old in [*_seeds(output, SEED_PREFIX), *_seeds(output, MAKING_PREFIX)]:
        if old != seed:
            _remove_in_background(old)
    if seed.exists():
        return
    tops = set(early_tops)
    entries = sorted(str(output / name) for name in os.listdir(output) if name in tops)
    script = 'mkdir -- "$1" && { [ "$#" -eq 2 ] || cp -al -- "${@:3}" "$1"; } && mv -T -- "$1" "$2"'
    with contextlib.suppress(OSError):  # then the next build links the live output itself
        subprocess.Popen(
            ["bash", "-c", script, "seed", str(making), str(seed), *entries],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a build that ends does not wait for it
        )


def take(output: str | Path) -> Path | None:
    """The complete seed of the live ``output``, or None (none made, not complete yet,
    or made from another folder). The caller moves it away: it is taken once."""
    output = Path(output).resolve()
    token = _token(output)
    if token is None:
        return None
    seed = output.parent / f".{output.name}{SEED_PREFIX}{token}"
    return seed if seed.is_dir() else None


def _remove_in_background(folder: Path) -> None:
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
