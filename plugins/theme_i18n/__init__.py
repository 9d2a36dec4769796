"""Jinja i18n for the theme: gettext from Babel message catalogues, Babel date/number filters.

The theme's interface strings are English msgids in ``{% trans %}`` / ``_()``; the
catalogue for DEFAULT_LANG (``theme/translations/<lang>/LC_MESSAGES/messages.po``)
supplies the words shown. A second language is a second catalogue.

Settings: docs/settings.md (DEFAULT_LANG, Pelican's, picks the catalogue and Babel locale).
Filters: ``datetime_vn`` (12/09/2023 13:43), ``date_vn`` (12/09/2023),
``time_date_vn`` (13:43 12/09/2023), ``number_vn`` (278.872), ``iso_datetime``.
"""

from __future__ import annotations

import os

from plugins.portal_core.failure import fail
from plugins.portal_core.settings import Plugin, Settings, folder

from .catalog import CatalogError, cached_gettext, date_filters, load_translations


class ThemeI18n(Plugin):
    """Theme translations: gettext from the catalogue of DEFAULT_LANG, Vietnamese date filters."""

    settings = Settings(
        THEME_TRANSLATIONS_DIR=folder(
            lambda settings: os.path.join(settings["THEME"], "translations"),
            "the theme's message catalogues",
            shown='THEME + "/translations"',
        )
    )

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        settings = pelican.settings
        try:
            load_translations(
                settings["THEME_TRANSLATIONS_DIR"], settings.get("DEFAULT_LANG", "vi")
            )
        except CatalogError as exc:
            fail(f"Theme translations: {exc}")

    def generator_init(self, generator) -> None:
        settings = generator.settings
        lang = settings.get("DEFAULT_LANG", "vi")
        env = generator.env
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(
            load_translations(settings["THEME_TRANSLATIONS_DIR"], lang), newstyle=True
        )
        cached_gettext(env)
        env.filters.update(date_filters(lang))


register = ThemeI18n.register
