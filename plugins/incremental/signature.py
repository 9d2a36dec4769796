"""Short digests of what a template is given, so an unchanged page need not be rendered again.

A page's inputs are the values its templates can name. Each value is reduced to a
16-byte digest, recursively: equal digests mean the template sees equal data. The
digest errs on the side of change: anything the signer cannot see into (an object
whose ``repr`` carries a memory address, say) gets a digest unique to this build, so
the page is rendered again rather than served stale.

Pure: no Pelican imports. Callers teach the signer their own types with
``Signer.register``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Digest = bytes

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_unique = itertools.count()


def digest_bytes(*parts: bytes) -> Digest:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def digest_text(text: str) -> Digest:
    return digest_bytes(text.encode("utf-8", "surrogatepass"))


class Signer:
    """Digests values; remembers the digest of every object it saw during one build.

    ``max_depth`` guards against reference cycles in plain objects: past it an object
    gets a digest unique to this build (so its pages are always rendered). Types
    that form cycles (a post and its related posts) need a handler that cuts them.
    """

    def __init__(self, max_depth: int = 24) -> None:
        self.max_depth = max_depth
        # id(obj) -> (obj, digest); the object is kept so its id cannot be reused
        self._memo: dict[int, tuple[Any, Digest]] = {}
        self._handlers: list[tuple[type | tuple[type, ...], Callable[[Any, int], Any]]] = []
        self._excluded_attrs: set[str] = set()
        self.opaque: set[str] = set()  # type names that fell back to a one-build digest

    def register(self, kind: type | tuple[type, ...], view: Callable[[Any, int], Any]) -> None:
        """Digest objects of ``kind`` as ``view(obj, depth)`` (any signable value)."""
        self._handlers.insert(0, (kind, view))

    def exclude_attributes(self, names: Iterable[str]) -> None:
        """Attributes never followed in plain objects (back-references to the whole site)."""
        self._excluded_attrs.update(names)

    def sign(self, value: Any, depth: int = 0) -> Digest:
        if value is None or isinstance(value, (bool, int, float)):
            return digest_text(f"{type(value).__name__}:{value!r}")
        if isinstance(value, str):  # Markup too: templates see the same text
            return digest_text("s:" + value)
        if isinstance(value, bytes):
            return digest_bytes(b"b:", value)
        memo = self._memo.get(id(value))
        if memo is not None and memo[0] is value:
            return memo[1]
        if depth > self.max_depth:
            return self._opaque(value)
        result = self._sign_object(value, depth)
        self._memo[id(value)] = (value, result)
        return result

    def _sign_object(self, value: Any, depth: int) -> Digest:
        for kind, view in self._handlers:
            if isinstance(value, kind):
                return digest_bytes(
                    type(value).__qualname__.encode(), self.sign(view(value, depth), depth)
                )
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            return digest_text(f"{type(value).__name__}:{value.isoformat()}:{value!r}")
        if isinstance(value, Mapping):
            items = sorted((self.sign(k, depth), self.sign(v, depth + 1)) for k, v in value.items())
            return digest_bytes(b"map", *(k + v for k, v in items))
        if isinstance(value, (set, frozenset)):
            return digest_bytes(b"set", *sorted(self.sign(v, depth + 1) for v in value))
        if isinstance(value, (list, tuple)) or _is_plain_iterable(value):
            return digest_bytes(b"seq", *(self.sign(v, depth + 1) for v in value))
        if callable(value) and hasattr(value, "__qualname__"):
            # functions and classes: their code is part of the build's global key
            return digest_text(f"fn:{getattr(value, '__module__', '')}.{value.__qualname__}")
        fields = _fields_of(value)
        if fields is not None:
            kept = {k: v for k, v in fields.items() if k not in self._excluded_attrs}
            return digest_bytes(type(value).__qualname__.encode(), self.sign(kept, depth + 1))
        text = repr(value)
        if _ADDRESS.search(text):
            return self._opaque(value)
        return digest_text(f"{type(value).__qualname__}:{text}")

    def _opaque(self, value: Any) -> Digest:
        self.opaque.add(type(value).__qualname__)
        return digest_text(f"opaque:{next(_unique)}:{id(value)}")


def _is_plain_iterable(value: Any) -> bool:
    # dict views, deques, ranges: finite containers; never generators (consumed by reading)
    return type(value).__name__ in {
        "dict_keys",
        "dict_values",
        "dict_items",
        "deque",
        "range",
        "OrderedSet",
    }


def _fields_of(value: Any) -> dict[str, Any] | None:
    fields = getattr(value, "__dict__", None)
    if isinstance(fields, dict):
        return fields
    slots = getattr(type(value), "__slots__", None)
    if slots:
        names = [slots] if isinstance(slots, str) else list(slots)
        return {name: getattr(value, name, None) for name in names if name != "__weakref__"}
    return None
