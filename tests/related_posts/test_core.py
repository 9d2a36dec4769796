"""Related-post ranking (pure): tags first, then unit, then category; no pairwise work."""

import random

from plugins.related_posts import core
from plugins.related_posts.core import Item, Memo, related, update


def _item(key, day, unit="u", category="c", tags=(), eligible=True):
    return Item(key, day * 86400.0, unit, category, frozenset(tags), eligible)


def test_shared_tags_beat_same_unit_which_beats_same_category():
    items = [
        _item("me", 10, unit="a", category="x", tags={"cầu"}),
        _item("tag", 1, unit="b", category="y", tags={"cầu"}),
        _item("unit", 9, unit="a", category="y"),
        _item("category", 11, unit="b", category="x"),
        _item("nothing", 10, unit="b", category="y"),
    ]
    assert related(items, limit=5)["me"] == ["tag", "unit", "category"]


def test_ties_go_to_the_closest_date_then_the_newer():
    items = [_item("me", 10), _item("far", 1), _item("near-old", 9), _item("near-new", 11)]
    assert related(items, limit=3)["me"] == ["near-new", "near-old", "far"]


def test_drafts_get_related_posts_but_are_never_shown_as_related():
    items = [_item("a", 1), _item("draft", 2, eligible=False)]
    result = related(items)
    assert result["draft"] == ["a"]
    assert result["a"] == []


def test_limit_and_empty_cases():
    items = [_item(i, i) for i in range(10)]
    assert len(related(items, limit=3)[0]) == 3
    assert related(items, limit=0)[0] == []
    assert related([]) == {}


def test_work_grows_linearly_not_quadratically():
    stats: dict = {}
    n, window = 3000, 10
    items = [_item(i, i, unit=f"u{i % 7}", category="one", tags={f"t{i % 11}"}) for i in range(n)]
    related(items, limit=5, window=window, stats=stats)
    # Each post looks at most 2 x window neighbours in each of its 3 buckets.
    assert n <= stats["pairs"] <= n * 3 * 2 * window
    assert stats["pairs"] < n * n / 10


def _reference_related(items, limit, window):
    """The ranking as first written: score() per candidate, sorted by a key function."""
    import bisect
    from collections import defaultdict

    index = defaultdict(list)
    for position, item in enumerate(items):
        if item.eligible:
            for bucket in core._buckets(item):
                index[bucket].append((item.timestamp, position))
    for entries in index.values():
        entries.sort()
    result = {}
    for position, item in enumerate(items):
        candidates = set()
        for bucket in core._buckets(item):
            entries = index.get(bucket) or []
            at = bisect.bisect_left(entries, (item.timestamp, position))
            for _, other in entries[max(0, at - window) : at + window + 1]:
                if other != position:
                    candidates.add(other)
        ranked = sorted(
            candidates,
            key=lambda o: (
                -core.score(item, items[o]),
                abs(items[o].timestamp - item.timestamp),
                -items[o].timestamp,
                o,
            ),
        )
        result[item.key] = [items[o].key for o in ranked[:limit]]
    return result


def test_same_ranking_as_score_with_many_ties():
    rng = random.Random(3)
    items = [
        _item(
            i,
            rng.randint(0, 40),  # many posts share a day: ties on score and date
            unit=rng.choice(["u1", "u2", ""]),
            category=rng.choice(["c1", "c2", ""]),
            tags=set(rng.sample(["a", "b", "c", "d", "e"], rng.randint(0, 3))),
            eligible=rng.random() > 0.1,
        )
        for i in range(600)
    ]
    assert related(items, limit=5, window=8) == _reference_related(items, 5, 8)


def test_posts_with_the_same_date_get_the_same_neighbours_whatever_the_reading_order():
    import datetime as dt
    from types import SimpleNamespace

    from plugins.related_posts import RelatedPosts

    when = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)

    def post(name: str):
        return SimpleNamespace(date=when, source_path=f"posts/{name}.md", tags=[], unit=None)

    results = []
    for order in (["a", "b", "c"], ["c", "a", "b"], ["b", "c", "a"]):
        posts = {name: post(name) for name in order}
        generator = SimpleNamespace(settings={}, articles=list(posts.values()), drafts=[])
        RelatedPosts().article_generator_finalized(generator)
        results.append(
            {
                name: (
                    getattr(p.older_post, "source_path", None),
                    [r.source_path for r in p.related_posts],
                )
                for name, p in posts.items()
            }
        )
    assert results[0] == results[1] == results[2]


def _random_post(rng: random.Random, key: str, day: int) -> Item:
    return _item(
        key,
        day,
        unit=rng.choice(["u1", "u2", "u3", ""]),
        category=rng.choice(["c1", "c2", ""]),
        tags=set(rng.sample(["a", "b", "c", "d", "e", "f"], rng.randint(0, 3))),
        eligible=rng.random() > 0.05,
    )


def _ordered(items: list[Item]) -> list[Item]:
    # the plugin's order: published newest first, ties by file, then drafts
    return sorted(items, key=lambda i: (not i.eligible, -i.timestamp, str(i.key)))


def test_update_gives_the_full_ranking_over_adds_edits_and_deletes():
    rng = random.Random(11)
    posts = {f"p{i:04d}": _random_post(rng, f"p{i:04d}", rng.randint(0, 300)) for i in range(900)}
    items = _ordered(list(posts.values()))
    memo = Memo(items, 5, 6, related(items, 5, 6))
    ranked_at_most = []
    for step in range(60):
        action = rng.choice(["add", "edit", "delete", "retag", "redate", "several"])
        keys = sorted(posts)
        if action == "add":
            key = f"n{step:04d}"
            posts[key] = _random_post(rng, key, rng.choice([300, rng.randint(0, 300)]))
        elif action == "delete":
            del posts[rng.choice(keys)]
        elif action == "several":
            for key in rng.sample(keys, 5):
                posts[key] = _random_post(rng, key, int(posts[key].timestamp // 86400))
        else:
            key = rng.choice(keys)
            old = posts[key]
            day = rng.randint(0, 300) if action == "redate" else int(old.timestamp // 86400)
            posts[key] = _random_post(rng, key, day) if action != "edit" else old
        items = _ordered(list(posts.values()))
        stats: dict = {}
        got = update(memo, items, 5, 6, stats)
        assert got == related(items, 5, 6), (step, action)
        ranked_at_most.append(stats["ranked"])
        memo = Memo(items, 5, 6, got)
    # a change re-ranks a neighbourhood, not the site
    assert sorted(ranked_at_most)[len(ranked_at_most) // 2] < len(posts) // 4


def test_update_without_a_usable_memo_ranks_everything():
    rng = random.Random(5)
    items = _ordered([_random_post(rng, f"p{i}", i % 50) for i in range(200)])
    for memo in (None, Memo(items, 4, 6, {}), Memo(items, 5, 7, {})):
        stats: dict = {}
        assert update(memo, items, 5, 6, stats) == related(items, 5, 6)
        assert stats["ranked"] == len(items)
