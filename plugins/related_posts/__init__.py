"""Related posts ("Tin liên quan") for every article: same tags, unit and category.

Sets, after the articles are read:
  ``article.related_posts``  published articles, best first (empty when nothing is related);
                             the ranking lives in ``core.py`` and never compares every pair
  ``article.older_post`` / ``article.newer_post``  the published neighbours by date, or None
                             (Pelican 4.12 has no previous/next of its own)

Settings: docs/settings.md.
"""

from __future__ import annotations

import contextlib
import os
import pickle

from plugins.portal_core import plainpickle
from plugins.portal_core.files import beside_content
from plugins.portal_core.settings import Plugin, Settings, folder, number

from .core import Item, Memo, update

#: the memo file's format; another one is ignored (everything ranked again)
MEMO_FORMAT = "related-posts-1"


def memo_path(settings) -> str:
    return os.path.join(
        beside_content(settings, settings["RELATED_POSTS_CACHE_PATH"]), "related.pickle"
    )


def load_memo(path: str) -> Memo | None:
    """The last build's lists, or None when missing, damaged or of another format."""
    stored = plainpickle.load(path)
    try:
        if stored.get("format") != MEMO_FORMAT:
            return None
        items = [Item(k, t, u, c, frozenset(g), e) for k, t, u, c, g, e in stored["items"]]
        return Memo(items, stored["limit"], stored["window"], stored["result"])
    except Exception:  # any damage: rank everything, as a first build does
        return None


def save_memo(path: str, memo: Memo) -> None:
    stored = {
        "format": MEMO_FORMAT,
        "items": [
            (i.key, i.timestamp, i.unit, i.category, tuple(i.tags), i.eligible) for i in memo.items
        ],
        "limit": memo.limit,
        "window": memo.window,
        "result": memo.result,
    }
    # only the next build's speed depends on it
    with contextlib.suppress(OSError, pickle.PicklingError):
        plainpickle.save(path, stored)


def _item(article, eligible: bool, key) -> Item:
    unit = getattr(article, "unit", None)
    category = getattr(article, "category", None)
    return Item(
        key=key(article),
        timestamp=article.date.timestamp(),
        unit=getattr(unit, "slug", "") or "",
        category=getattr(category, "slug", "") or "",
        tags=frozenset(tag.slug for tag in getattr(article, "tags", None) or []),
        eligible=eligible,
    )


def _source_key(article) -> str:
    return str(article.source_path)


def _tie_order(article) -> tuple:
    return (-article.date.timestamp(), str(article.source_path))


class RelatedPosts(Plugin):
    """Related posts ("Tin liên quan") and the older/newer neighbours of every article."""

    settings = Settings(
        RELATED_POSTS_MAX=number(
            5, "how many to show", message="{name} must be a whole number ≥ 0, not {value!r}."
        ),
        RELATED_POSTS_WINDOW=number(25, "date-neighbours looked at per tag, unit and category"),
        RELATED_POSTS_CACHE_PATH=folder(
            "cache/related",
            "the last build's lists, so a build re-ranks only the posts near a change; relative "
            "to the folder holding PATH; not read when INCREMENTAL_BUILD is False",
        ),
    )

    def article_generator_finalized(self, generator) -> None:
        """Give every article and draft its related published articles."""
        settings = generator.settings
        # ties (two posts with the same date) in file order, never in reading order, so that
        # two builds of the same posts give the same neighbours and the same related lists
        published = sorted(generator.articles, key=_tie_order)
        drafts = sorted(getattr(generator, "drafts", []), key=_tie_order)
        posts = published + drafts
        # posts are known by their file from build to build (the memo's keys)
        key = _source_key
        if len({_source_key(article) for article in posts}) != len(posts):
            key = id  # two posts from one file (never in Pelican): no memo
        by_key = {key(article): article for article in posts}
        items = [_item(a, True, key) for a in published] + [_item(a, False, key) for a in drafts]
        defaults = self.settings.defaults()
        limit = settings.get("RELATED_POSTS_MAX", defaults["RELATED_POSTS_MAX"])
        window = settings.get("RELATED_POSTS_WINDOW", defaults["RELATED_POSTS_WINDOW"])
        # (no cache setting: attach() called without the plugin's start-up, as in a unit test)
        keep = key is _source_key and bool(settings.get("RELATED_POSTS_CACHE_PATH"))
        path = memo_path(settings) if keep else ""
        previous = load_memo(path) if keep and settings.get("INCREMENTAL_BUILD", True) else None
        chosen = update(previous, items, limit=limit, window=window)
        if keep:
            save_memo(path, Memo(items, limit, window, chosen))
        for article in posts:
            article.related_posts = [by_key[other] for other in chosen[key(article)]]
        by_date = sorted(published, key=lambda a: (a.date, str(a.source_path)))
        for position, article in enumerate(by_date):
            article.older_post = by_date[position - 1] if position > 0 else None
            article.newer_post = by_date[position + 1] if position + 1 < len(by_date) else None
        for draft in drafts:
            draft.older_post = draft.newer_post = None


register = RelatedPosts.register
