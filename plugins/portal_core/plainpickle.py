"""Cache files of plain data (dicts, lists, tuples, sets, strings, numbers) as pickles.

Several plugins keep a record between builds (compliance findings, related-post lists).
Pickle reads and writes such records several times faster than JSON, and the reader
here refuses anything but plain data: a damaged or foreign file cannot make it import
or call anything, it simply reads as missing.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import Any

from .files import write_atomic


class PlainUnpickler(pickle.Unpickler):
    """Reads plain data only (no class, function or module is ever looked up)."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def load(path: str | os.PathLike) -> Any | None:
    """The data in ``path``, or None when it is missing, damaged or not plain data."""
    try:
        with open(path, "rb") as handle:
            return PlainUnpickler(io.BytesIO(handle.read())).load()
    except Exception:  # a cache: whatever is wrong with it, the build starts afresh
        return None


def save(path: str | os.PathLike, data: Any) -> None:
    """Write ``data`` to ``path`` atomically (a reader never sees half a file).

    Raises OSError or pickle.PicklingError for the caller to report or ignore; the
    temporary file is removed either way."""
    write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
