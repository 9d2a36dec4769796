"""HTML matching by string search: a selector step's elements cut out of a page's source.

Parsing a whole page costs more than all the checks together; when a region's source has
no comments, scripts or raw text (``markup_only``), its start tags are real tags, and the
elements a selector step names can be found and cut out by string search alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any


def cut_region(text: str, tag: str, last: bool = False) -> str | None:
    """``<tag …>…</tag>`` from the text (first one, or last), or None: a page's region."""
    opening = "<" + tag
    start = text.rfind(opening) if last else text.find(opening)
    while start != -1 and text[start + len(opening) : start + len(opening) + 1] not in (
        " ",
        ">",
        "\n",
        "\t",
    ):
        start = text.rfind(opening, 0, start) if last else text.find(opening, start + 1)
    if start == -1:
        return None
    end = text.find("</" + tag + ">", start)
    return text[start : end + len(tag) + 3] if end != -1 else None


_START_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?/?>")
_ATTR_RE = re.compile(r"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class TagStub:
    """Enough of an element (tag, get) to match a selector step against a start tag's text."""

    __slots__ = ("attrs", "tag")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


def tag_attrs(tag: str) -> dict[str, str]:
    """The attributes of a start tag's text, names lower-cased, entities decoded."""
    attrs = {}
    for name, double, single, bare in _ATTR_RE.findall(tag):
        value = double or single or bare
        attrs[name.lower()] = html.unescape(value) if "&" in value else value
    return attrs


_OPAQUE_RE = re.compile(r"<(?:!--|script|template|textarea|style|SCRIPT|STYLE)")


def markup_only(text: str) -> bool:
    """No comments, scripts or raw text: a string search over it sees only real tags."""
    return _OPAQUE_RE.search(text) is None


def _needle(step: Any) -> str | None:
    """A string every start tag matching ``step`` contains (to find candidates fast)."""
    if step.id:
        return step.id
    if step.classes:
        return max(step.classes, key=len)
    for name, op, value in step.attrs:
        return value if op and value else name
    if step.tag and step.tag != "*":
        return "<" + step.tag
    return None


def _start_tags(text: str, step: Any, needle: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name as written) of the start tags in ``text`` that match ``step``."""
    pos = text.find(needle)
    while pos != -1:
        start = pos if needle[0] == "<" else text.rfind("<", 0, pos)
        close = text.find(">", start) if start != -1 else -1
        if close >= pos and text[start + 1 : start + 2].isalpha():
            raw = _tag_matches(text[start : close + 1], step)
            if raw is not None:
                yield start, close + 1, raw
        pos = text.find(needle, max(pos + 1, close))


_TAG_MATCHES: dict[tuple[str, Any], str | None] = {}  # template tags repeat on every page


def _tag_matches(tag: str, step: Any) -> str | None:
    """The name as written of the start tag ``tag`` if it matches ``step``, else None."""
    key = (tag, step)
    if key in _TAG_MATCHES:
        return _TAG_MATCHES[key]
    found = None
    match = _START_TAG_RE.match(tag)
    if match is not None:
        raw = match.group(1)
        if step.matches(TagStub(raw.lower(), tag_attrs(match.group(2) or ""))):
            found = raw
    if len(_TAG_MATCHES) < 20_000:
        _TAG_MATCHES[key] = found
    return found


def cut_sources(text: str, step: Any, markup_checked: bool = False) -> list[tuple[str, str]] | None:
    """(source, tag) of every element of ``text`` whose start tag matches ``step``.

    None when that cannot be done by string search: the step gives nothing to search
    for, the text has comments, scripts or raw text, or an element does not close.
    """
    needle = _needle(step)
    if needle is None or not (markup_checked or markup_only(text)):
        return None
    out = []
    for start, body, raw in _start_tags(text, step, needle):
        if not raw.islower():
            return None
        end = _element_end(text, body, raw)
        if end is None:
            return None
        out.append((text[start:end], raw))
    return out


def has_chain(
    text: str,
    steps: tuple[Any, ...],
    markup_checked: bool = False,
    cut: Callable[[Any], list[tuple[str, str]] | None] | None = None,
) -> bool | None:
    """Whether the descendant chain ``steps`` (``.a .b``) matches in ``text``, by string
    search alone: the last step's start tag inside an element cut for each earlier step.
    None when it cannot be decided that way (child combinator, nothing to search for…).
    ``cut(step)``, if given, returns ``cut_sources(text, step)`` (a page keeps its cuts:
    ``.article-tools .print`` and ``.article-tools .save`` cut ``.article-tools`` once)."""
    if any(step.combinator == ">" for step in steps[1:]) or any(
        _needle(step) is None for step in steps
    ):
        return None
    if not (markup_checked or markup_only(text)):
        return None
    *outer, last = steps
    return _chain(text, outer, last, cut)


def _chain(text: str, outer: list[Any], last: Any, cut: Any = None) -> bool | None:
    if not outer:
        return next(_start_tags(text, last, _needle(last)), None) is not None
    sources = cut(outer[0]) if cut else cut_sources(text, outer[0], markup_checked=True)
    if sources is None:
        return None
    for source, _tag in sources:
        found = _chain(source[source.index(">") + 1 :], outer[1:], last)
        if found is None or found:
            return found
    return False


def _element_end(text: str, body: int, tag: str) -> int | None:
    """Where the element whose start tag ends at ``body`` ends, counting nested ``tag``s."""
    if tag in _VOID or text[body - 2] == "/":
        return body
    opening, closing = "<" + tag, "</" + tag
    depth, pos = 1, body
    while True:
        end = text.find(closing, pos)
        if end == -1:
            return None
        after = end + len(closing)
        if text[after : after + 1] not in (">", " ", "\n", "\t"):
            pos = after
            continue
        nested = text.find(opening, pos, end)
        while nested != -1 and text[nested + len(opening)] not in " >\n\t/":
            nested = text.find(opening, nested + 1, end)
        if nested != -1:
            depth += 1
            pos = nested + len(opening)
            continue
        depth -= 1
        if not depth:
            close = text.find(">", after)
            return close + 1 if close != -1 else None
        pos = after
