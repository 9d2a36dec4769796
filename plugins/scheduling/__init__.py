"""Scheduled posts: a post whose Date is in the future appears at that time.

The site is static, so "at that time" means the first build after it: CI rebuilds
hourly (see .github/workflows/portal.yml). In production a scheduled post is held
back exactly like a draft: not written, not in any list, archive, unit page or feed.
In the preview it is shown, with ``article.scheduled = True`` and
``article.scheduled_at`` (its Date) for the theme's "Hẹn giờ đăng: dd/mm/yyyy HH:MM".

Settings: docs/settings.md.
"""

from __future__ import annotations

import logging

from plugins.portal_core.settings import Option, Plugin, Settings

from .core import SchedulingSettingError, current_time, publish_mode, split

logger = logging.getLogger(__name__)


def _usable(check):
    def valid(value, settings) -> bool:
        try:
            check(settings)
        except SchedulingSettingError:
            return False
        return True

    return valid


class Scheduling(Plugin):
    """Scheduled posts: held back in production until their date, shown (marked) in the preview."""

    settings = Settings(
        SCHEDULING_PUBLISH_MODE=Option(
            None,
            "True holds scheduled posts back (production), False shows them marked (preview); "
            'None: True when DRAFT_SAVE_AS == "" (as in publishconf.py)',
            "True, False hoặc None",
            _usable(publish_mode),
        ),
        SCHEDULING_NOW=Option(
            None,
            'ISO date-time used as "now", for tests and dry runs; None: the clock',
            "một ngày giờ ISO như 2024-09-10T08:00, hoặc None",
            _usable(current_time),
        ),
    )

    def article_generator_pretaxonomy(self, generator) -> None:
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


register = Scheduling.register
