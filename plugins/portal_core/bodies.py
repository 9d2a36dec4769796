"""Plugins that change a post's body after it is read declare which bodies they change.

The build engine patches a post whose body alone changed straight into the last build's
site model, without the generators (``plugins.incremental.patch``). It may do so only
when no plugin would have rewritten that body after reading it (photos made into
``<picture>``, ``{van-ban}`` links resolved): each such plugin registers a test here,
and a body any test claims is built the full way. Plugins that read something out of a
body for pages that do not show the post (the documents it mentions) declare what they
read, and a body edit that changes it is built the full way too.
"""

from __future__ import annotations

from collections.abc import Callable

_rewriters: dict[str, Callable[[str], bool]] = {}


def declare_rewriter(plugin: str, rewrites: Callable[[str], bool]) -> None:
    """``rewrites(body_html)`` is True when ``plugin`` would change that body."""
    _rewriters[plugin] = rewrites


def rewritten_by(body: str) -> list[str]:
    """The plugins that would change ``body`` after reading."""
    return [name for name, rewrites in _rewriters.items() if rewrites(body or "")]


_readers: dict[str, Callable[[str], object]] = {}


def declare_reader(plugin: str, reads: Callable[[str], object]) -> None:
    """``reads(body_html)`` is what ``plugin`` takes from a body for pages other than
    those that show the post (a document's page lists the posts that mention its number)."""
    _readers[plugin] = reads


def read_differently(old: str, new: str) -> list[str]:
    """The plugins that take something else from ``new`` than from ``old``."""
    return [name for name, reads in _readers.items() if reads(old or "") != reads(new or "")]
