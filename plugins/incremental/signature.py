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

_PLAIN = {str, int, float, bool, type(None)}  # reprs that are exact and stable
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
        memo = self._memo.get(id(value))
        if memo is not None and memo[0] is value:
            return memo[1]
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value, depth)
        result = h.digest()
        if not isinstance(value, (str, int, float, bool, type(None))):
            self._memo[id(value)] = (value, result)
        return result

    def _feed(self, h, value: Any, depth: int) -> None:
        """Add ``value`` to the hash ``h``: containers inline, objects as their digest."""
        if isinstance(value, str):  # Markup too: templates see the same text
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
        elif value is None or isinstance(value, (bool, int, float)):
            h.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, bytes):
            h.update(b"b%d:" % len(value))
            h.update(value)
        elif depth > self.max_depth:
            h.update(self._opaque(value))
        elif type(value) in (list, tuple) or _is_plain_iterable(value):
            items = list(value)
            h.update(b"[%d:" % len(items))
            plain = [item for item in items if type(item) in _PLAIN]
            if len(plain) == len(items):  # one repr in C instead of one call per item
                h.update(repr(items).encode("utf-8", "surrogatepass"))
                return
            for item in items:
                self._feed(h, item, depth + 1)
        elif type(value) is dict or (isinstance(value, Mapping) and not self._handled(value)):
            items = list(value.items())
            if all(isinstance(k, str) for k, _ in items):
                items.sort(key=lambda kv: kv[0])
            else:
                items.sort(key=lambda kv: self.sign(kv[0], depth + 1))
            h.update(b"{%d:" % len(items))
            plain = [(k, v) for k, v in items if type(k) is str and type(v) in _PLAIN]
            h.update(repr(plain).encode("utf-8", "surrogatepass"))
            for key, item in items:
                if type(key) is str and type(item) in _PLAIN:
                    continue
                self._feed(h, key, depth + 1)
                self._feed(h, item, depth + 1)
        elif isinstance(value, (set, frozenset)):
            digests = sorted(self.sign(v, depth + 1) for v in value)
            h.update(b"<%d:" % len(digests))
            for digest in digests:
                h.update(digest)
        else:
            memo = self._memo.get(id(value))
            if memo is not None and memo[0] is value:
                h.update(memo[1])
                return
            digest = self._sign_object(value, depth)
            self._memo[id(value)] = (value, digest)
            h.update(digest)

    def _handled(self, value: Any) -> bool:
        return any(isinstance(value, kind) for kind, _ in self._handlers)

    def _sign_object(self, value: Any, depth: int) -> Digest:
        h = hashlib.blake2b(digest_size=16)
        h.update(type(value).__qualname__.encode() + b"=")
        for kind, view in self._handlers:
            if isinstance(value, kind):
                self._feed(h, view(value, depth), depth + 1)
                return h.digest()
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            h.update(f"{value.isoformat()}:{value!r}".encode())
            return h.digest()
        if isinstance(value, (list, tuple, Mapping)):  # subclasses of containers
            self._feed(
                h, list(value.items()) if isinstance(value, Mapping) else list(value), depth + 1
            )
            return h.digest()
        if callable(value) and hasattr(value, "__qualname__"):
            # functions and classes: their code is part of the build's global key
            h.update(f"fn:{getattr(value, '__module__', '')}.{value.__qualname__}".encode())
            return h.digest()
        fields = _fields_of(value)
        if fields is not None:
            kept = {k: v for k, v in fields.items() if k not in self._excluded_attrs}
            self._feed(h, kept, depth + 1)
            return h.digest()
        text = repr(value)
        if _ADDRESS.search(text):
            return self._opaque(value)
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.digest()

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
