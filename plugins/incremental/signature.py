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
import io
import itertools
import pickle
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Digest = bytes

_SCALAR_TAGS = {str: b"s", int: b"i", float: b"f", bool: b"b", bytes: b"y", type(None): b"n"}
_PLAIN = frozenset(_SCALAR_TAGS)
#: marks a member replaced by its digest before pickling (see ``Signer._shallow``)
_DIGEST = "\x00digest"
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


def _digest_of(digest: Digest) -> Digest:
    """Stands in a flattened value for an object signed apart (never called: only named)."""
    return digest


class _Flattener(pickle.Pickler):
    """Pickles plain data as is and replaces every other object by its digest.

    ``reducer_override`` rather than ``persistent_id``: the C pickler calls it only for
    objects that are not exact ``str``, ``int``, ``float``, ``bytes``, ``list``, ``tuple``,
    ``dict``, ``set`` or ``frozenset``, so a post's strings and numbers cost no call back
    into Python (a page's key made ~3 million such calls per 10,000 posts). Most objects
    never reach it: ``Signer._shallow`` digests a value's members first. A set two levels
    down (in a dict inside a dict, say) is pickled in iteration order, which varies
    between processes: its pages are rendered again each build, never served stale (a
    set signed on its own, or as a member, is sorted: ``Signer._sign_object``).

    Dicts keep their insertion order: the same code fills them in the same order, and a
    different order only costs a page rendered again, never a stale one."""

    def __init__(self, file, signer: Signer, depth: int) -> None:
        super().__init__(file, protocol=5)
        # no memo: equal values must give equal bytes whether or not they are one object
        # (a post read afresh shares strings that one from the cache does not)
        self.fast = True
        self.signer = signer
        self.depth = depth

    def reducer_override(self, obj: Any) -> Any:
        if obj is _digest_of or isinstance(obj, (str, int, float, bytes)):
            return NotImplemented  # Markup, IntEnum: pickled as they are, class included
        return _digest_of, (self.signer.sign(obj, self.depth + 1),)


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
        self._busy: set[int] = set()  # objects being signed (to cut reference cycles)
        self._handlers: list[tuple[type | tuple[type, ...], Callable[[Any, int], Any]]] = []
        self._excluded_attrs: set[str] = set()
        self.opaque: set[str] = set()  # type names that fell back to a one-build digest
        self._flatteners: dict[int, tuple[_Flattener, io.BytesIO]] = {}

    def register(self, kind: type | tuple[type, ...], view: Callable[[Any, int], Any]) -> None:
        """Digest objects of ``kind`` as ``view(obj, depth)`` (any signable value)."""
        self._handlers.insert(0, (kind, view))

    def exclude_attributes(self, names: Iterable[str]) -> None:
        """Attributes never followed in plain objects (back-references to the whole site)."""
        self._excluded_attrs.update(names)

    def sign(self, value: Any, depth: int = 0) -> Digest:
        tag = _SCALAR_TAGS.get(type(value))
        if tag is not None:  # the commonest values, without a pickler
            if tag == b"s":
                data = value.encode("utf-8", "surrogatepass")
            else:
                data = value if tag == b"y" else repr(value).encode()
            return hashlib.blake2b(tag + data, digest_size=16).digest()
        if isinstance(value, (str, bool, int, float, bytes)):  # subclasses: Markup, say
            return hashlib.blake2b(self._flat(value, depth), digest_size=16).digest()
        memo = self._memo.get(id(value))
        if memo is not None and memo[0] is value:
            return memo[1]
        if id(value) in self._busy or depth > self.max_depth:
            return self._opaque(value)  # a reference cycle: never equal to last build's
        self._busy.add(id(value))
        try:
            if type(value) in (list, tuple, dict):
                flat = self._flat(self._shallow(value, depth), depth)
                result = hashlib.blake2b(flat, digest_size=16).digest()
            else:
                result = self._sign_object(value, depth)
        finally:
            self._busy.discard(id(value))
        self._memo[id(value)] = (value, result)
        return result

    def _shallow(self, value: Any, depth: int) -> Any:
        """A dict's values (or a list's items), and the items of the lists and tuples among
        them, with every object that is not a plain scalar replaced by its digest.

        The same information as letting the pickler meet them (``reducer_override``), but
        each such object then costs the pickler a global lookup; a post's view holds
        ~30 of them (dates, tags, unit, category, related posts)."""
        kind = type(value)
        if kind is dict:
            return {key: self._member(member, depth) for key, member in value.items()}
        if kind is list or kind is tuple:
            return [self._member(member, depth) for member in value]
        return value

    def _member(self, value: Any, depth: int) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is list or kind is tuple:
            if all(type(item) in _PLAIN for item in value):
                return value
            return kind(
                item if type(item) in _PLAIN else (_DIGEST, self.sign(item, depth + 2))
                for item in value
            )
        if kind is dict:
            return value  # flattened by the pickler (its members at the next depth)
        return (_DIGEST, self.sign(value, depth + 1))

    def _flat(self, value: Any, depth: int) -> bytes:
        """``value`` as bytes: plain data by pickle (in C), every other object by its digest."""
        # one pickler per depth, reused: nested calls are always one level deeper
        idle = self._flatteners.get(depth)
        if idle is None:
            buffer = io.BytesIO()
            flattener = _Flattener(buffer, self, depth)
        else:
            del self._flatteners[depth]
            flattener, buffer = idle
            buffer.seek(0)
            buffer.truncate()
        try:
            flattener.dump(value)
        except (RecursionError, ValueError):  # a list that contains itself
            return self._opaque(value)
        data = buffer.getvalue()
        self._flatteners[depth] = (flattener, buffer)
        return data

    def _sign_object(self, value: Any, depth: int) -> Digest:
        h = hashlib.blake2b(digest_size=16)
        h.update(type(value).__qualname__.encode() + b"=")
        for kind, view in self._handlers:
            if isinstance(value, kind):
                h.update(self._flat(self._shallow(view(value, depth), depth + 1), depth + 1))
                return h.digest()
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            h.update(f"{value.isoformat()}:{value!r}".encode())
            return h.digest()
        if isinstance(value, (set, frozenset)):
            for digest in sorted(self.sign(v, depth + 1) for v in value):
                h.update(digest)
            return h.digest()
        if isinstance(value, Mapping):
            h.update(self._flat(self._shallow(dict(value), depth + 1), depth + 1))
            return h.digest()
        if isinstance(value, (list, tuple)) or _is_plain_iterable(value):
            h.update(self._flat(list(value), depth + 1))
            return h.digest()
        if callable(value) and hasattr(value, "__qualname__"):
            # functions and classes: their code is part of the build's global key
            h.update(f"fn:{getattr(value, '__module__', '')}.{value.__qualname__}".encode())
            return h.digest()
        fields = _fields_of(value)
        if fields is not None:
            kept = {k: v for k, v in fields.items() if k not in self._excluded_attrs}
            h.update(self._flat(self._shallow(kept, depth + 1), depth + 1))
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
