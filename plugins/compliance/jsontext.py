"""Indented JSON, the same text as ``json.dumps(..., ensure_ascii=False, indent=n)``, faster.

Python 3.11's C encoder does not indent: with ``indent`` json falls back to a generator
per container, and ``json.dump`` writes each of its thousands of pieces to the file
separately. The report (``bao-cao.json``) and the manifest are indented, so they are
written here instead: containers walked in Python, strings escaped by json's own C
function, one string joined at the end. Anything but plain JSON data (a non-string key,
NaN, an object json would reject or convert) goes to ``json.dumps`` itself, so the text
is always the one json writes (``tests/compliance/test_cache.py`` compares them).
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring  # the C function when available
from typing import Any


class _NotPlain(Exception):
    """Something only ``json.dumps`` writes exactly as ``json.dumps`` does."""


def dumps(obj: Any, indent: int, sort_keys: bool = False) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys)``."""
    parts: list[str] = []
    try:
        _walk(obj, "\n", " " * indent, sort_keys, parts.append)
    except (_NotPlain, TypeError, RecursionError):  # keys that do not sort, a cycle
        return json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return "".join(parts)


def _walk(obj: Any, pad: str, step: str, sort_keys: bool, add: Any) -> None:
    if isinstance(obj, str):
        add(encode_basestring(obj))
    elif obj is None:
        add("null")
    elif obj is True:
        add("true")
    elif obj is False:
        add("false")
    elif isinstance(obj, int):
        add(int.__repr__(obj))
    elif isinstance(obj, float):
        if not math.isfinite(obj):
            raise _NotPlain
        add(float.__repr__(obj))
    elif isinstance(obj, dict):
        if not obj:
            add("{}")
            return
        inner = pad + step
        opening = "{"
        for key, value in sorted(obj.items()) if sort_keys else obj.items():
            if not isinstance(key, str):
                raise _NotPlain  # json converts such keys to strings
            add(opening + inner + encode_basestring(key) + ": ")
            opening = ","
            _walk(value, inner, step, sort_keys, add)
        add(pad + "}")
    elif isinstance(obj, (list, tuple)):
        if not obj:
            add("[]")
            return
        inner = pad + step
        opening = "["
        for value in obj:
            add(opening + inner)
            opening = ","
            _walk(value, inner, step, sort_keys, add)
        add(pad + "]")
    else:
        raise _NotPlain
