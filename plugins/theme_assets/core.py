"""Content-hashed names for the theme's static files (pure code, no Pelican).

``css/portal.css`` with bytes whose SHA-256 starts ``3f2a9c1b0d…`` is also published as
``css/portal.3f2a9c1b0d.css``; pages link to that name. A change of the file is a change
of its name, so a browser that cached the old CSS for a year still gets the new one with
the new HTML (nginx serves hashed names as immutable: deploy/nginx/portal.conf).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from plugins.portal_core.files import write_atomic

#: Hex digits of the SHA-256 in a hashed name: 40 bits, and nginx's pattern wants 8+.
HASH_LENGTH = 10


class AssetError(LookupError):
    """A template asked for a theme file that does not exist."""


def hashed_name(relative: str, data: bytes, length: int = HASH_LENGTH) -> str:
    """``css/portal.css`` → ``css/portal.<first hex digits of SHA-256>.css``."""
    path = PurePosixPath(relative)
    digest = hashlib.sha256(data).hexdigest()[:length]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


@dataclass(frozen=True)
class Assets:
    """The theme's static files: logical name → bytes and hashed name."""

    static_dir: str  # THEME_STATIC_DIR: where Pelican copies them in the output
    files: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def url(self, relative: str) -> str:
        """The hashed path of a theme file, relative to SITEURL: ``theme/css/portal.<h>.css``."""
        key = relative.lstrip("/")
        if key not in self.names:
            raise AssetError(
                f"theme_asset({relative!r}): the theme has no static file {key!r} "
                f"(known: {', '.join(sorted(self.names)) or 'none'})"
            )
        return f"{self.static_dir}/{self.names[key]}"

    def outputs(self) -> list[str]:
        """The hashed files this build adds, relative to the output folder."""
        return [f"{self.static_dir}/{name}" for name in sorted(self.names.values())]


def collect(
    theme: str | os.PathLike,
    static_paths: Iterable[str],
    static_dir: str,
    ignore: Iterable[str] = (),
) -> Assets:
    """Read the files Pelican copies from the theme (``THEME_STATIC_PATHS``) and name them.

    Logical names are as Pelican lays them out under ``THEME_STATIC_DIR``: a folder's
    files relative to it, a single file by its base name. Later paths win, as they
    overwrite earlier ones when Pelican copies them.
    """
    patterns = list(ignore)
    files: dict[str, bytes] = {}
    for entry in static_paths:
        source = Path(theme) / entry
        if source.is_file():
            candidates = [(source, source.name)]
        elif source.is_dir():
            candidates = [
                (path, path.relative_to(source).as_posix())
                for path in sorted(source.rglob("*"))
                if path.is_file()
            ]
        else:
            continue
        for path, relative in candidates:
            parts = PurePosixPath(relative).parts
            if any(fnmatch.fnmatch(part, pattern) for part in parts for pattern in patterns):
                continue
            files[relative] = path.read_bytes()
    names = {relative: hashed_name(relative, data) for relative, data in files.items()}
    return Assets(static_dir.strip("/"), files, names)


def write(assets: Assets, output: str | os.PathLike) -> list[Path]:
    """Write every hashed file into ``output``; a file already there with the name is kept
    (same name, same bytes). Returns the files written."""
    written = []
    for relative, name in sorted(assets.names.items()):
        target = Path(output) / assets.static_dir / name
        if target.is_file():
            continue
        write_atomic(target, assets.files[relative])
        written.append(target)
    return written
