"""URL path normalisation shared by the service, the manifest and the snapshot reader.

One function so that the build (which writes the manifest) and the service (which checks
hits against it) can never disagree on what "the same page" is.
"""

from __future__ import annotations

import re

MAX_PATH_LENGTH = 512
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\\]")


class PathError(ValueError):
    """A path that can never be counted (not absolute, too long, control characters...)."""


def normalize_path(raw: str) -> str:
    """Return the canonical form of a page path, or raise PathError.

    ``/a/index.html`` and ``/a/`` are the same page; query strings and fragments are dropped
    (the widget sends ``location.pathname``, but a hand-written request may carry them).
    """
    if not isinstance(raw, str):
        raise PathError("path must be a string")
    path = raw.split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("/") or path.startswith("//"):
        raise PathError("path must start with a single '/'")
    if len(path) > MAX_PATH_LENGTH:
        raise PathError(f"path longer than {MAX_PATH_LENGTH} characters")
    if _FORBIDDEN.search(path):
        raise PathError("path contains control characters or backslashes")
    try:
        path.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PathError("path is not valid Unicode") from exc
    if "/../" in path + "/" or "/./" in path + "/":
        raise PathError("path contains dot segments")
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path
