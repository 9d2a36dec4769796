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
from jinja2 import pass_context
from markupsafe import Markup


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


def _datetime_key(value: dt.datetime) -> tuple:
    """Everything Babel reads from ``value`` (naive equality ignores ``fold``; the tzinfo is
    compared by identity through its hash)."""
    return (
        type(value),
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        value.fold,
        value.tzinfo,
    )


def _memoized(function: Callable, key: Callable) -> Callable:
    """``function`` with its results kept (per filter set, i.e. per build's Jinja environment).

    Only for pure functions of what ``key`` returns; a value that has no key (or an
    unhashable one) is computed every time, and raises what ``function`` raises.
    """
    results: dict = {}

    @functools.wraps(function)
    def cached(value):
        try:
            k = key(value)
            return results[k]
        except KeyError:
            results[k] = function(value)
            return results[k]
        except (AttributeError, TypeError):
            return function(value)

    return cached


def date_filters(lang: str) -> dict[str, Callable]:
    """The Babel filters. A site formats the same dates on many pages (a post's date is on
    its page, in listings, sidebars and related lists): each distinct value is formatted once."""

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
        "datetime_vn": _memoized(datetime_vn, _datetime_key),
        "date_vn": _memoized(date_vn, _datetime_key),
        "time_date_vn": _memoized(time_date_vn, _datetime_key),
        "number_vn": _memoized(number_vn, lambda value: (type(value), value)),
        "iso_datetime": iso_datetime,
    }


def cached_gettext(environment) -> None:
    """Keep the results of the newstyle ``gettext`` installed in ``environment``.

    Jinja's newstyle ``gettext(string, **variables)`` is ``Markup(catalogue.gettext(string)) %
    variables`` (without Markup when autoescape is off): a pure function of the string, the
    autoescape flag and the variables. Every page calls ``_()`` some 60 times with the same
    strings, through two ``Context.call`` layers each; here ``_`` and ``gettext`` look the
    result up instead. Calls whose variables are not all plain strings or integers (whose
    ``%`` result could depend on more than their value) go the original way.
    """
    original = environment.globals["gettext"]
    results: dict = {}

    @pass_context
    def gettext(__context, __string, **variables):
        autoescape = __context.eval_ctx.autoescape
        if variables:
            if not all(type(v) in _PLAIN for v in variables.values()):
                return __context.call(original, __string, **variables)
            key = (__string, autoescape, tuple((k, type(v), v) for k, v in variables.items()))
        else:
            key = (__string, autoescape)
        try:
            return results[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable message id: let Jinja's own code deal with it
            return __context.call(original, __string, **variables)
        rv = results[key] = __context.call(original, __string, **variables)
        return rv

    @pass_context
    def alias(__context, *args, **kwargs):
        found = __context.resolve("gettext")
        if found is gettext and len(args) == 1:
            return gettext(__context, *args, **kwargs)
        return __context.call(found, *args, **kwargs)

    environment.globals["gettext"] = gettext
    environment.globals["_"] = alias


_PLAIN = (str, Markup, int)
