"""Pick "Tin liên quan" for every post without comparing every pair of posts.

Pure code (no Pelican): posts come in as :class:`Item`. Each post is filed under
its unit, its category and each of its tags; candidates for a post are only its
date-neighbours inside those buckets (``window`` on each side), so the work is
O(posts x buckets per post x window), not O(posts²), even when one category
holds every post.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

#: How much one shared trait counts; tags are the most specific signal.
TAG_WEIGHT = 3
UNIT_WEIGHT = 2
CATEGORY_WEIGHT = 1


@dataclass(frozen=True)
class Item:
    """What relatedness looks at in a post."""

    key: Hashable
    timestamp: float
    unit: str = ""
    category: str = ""
    tags: frozenset[str] = frozenset()
    eligible: bool = True  # may be shown as related (drafts get related posts, never appear)


def score(a: Item, b: Item) -> int:
    """Shared tags weigh most, then the same unit, then the same category.

    The definition: :func:`related` inlines it in its inner loop, and
    tests/related_posts checks that the two rank alike."""
    value = TAG_WEIGHT * len(a.tags & b.tags)
    if a.unit and a.unit == b.unit:
        value += UNIT_WEIGHT
    if a.category and a.category == b.category:
        value += CATEGORY_WEIGHT
    return value


def _buckets(item: Item) -> list[tuple[str, str]]:
    keys = [("tag", tag) for tag in sorted(item.tags)]
    if item.unit:
        keys.append(("unit", item.unit))
    if item.category:
        keys.append(("category", item.category))
    return keys


def related(
    items: Sequence[Item], limit: int = 5, window: int = 25, stats: dict | None = None
) -> dict[Hashable, list[Hashable]]:
    """For each item's key, up to ``limit`` keys of related eligible items, best first.

    Ties in score go to the post closest in date, then to the newer one, so the
    result is stable from build to build. ``stats``, if given, gets ``pairs``: how many
    pairs were scored (:func:`score`, inlined).
    """
    if limit <= 0 or window <= 0:
        return {item.key: [] for item in items}
    index: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for position, item in enumerate(items):
        if item.eligible:
            for bucket in _buckets(item):
                index[bucket].append((item.timestamp, position))
    for entries in index.values():
        entries.sort()
    result: dict[Hashable, list[Hashable]] = {}
    for position, item in enumerate(items):
        candidates: set[int] = set()
        for bucket in _buckets(item):
            entries = index.get(bucket)
            if not entries:
                continue
            at = bisect.bisect_left(entries, (item.timestamp, position))
            for _, other in entries[max(0, at - window) : at + window + 1]:
                if other != position:
                    candidates.add(other)
        # score() inlined and the sort keyed by a list: this loop runs ~170 times per post
        others = list(candidates)
        tags, unit, category, when = item.tags, item.unit, item.category, item.timestamp
        keys = []
        for other in others:
            b = items[other]
            value = TAG_WEIGHT * len(tags & b.tags)
            if unit and unit == b.unit:
                value += UNIT_WEIGHT
            if category and category == b.category:
                value += CATEGORY_WEIGHT
            keys.append((-value, abs(b.timestamp - when), -b.timestamp))
        if stats is not None:
            stats["pairs"] = stats.get("pairs", 0) + len(others)
        ranked = sorted(range(len(others)), key=keys.__getitem__)[:limit]
        result[item.key] = [items[others[i]].key for i in ranked]
    return result
