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


def _index(items: Sequence[Item]) -> dict[tuple[str, str], list[tuple[float, int]]]:
    """Each bucket's eligible posts as (timestamp, position), sorted."""
    index: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for position, item in enumerate(items):
        if item.eligible:
            for bucket in _buckets(item):
                index[bucket].append((item.timestamp, position))
    for entries in index.values():
        entries.sort()
    return index


def _rank(
    items: Sequence[Item],
    index: dict[tuple[str, str], list[tuple[float, int]]],
    position: int,
    limit: int,
    window: int,
    stats: dict | None,
) -> list[Hashable]:
    item = items[position]
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
        # the last tie-break is the order the caller gave: the same for the same posts
        keys.append((-value, abs(b.timestamp - when), -b.timestamp, other))
    if stats is not None:
        stats["pairs"] = stats.get("pairs", 0) + len(others)
    ranked = sorted(range(len(others)), key=keys.__getitem__)[:limit]
    return [items[others[i]].key for i in ranked]


def related(
    items: Sequence[Item], limit: int = 5, window: int = 25, stats: dict | None = None
) -> dict[Hashable, list[Hashable]]:
    """For each item's key, up to ``limit`` keys of related eligible items, best first.

    Ties in score go to the post closest in date, then to the newer one, then to the one
    given first, so the result is stable from build to build. ``stats``, if given, gets
    ``pairs``: how many pairs were scored (:func:`score`, inlined).
    """
    if limit <= 0 or window <= 0:
        return {item.key: [] for item in items}
    index = _index(items)
    return {
        item.key: _rank(items, index, position, limit, window, stats)
        for position, item in enumerate(items)
    }


@dataclass
class Memo:
    """One build's items and lists: what the next build updates instead of ranking all."""

    items: list[Item]
    limit: int
    window: int
    result: dict[Hashable, list[Hashable]]


def update(
    previous: Memo | None,
    items: Sequence[Item],
    limit: int = 5,
    window: int = 25,
    stats: dict | None = None,
) -> dict[Hashable, list[Hashable]]:
    """The same lists as :func:`related`, ranking again only the posts a change can reach.

    ``items`` and ``previous.items`` must be in the same total order (the caller's
    sort). A post's list depends only on the posts within ``window`` places of it in
    each of its buckets, so a new, removed or edited post changes the lists of the posts
    that have it within that distance, before or after the change, and no others. Drafts
    (never shown as related, a window of their own) are always ranked again. With many
    changes the plain full pass is cheaper. ``stats`` gets ``ranked``: posts ranked.
    """

    def full() -> dict[Hashable, list[Hashable]]:
        if stats is not None:
            stats["ranked"] = len(items)
        return related(items, limit, window, stats)

    if previous is None or (previous.limit, previous.window) != (limit, window):
        return full()
    if limit <= 0 or window <= 0:
        return full()
    before = {item.key: item for item in previous.items}
    now = {item.key: item for item in items}
    if len(before) != len(previous.items) or len(now) != len(items):
        return full()  # keys must identify posts
    changed = {key for key, item in now.items() if before.get(key) != item}
    changed |= before.keys() - now.keys()
    if len(changed) * 8 > len(items):
        return full()
    dirty = {key for key in changed if key in now}
    index = _index(items)
    for listing, by_key, listed in ((previous.items, before, None), (items, now, index)):
        position = {item.key: p for p, item in enumerate(listing)}
        listed = listed if listed is not None else _index(listing)
        for key in changed:
            item = by_key.get(key)
            if item is None or not item.eligible:
                continue
            for bucket in _buckets(item):
                entries = listed[bucket]
                at = bisect.bisect_left(entries, (item.timestamp, position[key]))
                for _, other in entries[max(0, at - window) : at + window + 1]:
                    dirty.add(listing[other].key)
    result: dict[Hashable, list[Hashable]] = {}
    ranked = 0
    for position, item in enumerate(items):
        old = previous.result.get(item.key)
        if old is None or item.key in dirty or not item.eligible:
            result[item.key] = _rank(items, index, position, limit, window, stats)
            ranked += 1
        else:
            result[item.key] = old
    if stats is not None:
        stats["ranked"] = ranked
    return result
