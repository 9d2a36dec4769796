"""The pages of the build in progress as the build engine knows them.

The engine (``plugins.incremental``) renders a page or links last build's file, and
records the digest of each page's bytes either way. Plugins that look at every page of
the staging folder (search, compliance) ask here first: a page whose digest is known
need not be read to learn whether it changed, and a page whose digest equals the one it
had in the last build needs no new work at all. Pages not listed (written by other
plugins, or a build without the engine) are read as before.

The build guard also says which files the staging folder holds when the pages are ready
(``staged_files``): what search and the checks would otherwise each find by walking
17,000 folders at 10,000 posts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def digest_bytes(data: bytes) -> str:
    """The digest pages are recorded by (hex): one function for every reader of records."""
    h = hashlib.blake2b(digest_size=16)
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)
    return h.hexdigest()


@dataclass(frozen=True)
class PageRecords:
    """What the engine wrote into the staging folder."""

    #: output name (relative, ``/``-separated) → digest of its bytes (``digest_bytes``)
    digests: dict[str, str] = field(default_factory=dict)
    #: the names this build rendered; the others are last build's files, linked
    rendered: frozenset[str] = frozenset()
    #: the names the last build rendered or linked, with their digests then
    previous: dict[str, str] = field(default_factory=dict)
    #: a folder of hard links to the live output's folders that only ``before_publish``
    #: writes (``pagefind/``…), or None: a receiver may move out of it what it finds
    #: unchanged instead of linking it again; the engine removes the rest
    late_links: str | None = None

    def unchanged(self, name: str) -> bool:
        """Whether ``name`` has the bytes it had in the last build."""
        digest = self.digests.get(name)
        return digest is not None and self.previous.get(name) == digest


_current: list[PageRecords] = []


def publish(records: PageRecords) -> None:
    """Set by the engine once every page is in the staging folder."""
    _current[:] = [records]


def current() -> PageRecords | None:
    """This build's records, or None (no engine, or not yet complete)."""
    return _current[0] if _current else None


def clear() -> None:
    _current.clear()


_staged: list[frozenset[str]] = []


def publish_files(names: frozenset[str] | None) -> None:
    """Set by the build guard when ``pages_ready`` is sent: every file of the staging
    folder then (relative, ``/``-separated), or None when it did not list them."""
    _staged[:] = [] if names is None else [names]


def staged_files() -> frozenset[str] | None:
    """The files of the staging folder when ``pages_ready`` was sent (its receivers and
    ``before_publish``'s write theirs later), or None: walk the folder."""
    return _staged[0] if _staged else None
