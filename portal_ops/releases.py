"""Release folders on the web server: naming, pruning, and which one to roll back to.

A release is ``releases/<UTC timestamp>-<git sha>``: the timestamp makes names sort in
deploy order and the sha says what was deployed. Names that do not match are never
touched, so an operator's own folder next to the releases is safe from pruning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

RELEASE_RE = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)-(?P<sha>[0-9a-f]{4,40}|nogit)(?:-(?P<n>\d+))?$")
_SHA_RE = re.compile(r"^[0-9a-f]{4,40}$")


def release_name(now: dt.datetime, sha: str = "", taken: Iterable[str] = ()) -> str:
    """``20240910T013000Z-1a2b3c4d5e6f``; a suffix keeps two deploys in one second apart."""
    if now.tzinfo is None:
        raise ValueError("release_name needs an aware datetime")
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    sha = sha.strip().lower()[:12]
    base = f"{stamp}-{sha if _SHA_RE.match(sha) else 'nogit'}"
    # The suffix counts every release of that second, whatever its commit, so the order of
    # two deploys in one second is never left to chance (rollback picks the one before).
    same_second = [RELEASE_RE.match(t) for t in taken]
    n = max((_key(m.string)[1] for m in same_second if m and m["stamp"] == stamp), default=0)
    return base if n == 0 else f"{base}-{n + 1}"


def is_release(name: str) -> bool:
    return bool(RELEASE_RE.match(name))


def _key(name: str) -> tuple[str, int]:
    match = RELEASE_RE.match(name)
    assert match
    return match["stamp"], int(match["n"] or 1)


def ordered(names: Iterable[str]) -> list[str]:
    """Release names oldest first; anything else is left out."""
    return sorted((n for n in set(names) if is_release(n)), key=_key)


def to_prune(names: Iterable[str], keep: int, protect: Iterable[str | None] = ()) -> list[str]:
    """Releases to delete so that ``keep`` remain: the protected ones, then the newest.

    A deploy protects the new release and the one that was live before it: after a
    rollback the live release may be older than the newest, and it is the known-good
    one to go back to. Protected releases are kept even beyond ``keep``.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1: the live release is always kept")
    releases = ordered(names)
    kept = {name for name in protect if name in releases}
    for name in reversed(releases):
        if len(kept) >= keep:
            break
        kept.add(name)
    return [name for name in releases if name not in kept]


def previous(names: Iterable[str], current: str | None) -> str | None:
    """The release deployed just before the live one: the target of a rollback."""
    releases = ordered(names)
    if current not in releases:
        return None
    index = releases.index(current)
    return releases[index - 1] if index > 0 else None
