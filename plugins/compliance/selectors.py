"""Theme selectors as settings: parsed by ``cssselect``, matched by lxml, and kept to the
subset the string-search matcher (``htmlcut``) can answer without parsing a page.

Supported: type selectors, ``*``, ``.class``, ``#id``, ``[attr]``, ``[attr=value]``,
``[attr~=value]``, ``[attr^=value]``, descendant (space) and child (``>``) combinators,
and groups (``,``); anything else is rejected at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cssselect
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree
from lxml.cssselect import CSSSelector


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


_OPERATORS = {"exists": None, "=": "=", "~=": "~=", "^=": "^="}


@lru_cache(maxsize=256)
def parse_selector(selector: str) -> Selector:
    """The selector's groups as chains of steps; SelectorError outside the subset."""
    try:
        parsed = cssselect.parse(selector)
    except cssselect.SelectorError as exc:
        raise SelectorError(f"unsupported selector {selector!r}: {exc}") from None
    if not parsed or any(p.pseudo_element for p in parsed):
        raise SelectorError(f"unsupported selector {selector!r}")
    return Selector(tuple(_steps(p.parsed_tree, selector) for p in parsed))


def _steps(tree: Any, selector: str) -> tuple[Compound, ...]:
    if isinstance(tree, CombinedSelector):
        if tree.combinator not in (" ", ">"):
            raise SelectorError(f"unsupported combinator {tree.combinator!r} in {selector!r}")
        return (*_steps(tree.selector, selector), _compound(tree.subselector, tree.combinator))
    return (_compound(tree, " "),)


def _compound(node: Any, combinator: str) -> Compound:
    """One step from cssselect's tree (which nests a step's parts last-first)."""
    classes: list[str] = []
    attrs: list[tuple[str, str | None, str]] = []
    ident = ""
    while not isinstance(node, Element):
        if isinstance(node, Class):
            classes.insert(0, node.class_name)
        elif isinstance(node, Hash):
            ident = node.id
        elif isinstance(node, Attrib) and node.operator in _OPERATORS and not node.namespace:
            value = node.value.value if node.value is not None else ""
            attrs.insert(0, (node.attrib.lower(), _OPERATORS[node.operator], value))
        else:
            raise SelectorError(f"unsupported selector syntax {node!r}")
        node = node.selector
    if node.namespace:
        raise SelectorError(f"unsupported namespace in {node!r}")
    return Compound(combinator, (node.element or "").lower(), tuple(classes), ident, tuple(attrs))


@lru_cache(maxsize=256)
def compile_selector(selector: str) -> etree.XPath:
    """The selector as a compiled XPath (lxml's ``CSSSelector``); cached because every page
    uses the same few."""
    parse_selector(selector)  # the subset only
    return CSSSelector(selector, translator="html")
