"""Theme selectors as settings: a small CSS subset, translated to XPath.

lxml's own ``cssselect`` needs a package the project does not ship. Supported: type
selectors, ``*``, ``.class``, ``#id``, ``[attr]``, ``[attr=value]``, ``[attr~=value]``,
``[attr^=value]``, descendant (space) and child (``>``) combinators, and groups
(``,``); anything else is rejected at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

_TOKEN_RE = re.compile(
    r"""(?:
        (?P<comb>\s*>\s*)
      | (?P<space>\s+)
      | (?P<tag>[a-zA-Z][a-zA-Z0-9-]*|\*)
      | \.(?P<cls>[\w-]+)
      | \#(?P<id>[\w-]+)
      | \[\s*(?P<attr>[\w:-]+)\s*(?:(?P<op>[~^]?=)\s*(?P<val>"[^"]*"|'[^']*'|[^\]\s]+)\s*)?\]
    )""",
    re.VERBOSE,
)


class SelectorError(ValueError):
    pass


@dataclass(frozen=True)
class Compound:
    """One step such as ``form[role=search]`` or ``.article-tools``."""

    combinator: str  # " " (descendant of the previous step) or ">" (child of it)
    tag: str = ""
    classes: tuple[str, ...] = ()
    id: str = ""
    attrs: tuple[tuple[str, str | None, str], ...] = ()  # (name, op, value)

    def __post_init__(self) -> None:  # hashed once: steps key every page's cuts and tag memos
        object.__setattr__(self, "_hash", hash(self._fields()))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined,no-any-return]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # rebuilt, so rehashed, when loaded
        return (Compound, self._fields())

    def _fields(self) -> tuple[Any, ...]:
        return (self.combinator, self.tag, self.classes, self.id, self.attrs)

    def matches(self, el: Any) -> bool:
        if self.tag and self.tag != "*" and el.tag != self.tag:
            return False
        if self.classes:
            have = (el.get("class") or "").split()
            if not all(c in have for c in self.classes):
                return False
        if self.id and el.get("id") != self.id:
            return False
        for name, op, value in self.attrs:
            got = el.get(name)
            if got is None:
                return False
            if (
                (op == "=" and got != value)
                or (op == "~=" and value not in got.split())
                or (op == "^=" and not got.startswith(value))
            ):
                return False
        return True


@dataclass(frozen=True)
class Selector:
    groups: tuple[tuple[Compound, ...], ...]


@lru_cache(maxsize=256)
def parse_selector(selector: str) -> Selector:
    groups = [g.strip() for g in selector.split(",")]
    if not all(groups):
        raise SelectorError(f"empty selector in {selector!r}")
    return Selector(tuple(_parse_group(g) for g in groups))


def _parse_group(text: str) -> tuple[Compound, ...]:
    steps: list[Compound] = []
    combinator = " "
    parts: dict[str, Any] = {}
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if not match or match.end() == pos:
            raise SelectorError(f"unsupported selector syntax at {text[pos:]!r}")
        pos = match.end()
        if match.group("comb") or match.group("space"):
            if parts:
                steps.append(_compound(combinator, parts))
                parts, combinator = {}, " "
            if match.group("comb"):
                combinator = ">"
            continue
        if match.group("tag"):
            if parts:
                raise SelectorError(f"unsupported selector {text!r}")
            parts["tag"] = match.group("tag").lower()
        elif match.group("cls"):
            parts.setdefault("classes", []).append(match["cls"])
        elif match.group("id"):
            parts["id"] = match["id"]
        else:
            value = (match["val"] or "").strip("\"'")
            parts.setdefault("attrs", []).append((match["attr"], match["op"], value))
    if parts:
        steps.append(_compound(combinator, parts))
    if not steps:
        raise SelectorError(f"empty selector {text!r}")
    return tuple(steps)


def _compound(combinator: str, parts: dict[str, Any]) -> Compound:
    return Compound(
        combinator,
        parts.get("tag", ""),
        tuple(parts.get("classes", ())),
        parts.get("id", ""),
        tuple(parts.get("attrs", ())),
    )


def css_to_xpath(selector: str) -> str:
    """The selector as XPath, relative to the context node."""
    out = []
    for steps in parse_selector(selector).groups:
        parts = []
        for index, step in enumerate(steps):
            axis = (
                "descendant-or-self::"
                if index == 0
                else ("child::" if step.combinator == ">" else "descendant::")
            )
            preds = [  # the cheap substring test first, the exact token test second
                f"contains(@class, '{c}') and "
                f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
                for c in step.classes
            ]
            if step.id:
                preds.append(f"@id='{step.id}'")
            for name, op, value in step.attrs:
                preds.append(
                    f"@{name}"
                    if op is None
                    else {
                        "=": f"@{name}='{value}'",
                        "~=": f"contains(concat(' ', normalize-space(@{name}), ' '), ' {value} ')",
                        "^=": f"starts-with(@{name}, '{value}')",
                    }[op]
                )
            parts.append(axis + (step.tag or "*") + "".join(f"[{p}]" for p in preds))
        out.append("/".join(parts))
    return " | ".join(out)


@lru_cache(maxsize=256)
def compile_selector(selector: str) -> etree.XPath:
    """A compiled XPath for the selector; cached because every page uses the same few."""
    return etree.XPath(css_to_xpath(selector))
