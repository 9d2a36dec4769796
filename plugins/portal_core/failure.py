"""Stopping a build with a message for editors: one way for every plugin.

The build guard registers what a stop must undo (its staging folder); plugins only call
:func:`fail`, so none of them needs the guard to stop a build.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn

_on_stop: list[Callable[[], None]] = []


def on_stop(undo: Callable[[], None]) -> None:
    """Run ``undo`` before a build stops (once per registration, in order)."""
    _on_stop.append(undo)


def fail(summary: str, details: list[str] | None = None) -> NoReturn:
    """Report and stop with exit status 1, leaving the live output untouched.

    The details go to stderr as plain text (not through the log handler, which
    wraps and truncates long lines) so editors can read and copy every line.
    """
    for undo in _on_stop:
        undo()
    sys.stdout.flush()
    if details:
        sys.stderr.write("\n" + "\n".join(details) + "\n\n")
    sys.stderr.write(summary + "\n")
    sys.stderr.flush()
    raise SystemExit(1)
