"""Plugins that change a post's body after it is read declare which bodies they change.

The build engine patches a post whose body alone changed straight into the last build's
site model, without the generators (``plugins.incremental.patch``). It may do so only
when no plugin would have rewritten that body after reading it (photos made into
``<picture>``, ``{van-ban}`` links resolved): each such plugin registers a test here,
and a body any test claims is built the full way.
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
