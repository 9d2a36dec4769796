"""Jinja i18n for the theme: gettext from Babel message catalogues, Babel date/number filters.

The theme's interface strings are English msgids in ``{% trans %}`` / ``_()``; the
catalogue for DEFAULT_LANG (``theme/translations/<lang>/LC_MESSAGES/messages.po``)
supplies the words shown. A second language is a second catalogue.

Settings (defaults in brackets):
  DEFAULT_LANG              catalogue and Babel locale ["vi"]
  THEME_TRANSLATIONS_DIR    [THEME + "/translations"]
Filters: ``datetime_vn`` (12/09/2023 13:43), ``date_vn`` (12/09/2023),
``time_date_vn`` (13:43 12/09/2023), ``number_vn`` (278.872), ``iso_datetime``.
"""

from __future__ import annotations

import os

from pelican import signals

from plugins.portal_core.failure import fail

from .catalog import CatalogError, cached_gettext, date_filters, load_translations


def check_settings(pelican) -> None:
    settings = pelican.settings
    settings.setdefault("THEME_TRANSLATIONS_DIR", os.path.join(settings["THEME"], "translations"))
    try:
        load_translations(settings["THEME_TRANSLATIONS_DIR"], settings.get("DEFAULT_LANG", "vi"))
    except CatalogError as exc:
        fail(f"Theme translations: {exc}")


def install(generator) -> None:
    settings = generator.settings
    lang = settings.get("DEFAULT_LANG", "vi")
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(
        load_translations(settings["THEME_TRANSLATIONS_DIR"], lang), newstyle=True
    )
    cached_gettext(env)
    env.filters.update(date_filters(lang))


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(install)
