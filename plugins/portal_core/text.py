"""Text helpers for Vietnamese: NFC, diacritic folding, closest-match suggestions."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse spaces, for loose matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def closest(value: str, candidates: Iterable[str], limit: int = 1) -> list[str]:
    """The candidates that look most like ``value``, best first, ignoring diacritics."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(fold(candidate), candidate)
    matches = difflib.get_close_matches(fold(value), by_folded, n=limit, cutoff=0.5)
    return [by_folded[m] for m in matches]
