"""Related posts ("Tin liên quan") for every article: same tags, unit and category.

Sets, after the articles are read:
  ``article.related_posts``  published articles, best first (empty when nothing is related);
                             the ranking lives in ``core.py`` and never compares every pair
  ``article.older_post`` / ``article.newer_post``  the published neighbours by date, or None
                             (Pelican 4.12 has no previous/next of its own)

Settings (defaults in brackets):
  RELATED_POSTS_MAX      how many to show [5]
  RELATED_POSTS_WINDOW   date-neighbours looked at per tag, unit and category [25]
"""

from __future__ import annotations

from pelican import signals

from plugins.build_guard import fail

from .core import Item, related

DEFAULTS = {"RELATED_POSTS_MAX": 5, "RELATED_POSTS_WINDOW": 25}


def check_settings(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
        current = pelican.settings[key]
        if not isinstance(current, int) or isinstance(current, bool) or current < 0:
            fail(f"pelicanconf.py: {key} must be a whole number ≥ 0, not {current!r}.")


def _item(article, eligible: bool) -> Item:
    unit = getattr(article, "unit", None)
    category = getattr(article, "category", None)
    return Item(
        key=id(article),
        timestamp=article.date.timestamp(),
        unit=getattr(unit, "slug", "") or "",
        category=getattr(category, "slug", "") or "",
        tags=frozenset(tag.slug for tag in getattr(article, "tags", None) or []),
        eligible=eligible,
    )


def _tie_order(article) -> tuple:
    return (-article.date.timestamp(), str(article.source_path))


def attach(generator) -> None:
    """Give every article and draft its related published articles."""
    settings = generator.settings
    # ties (two posts with the same date) in file order, never in reading order, so that
    # two builds of the same posts give the same neighbours and the same related lists
    published = sorted(generator.articles, key=_tie_order)
    drafts = sorted(getattr(generator, "drafts", []), key=_tie_order)
    posts = published + drafts
    by_key = {id(article): article for article in posts}
    items = [_item(a, True) for a in published] + [_item(a, False) for a in drafts]
    chosen = related(
        items,
        limit=settings.get("RELATED_POSTS_MAX", DEFAULTS["RELATED_POSTS_MAX"]),
        window=settings.get("RELATED_POSTS_WINDOW", DEFAULTS["RELATED_POSTS_WINDOW"]),
    )
    for article in posts:
        article.related_posts = [by_key[key] for key in chosen[id(article)]]
    by_date = sorted(published, key=lambda a: (a.date, str(a.source_path)))
    for position, article in enumerate(by_date):
        article.older_post = by_date[position - 1] if position > 0 else None
        article.newer_post = by_date[position + 1] if position + 1 < len(by_date) else None
    for draft in drafts:
        draft.older_post = draft.newer_post = None


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(attach)
