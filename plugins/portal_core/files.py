"""Files written whole or not at all, and records kept from one build for the next.

Every file the portal writes beside or into a published folder goes through a new file
renamed over the old one: a reader (nginx, the next build) never sees half a file, a
build killed half-way leaves the old one, and a hard link to the old file (the live
output linked into a staging folder, a release) is never written through.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO


def write_atomic(
    path: str | os.PathLike, data: bytes | str | Callable[[BinaryIO], None], mode: int = 0o644
) -> None:
    """Write ``data`` (text is UTF-8; a function is given the open file, so a large
    record is streamed instead of held whole in memory) to ``path``, creating its folder."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def link_or_copy(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """``target`` the same file as ``source`` (a hard link; a copy across file systems)."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def relative_files(folder: str | os.PathLike, follow_links: bool = False) -> Iterator[str]:
    """Every file under ``folder`` (what ``os.walk`` lists as not a folder), as a
    ``/``-separated path relative to it, in walk order. Cut from the paths ``os.walk``
    joins onto ``folder``: ``os.path.relpath`` cost more than the walk at 37,000 files."""
    root = os.fspath(folder).rstrip(os.sep) or os.sep
    cut = len(root) + (0 if root.endswith(os.sep) else 1)
    for parent, _dirs, names in os.walk(root, followlinks=follow_links):
        base = parent[cut:].replace(os.sep, "/")
        for name in names:
            yield f"{base}/{name}" if base else name


def beside_content(settings: Mapping[str, Any], path: str | os.PathLike) -> str:
    """``path`` when absolute, else taken from the folder that holds PATH (content/): the
    repository root for the real site, the temporary folder for a test's site, so caches
    and reports never land in content/ or the web root."""
    site_root = os.path.dirname(os.path.abspath(settings.get("PATH") or "content"))
    return os.path.abspath(os.path.join(site_root, os.fspath(path)))


def output_tag(output: str | os.PathLike) -> str:
    """A short name for an output folder, so that the records of builds into different
    folders (the preview, a publish build) never mix."""
    return hashlib.sha1(str(Path(output).resolve()).encode()).hexdigest()[:16]


def digest_files(named: Iterable[tuple[str, str | os.PathLike]]) -> str:
    """One digest of each file's name and bytes, in the order given: a folder of code,
    templates or a search bundle is the same when this is."""
    h = hashlib.blake2b(digest_size=16)
    for name, path in named:
        data = Path(path).read_bytes()
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def keep(path: str | os.PathLike, tag: tuple, data: Any) -> bool:
    """Keep ``data`` for a later build, under ``tag`` (its format and what it was made
    with); False, and no file, when it cannot be written."""
    try:
        write_atomic(path, lambda handle: pickle.dump((tag, data), handle, pickle.HIGHEST_PROTOCOL))
        return True
    except (OSError, pickle.PicklingError):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return False


def kept(path: str | os.PathLike, tag: tuple) -> Any | None:
    """What ``keep`` wrote under ``tag``; None when missing, damaged or of another tag.
    (A cache of the portal's own objects, read whole: not for files from elsewhere.)"""
    try:
        with open(path, "rb") as handle:
            found, data = pickle.load(handle)
    except Exception:  # a cache: whatever is wrong with it, the build does without
        return None
    return data if found == tag else None
