"""Folding for search: ``fold`` and the words with đ a page lists folded (pure code)."""

import random
import unicodedata

from plugins.search.folding import fold, folded_d_words
from tests.conftest import ROOT

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def reference_fold(text: str) -> str:
    """The definition fold() had before it became a translate table (portal_core.text)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def test_fold_removes_every_vietnamese_mark_and_d_stroke():
    assert fold("Cải cách hành chính") == "cai cach hanh chinh"
    assert fold("ĐƯỜNG tỉnh  512") == "duong tinh 512"
    assert fold("Quốc lộ 1, Bến Mới, Khe Mây, dưỡng, ỹ") == "quoc lo 1, ben moi, khe may, duong, y"


def test_fold_equals_the_old_definition_on_vietnamese_text():
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").glob("*.yml"))]
    assert len(texts) > 40
    for text in texts:
        assert fold(text) == reference_fold(text)
        # Decomposed input (NFD, as some editors paste it) and upper case too.
        nfd = unicodedata.normalize("NFD", text)
        assert fold(nfd) == reference_fold(nfd)
        assert fold(text.upper()) == reference_fold(text.upper())


def test_fold_equals_the_old_definition_on_every_character_and_mixtures():
    # Every code point of the Basic Multilingual Plane, one at a time and in runs.
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    for char in chars:
        assert fold(char) == reference_fold(char), f"U+{ord(char):04X}"
    assert fold("".join(chars)) == reference_fold("".join(chars))
    # Tricky ones: İ, ΐ, ß, ŉ, final sigma, Hangul, lone and stacked marks, no-break space.
    tricky = "İstanbul ΐ Straße ŉ ΌΣΟΣ 한국어 a\u0301\u0323 \u0323\u0302 x\u00a0y ǰ ﬁ Ǆ ẞ"
    rng = random.Random(7)
    pool = list(tricky) + list("đĐơƯăâêôàảãáạằẳẵắặ ") + chars[0x300:0x370]
    for _ in range(300):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        assert fold(text) == reference_fold(text), repr(text)
    assert fold(tricky) == reference_fold(tricky)


def test_the_words_with_d_stroke_are_listed_folded_once_each_in_order():
    html = '<p>“Đường” tỉnh, ĐƯỜNG-bộ; đi <b>Địa</b> điểm</p><img alt="Cầu Đá"> dưỡng'
    assert folded_d_words(html, "Phòng Quản lý Đường bộ", None, "") == "duong di dia diem da"
    assert folded_d_words("Cải cách hành chính, dưỡng") == ""  # Pagefind folds these itself


def test_words_typed_decomposed_are_folded_whole():
    nfd = unicodedata.normalize("NFD", "Đường đèo Hải Vân")
    assert folded_d_words(nfd) == "duong deo"
