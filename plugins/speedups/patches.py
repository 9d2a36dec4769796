"""Pelican 4.12.0 made linear where it is quadratic, without copying its methods.

Each change gives what Pelican's own code gives (same lists, same order, same strings);
tests/speedups compares them with Pelican's. ``docs/upstream.md`` holds the pull request
that would let this module go.
"""

from __future__ import annotations

import datetime
import functools
import re
import string
from collections.abc import Sequence
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator

from plugins.portal_core.memberlist import MemberList, by_identity

PELICAN_VERSION = "4.12.0"

ORIGINAL = {
    "_build_period_archives": ArticlesGenerator._build_period_archives,
    "_expand_settings": Content._expand_settings,
}
_URL_FORMAT = Content.__dict__["url_format"]


# -- 1. list membership in O(1) --------------------------------------------------------------


def group_in_member_lists(generator: ArticlesGenerator) -> None:
    """Pelican fills ``tags``/``categories``/``authors`` right after this signal
    (``article_generator_pretaxonomy``): each group's list becomes a :class:`MemberList`."""
    for groups in (generator.tags, generator.categories, generator.authors):
        groups.default_factory = MemberList


def in_order_of(sequence: Sequence[Any], groups: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """For each group, ``[x for x in sequence if x in group]``, all in one pass."""
    if not by_identity(sequence) or not all(by_identity(group) for group in groups):
        return [[x for x in sequence if x in group] for group in groups]
    member_of: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        for item in group:
            indexes = member_of.setdefault(id(item), [])
            if not indexes or indexes[-1] != index:  # an item twice in a group counts once
                indexes.append(index)
    result: list[list[Any]] = [[] for _ in groups]
    for item in sequence:
        for index in member_of.get(id(item), ()):
            result[index].append(item)
    return result


def _build_period_archives(self, sorted_articles, articles, settings):
    """Pelican's archives, built with no ``articles`` (its ``[a for a in articles if a in
    dates]`` is then empty), then each archive's ``articles`` filled in one pass: the same
    lists in the same place of each dict."""
    period_archives = ORIGINAL["_build_period_archives"](self, sorted_articles, [], settings)
    for archives in period_archives.values():
        members = in_order_of(articles, [archive["dates"] for archive in archives])
        for archive, found in zip(archives, members, strict=True):
            archive["articles"] = found
    return period_archives


# -- 2. URLs without url_format when the pattern does not need it ---------------------------

#: The values url_format sets itself (over the metadata), computed as it computes them.
_OWN_VALUES = {
    "slug": lambda c: getattr(c, "slug", ""),
    "lang": lambda c: getattr(c, "lang", "en"),
    "date": lambda c: c.date if hasattr(c, "date") else datetime.datetime.now(),
    "author": lambda c: c.author.slug if hasattr(c, "author") else "",
    "category": lambda c: c.category.slug if hasattr(c, "category") else "",
}
_FIELD_NAME = re.compile(r"[^.\[]+")


@functools.cache
def pattern_fields(pattern: str) -> frozenset[str] | None:
    """The top-level names a ``str.format`` pattern uses, or None if it is not that simple

    (positional or empty fields, nested fields in a format spec, a malformed pattern).
    """
    names: set[str] = set()
    try:
        for _text, field, spec, _conversion in string.Formatter().parse(pattern):
            if field is None:
                continue
            match = _FIELD_NAME.match(field)
            if not match or match.group(0).isdigit() or (spec and "{" in spec):
                return None
            names.add(match.group(0))
    except ValueError:
        return None
    return frozenset(names)


def _expand_settings(self, key, klass=None):
    """``url_format`` copies the metadata and runs ``os.path.relpath`` on every call (some
    25 per post); a pattern made only of values it computes itself is formatted from those."""
    pattern = str(self.settings[f"{klass or type(self).__name__}_{key}".upper()])
    fields = pattern_fields(pattern)
    if (
        fields is None
        or not fields.issubset(_OWN_VALUES)
        or type(self).url_format is not _URL_FORMAT  # a subclass computes its own
    ):
        return ORIGINAL["_expand_settings"](self, key, klass)
    return pattern.format(**{name: _OWN_VALUES[name](self) for name in fields})


def install() -> None:
    """Put the linear versions in place of Pelican's (idempotent)."""
    signals.article_generator_pretaxonomy.connect(group_in_member_lists)
    ArticlesGenerator._build_period_archives = _build_period_archives
    Content._expand_settings = _expand_settings


def uninstall() -> None:
    """Pelican's own methods back (for tests that compare)."""
    signals.article_generator_pretaxonomy.disconnect(group_in_member_lists)
    ArticlesGenerator._build_period_archives = ORIGINAL["_build_period_archives"]
    Content._expand_settings = ORIGINAL["_expand_settings"]
