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
under a temporary name (``.seeding-``, with the process id of its maker beside it) and
renamed when complete: a build that starts while it is being made waits for it (linking
the live output again beside it would take longer); one whose maker was killed is made
again.

The live folder's other top-level folders (``late_folders``: those only
``before_publish`` writes, the search bundles above all) are linked into the seed's
``LATE`` folder: a patch build moves it out of the staging folder at once
(``take_late``) and offers it to the plugins that write them (``portal_core.pages``):
the search moves in the bundles it finds unchanged instead of linking 20,000 files.

Its files are the live files (hard links): a page edited in place is edited in both; a
page replaced by hand in the live folder keeps its published bytes in the seed.

No Pelican imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from plugins.build_guard import staging

SEED_PREFIX = ".seed-"
MAKING_PREFIX = ".seeding-"
#: inside a seed: the live folder's late folders, linked (moved out by ``take_late``)
LATE = ".portal-seed-late"


def _token(output: Path) -> str | None:
    try:
        status = os.stat(output)
    except OSError:
        return None
    return f"{status.st_ino}-{status.st_mtime_ns}"


def _names(output: Path) -> tuple[Path, Path] | None:
    """(the seed, the folder it is made in) for the live ``output`` as it is now."""
    token = _token(output)
    if token is None:
        return None
    beside = output.parent / f".{output.name}"
    return Path(f"{beside}{SEED_PREFIX}{token}"), Path(f"{beside}{MAKING_PREFIX}{token}")


def _seeds(output: Path, prefix: str) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}{prefix}*"))


def late_folders(late_files: list[str], early_tops: list[str]) -> list[str]:
    """The top-level folders of the output that only ``before_publish`` writes."""
    tops = {name.split("/", 1)[0] for name in late_files if "/" in name}
    return sorted(tops - set(early_tops) - {LATE})


def start(output: str | Path, early_tops: list[str], late_tops: list[str] = ()) -> None:
    """Make the seed of the live ``output`` in the background (after it was published);
    the seeds of earlier outputs are removed."""
    output = Path(output).resolve()
    names = _names(output)
    if names is None:
        return
    seed, making = names
    # those of earlier outputs (and one cut short), never taken again
    for old in [*_seeds(output, SEED_PREFIX), *_seeds(output, MAKING_PREFIX)]:
        if old.name.endswith(".pid"):
            if old != _pid_file(making):
                old.unlink(missing_ok=True)
        elif old not in (seed, making):
            staging.remove_in_background(old, output)
    if seed.exists() or _being_made(making):
        return
    if making.exists():  # its process was killed
        shutil.rmtree(making, ignore_errors=True)
    present = set(os.listdir(output))
    early = sorted(str(output / name) for name in set(early_tops) & present)
    late = sorted(str(output / name) for name in set(late_tops) & present)
    # $1 the folder it is made in, $2 the seed, $3 how many early entries; then the
    # entries, early first; a failure anywhere leaves no seed
    script = (
        "making=$1 seed=$2 count=$3; shift 3; set -e; trap 'rm -rf -- \"$making\"' ERR; "
        '[ "$count" -eq 0 ] || cp -al -- "${@:1:count}" "$making"; '
        'shift "$count"; '
        f'if [ "$#" -gt 0 ]; then mkdir -- "$making/{LATE}"; cp -al -- "$@" "$making/{LATE}"; fi; '
        'mv -T -- "$making" "$seed"'
    )
    try:
        making.mkdir()  # before this returns: a build that starts next waits for it
        process = subprocess.Popen(
            ["bash", "-c", script, "seed", str(making), str(seed), str(len(early)), *early, *late],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a build that ends does not wait for it
        )
        _pid_file(making).write_text(str(process.pid))
    except OSError:  # then the next build links the live output itself
        shutil.rmtree(making, ignore_errors=True)


def take(output: str | Path, wait: float = 30.0) -> Path | None:
    """The complete seed of the live ``output``, or None (none made, or made from another
    folder). One still being made (a build right after the last one) is waited for up to
    ``wait`` seconds: linking the live output again beside it would take longer. The
    caller moves it away: it is taken once."""
    names = _names(Path(output).resolve())
    if names is None:
        return None
    seed, making = names
    deadline = time.monotonic() + wait
    while not seed.is_dir() and _being_made(making) and time.monotonic() < deadline:
        time.sleep(0.02)
    if not seed.is_dir():
        return None
    _pid_file(making).unlink(missing_ok=True)  # its maker is done
    return seed


def take_late(staging_folder: Path) -> Path | None:
    """The late folders a seed brought into ``staging_folder`` (renamed from the seed),
    moved out of it beside it (never published): None when it brought none."""
    late = staging_folder / LATE
    if not late.is_dir():
        return None
    # named like the search's work folder: a killed build's is removed by the next one
    aside = staging_folder.parent / f"{staging_folder.name}-late-{os.getpid()}"
    if aside.exists():
        shutil.rmtree(aside)
    late.rename(aside)
    return aside


def _pid_file(making: Path) -> Path:
    return making.with_name(making.name + ".pid")


def _being_made(making: Path) -> bool:
    """Whether the process making this seed is still at work (one killed with its
    build's machine leaves the folder: no build waits for it)."""
    if not making.is_dir():
        return False
    try:
        pid = int(_pid_file(making).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True
