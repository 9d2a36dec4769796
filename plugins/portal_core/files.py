"""Files written whole or not at all.

Every file the portal writes beside or into a published folder goes through a new file
renamed over the old one: a reader (nginx, the next build) never sees half a file, a
build killed half-way leaves the old one, and a hard link to the old file (the live
output linked into a staging folder, a release) is never written through.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: bytes | str, mode: int = 0o644) -> None:
    """Write ``data`` (text is UTF-8) to ``path``, creating its folder."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
