"""Scheduled posts: a post whose Date is in the future appears at that time.

The site is static, so "at that time" means the first build after it: CI rebuilds
hourly (see .github/workflows/portal.yml). In production a scheduled post is held
back exactly like a draft: not written, not in any list, archive, unit page or feed.
In the preview it is shown, with ``article.scheduled = True`` and
``article.scheduled_at`` (its Date) for the theme's "Hẹn giờ đăng: dd/mm/yyyy HH:MM".

Settings (defaults in brackets):
  SCHEDULING_PUBLISH_MODE  True in production (hold back), False in preview (show, marked)
                           [None: True when DRAFT_SAVE_AS == "" as in publishconf.py]
  SCHEDULING_NOW           ISO date-time used as "now", for tests and dry runs
                           ("what is live at 2024-09-10T08:00?") [None: the clock]
"""

from __future__ import annotations

import logging

from pelican import signals

from plugins.portal_core.failure import fail

from .core import SchedulingSettingError, current_time, publish_mode, split

logger = logging.getLogger(__name__)


def check_settings(pelican) -> None:
    try:
        publish_mode(pelican.settings)
        current_time(pelican.settings)
    except SchedulingSettingError as exc:
        fail(f"pelicanconf.py: {exc}")


def apply(generator) -> None:
    """Runs after reading, before categories, tags, archives and feeds are made."""
    settings = generator.settings
    now = current_time(settings)
    holding = publish_mode(settings)
    for article in [*generator.drafts, *generator.drafts_translations]:
        article.scheduled = False
    held = []
    for name in ("articles", "translations"):
        due, scheduled = split(getattr(generator, name), now)
        for article in due:
            article.scheduled = False
        for article in scheduled:
            article.scheduled = not holding
            article.scheduled_at = article.date
        if holding:
            setattr(generator, name, due)
            for article in scheduled:
                article.status = "draft"  # DRAFT_SAVE_AS is "" in production: never written
            target = generator.drafts if name == "articles" else generator.drafts_translations
            target.extend(scheduled)
            held += scheduled
    if held:
        logger.info(
            "Hẹn giờ đăng: %d bài chưa đến giờ, chưa xuất bản: %s",
            len(held),
            "; ".join(f"{a.source_path} ({a.date:%d/%m/%Y %H:%M})" for a in held),
        )


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_pretaxonomy.connect(apply)
