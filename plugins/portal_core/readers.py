"""Putting a step in front of every reader's ``read`` (sanitising, caching).

Pelican picks a reader class per file extension; a plugin that must see every read
subclasses each one with its own ``read``, which calls the class's own as
``self.<inner_name>``. Plugins that wrap later wrap the earlier wrappers: the order of
PLUGINS is the order of the layers, innermost first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def wrap_read(readers: Any, marker: str, inner_name: str, read: Callable) -> None:
    """Subclass every reader class of ``readers`` (once: ``marker`` is set on the class)."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is None or getattr(reader_class, marker, False):
            continue
        readers.reader_classes[extension] = type(
            reader_class.__name__,
            (reader_class,),
            {
                marker: True,
                inner_name: reader_class.read,
                "read": read,
                "__module__": reader_class.__module__,
            },
        )
