"""Text checks with no HTML: legacy Vietnamese encodings, security marks, working days.

Legacy encodings. Before Unicode, Vietnamese text was stored with 8-bit fonts: TCVN3
(ABC, fonts ``.VnTime``…) and VNI (fonts ``VNI-Times``…). Pasted into a Unicode page,
such text shows Latin-1 symbols in the middle of words: "Së Giao th«ng vËn t¶i"
(TCVN3) or "Sôû Giao thoâng vaän taûi" (VNI) for "Sở Giao thông vận tải". Genuine
Vietnamese never uses these symbols, so we count them inside words and tell TCVN3 from
VNI by where they sit: VNI writes a tone as a symbol *after* a plain vowel ("aø" = à),
TCVN3 replaces the whole vowel ("µ" = à).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from plugins.portal_core.text import fold

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI"

# Non-Vietnamese characters that only TCVN3 produces, and those both encodings produce.
_TCVN3_ONLY = set("µ¶·¸¹¨»¼½¾©Ç®ÐªÞß«¬÷þ×ç¡¢§£¤¥¦\xad")
_SHARED = set("øûïåäëüæñöîØÛÏÜÆÑÖËÎÅÄ")
_PLAIN_VOWELS = set("aeiouyAEIOUY")
_VNI_BASES = _PLAIN_VOWELS | set("ôöÔÖ")  # VNI ơ/ư are ô/ö, then the tone mark
_LEGACY_FONT_RE = re.compile(r"(\.Vn[A-Z][A-Za-z0-9]*|VNI[- ][A-Z][A-Za-z0-9]*)")
_WORD_CHAR_RE = re.compile(r"\w")
_SUSPECT_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_ONLY | _SHARED))) + "]")
THRESHOLD = 3


@dataclass(frozen=True)
class LegacyText:
    encoding: str
    count: int
    sample: str  # a few broken words, to show the editor


def detect_legacy_encoding(text: str, threshold: int = THRESHOLD) -> LegacyText | None:
    """The legacy encoding ``text`` looks like it was pasted from, or None if it looks clean."""
    fonts = _LEGACY_FONT_RE.findall(text) if ".Vn" in text or "VNI" in text else []
    tcvn = vni = 0
    samples: list[str] = []
    for match in _SUSPECT_RE.finditer(text):
        index = match.start()
        char = match.group()
        prev = text[index - 1] if index else " "
        nxt = text[index + 1] if index + 1 < len(text) else " "
        if not (_is_letter(prev) or _is_letter(nxt)):
            continue  # a lone symbol such as "·" or "©", not part of a word
        if char in _TCVN3_ONLY:
            tcvn += 1
        elif prev in _VNI_BASES or (char in "ñÑ" and not _is_letter(prev)):
            vni += 1
        else:
            tcvn += 1
        if len(samples) < 3:
            word = _word_around(text, index)
            if word not in samples:
                samples.append(word)
    for font in fonts:
        if font.startswith(".Vn"):
            tcvn += threshold
        else:
            vni += threshold
        if len(samples) < 3:
            samples.append(font)
    if max(tcvn, vni) < threshold:
        return None
    return LegacyText(VNI if vni > tcvn else TCVN3, tcvn + vni, ", ".join(samples))


def legacy_fonts(text: str) -> list[str]:
    """Legacy font names (TCVN3 .Vn…, VNI-…) in a stylesheet or a style attribute."""
    return sorted(set(_LEGACY_FONT_RE.findall(text)))


def _is_letter(char: str) -> bool:
    return bool(_WORD_CHAR_RE.match(char)) or char in _TCVN3_ONLY or char in _SHARED


def _word_around(text: str, index: int) -> str:
    start = index
    while start > 0 and _is_letter(text[start - 1]):
        start -= 1
    end = index + 1
    while end < len(text) and _is_letter(text[end]):
        end += 1
    return text[start:end]


# -- security classification marks -----------------------------------------------------

_HIGH_MARK_RE = re.compile(r"(?<!\w)(TUYỆT MẬT|TỐI MẬT)(?!\w)")
_MARK_RE = re.compile(r"(?<!\w)MẬT(?!\w)")
_LABEL_RE = re.compile(r"(?<!\w)độ mật\s*:\s*(tuyệt mật|tối mật|mật)(?!\w)", re.IGNORECASE)
_FILE_MARK_RE = re.compile(r"(^|[-_ ./])(toi-?mat|tuyet-?mat|do-?mat)([-_ .]|$)")


def security_marks(text: str) -> list[str]:
    """Security classification marks (Luật Bảo vệ bí mật nhà nước) found in ``text``.

    The plain word "mật" is common ("bí mật", "mật độ"), so a bare "MẬT" counts only
    when it stands out as a stamp: upper case, with no upper-case word next to it
    (which would make it part of a heading such as "MẬT ĐỘ GIAO THÔNG").
    """
    if "MẬT" not in text and "ộ mật" not in text:
        return []  # the common case, decided without a regex
    found = [m.group(1) for m in _HIGH_MARK_RE.finditer(text)]
    found += [f"Độ mật: {m.group(1)}" for m in _LABEL_RE.finditer(text)]
    for match in _MARK_RE.finditer(text):
        before = text[: match.start()].rstrip()
        if before.endswith(("TỐI", "TUYỆT")):
            continue
        prev_word = before.split()[-1] if before.split() else ""
        after = text[match.end() :].split()
        next_word = after[0] if after else ""
        if _caps_word(prev_word) or _caps_word(next_word):
            continue
        found.append("MẬT")
    return found


def security_marks_in_filename(name: str) -> bool:
    return bool(_FILE_MARK_RE.search(fold(name).replace(" ", "-"))) or bool(security_marks(name))


def _caps_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# -- working days ----------------------------------------------------------------------


def working_days_between(start: dt.date, end: dt.date, holidays: Iterable[dt.date] = ()) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end is earlier).

    Saturdays, Sundays and the configured holidays do not count: a document issued on
    Friday and posted on Monday was posted 1 working day later.
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    off = set(holidays)
    count = 0
    day = start
    # whole weeks first, so that a five-year-old post costs no more than a new one
    weeks = (end - start).days // 7
    if weeks:
        count += weeks * 5
        count -= sum(
            1 for h in off if start < h <= start + dt.timedelta(days=7 * weeks) and h.weekday() < 5
        )
        day = start + dt.timedelta(days=7 * weeks)
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            count += 1
    return count


def to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


_TAG_RE = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    """The text of an HTML fragment, white space folded (for length and search tests)."""
    return " ".join(_TAG_RE.sub(" ", html_text or "").split())
