"""Message catalogues read straight from ``.po`` files, and Babel formatting filters.

Reading the ``.po`` file at build time (instead of a compiled ``.mo``) means
translators edit one file and nothing generated is kept in git.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from collections.abc import Callable

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations


class CatalogError(ValueError):
    pass


def catalog_path(directory: str, lang: str) -> str:
    return os.path.join(directory, lang, "LC_MESSAGES", "messages.po")


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Translations:
    with open(path, "rb") as handle:
        try:
            catalog = read_po(handle, abort_invalid=True)
        except Exception as exc:  # babel raises several types for a broken .po
            raise CatalogError(f"{path}: {exc}") from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def load_translations(directory: str, lang: str) -> Translations:
    path = catalog_path(directory, lang)
    if not os.path.isfile(path):
        raise CatalogError(
            f"no catalogue for language '{lang}' at {path}; set DEFAULT_LANG to a language "
            "that has one, or add it (see docs/translations.md)"
        )
    return _load(path, os.path.getmtime(path))


def date_filters(lang: str) -> dict[str, Callable]:
    def datetime_vn(value: dt.datetime) -> str:
        return format_datetime(value, "dd/MM/yyyy HH:mm", tzinfo=value.tzinfo, locale=lang)

    def date_vn(value: dt.datetime) -> str:
        return format_datetime(value, "dd/MM/yyyy", tzinfo=value.tzinfo, locale=lang)

    def time_date_vn(value: dt.datetime) -> str:
        return format_datetime(value, "HH:mm dd/MM/yyyy", tzinfo=value.tzinfo, locale=lang)

    def number_vn(value: int | float) -> str:
        return format_decimal(value, locale=lang)

    def iso_datetime(value: dt.datetime) -> str:
        return value.isoformat()

    return {
        "datetime_vn": datetime_vn,
        "date_vn": date_vn,
        "time_date_vn": time_date_vn,
        "number_vn": number_vn,
        "iso_datetime": iso_datetime,
    }
