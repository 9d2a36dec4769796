"""The patched methods (copies of Pelican 4.12.0's, changed where marked ``# changed``)."""

from __future__ import annotations

import calendar
import datetime
import logging
import os
import re
import string
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import attrgetter
from typing import Any

import pelican.contents as pelican_contents
import pelican.urlwrappers as pelican_urlwrappers
import pelican.utils as pelican_utils
from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.writers import FileOverwriteFailedError

PELICAN_VERSION = "4.12.0"

# Pelican's own logger, so its messages read as before.
logger = logging.getLogger("pelican.generators")

ORIGINAL = {
    "generate_tags": ArticlesGenerator.generate_tags,
    "generate_categories": ArticlesGenerator.generate_categories,
    "generate_authors": ArticlesGenerator.generate_authors,
    "_build_period_archives": ArticlesGenerator._build_period_archives,
    "_expand_settings": Content._expand_settings,
    "get_relative_source_path": Content.get_relative_source_path,
}
_CONTENT_METHODS = ("_expand_settings", "get_relative_source_path")
_URL_FORMAT = Content.__dict__["url_format"]


# -- 1. membership in one pass ------------------------------------------------------------


def _identity_eq(items: Iterable[Any]) -> bool:
    """True when ``x in list`` can only match ``x`` itself (no type defines ``__eq__``)."""
    return all(cls.__eq__ is object.__eq__ for cls in {type(item) for item in items})


def in_order_of(sequence: Sequence[Any], groups: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """For each group, ``[x for x in sequence if x in group]``, all in one pass.

    Same items, order and repetitions as the comprehension, in O(len(sequence) + total group
    size) instead of O(len(sequence) × total group size). Falls back to the comprehension
    when an item's type defines equality (then ``in`` is not identity).
    """
    if not _identity_eq(sequence) or not all(_identity_eq(group) for group in groups):
        return [[x for x in sequence if x in group] for group in groups]
    member_of: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        for item in group:
            indexes = member_of.setdefault(id(item), [])
            if not indexes or indexes[-1] != index:  # an item twice in a group counts once
                indexes.append(index)
    result: list[list[Any]] = [[] for _ in groups]
    for item in sequence:
        for index in member_of.get(id(item), ()):
            result[index].append(item)
    return result


def generate_tags(self, write):
    """Generate Tags pages."""
    tag_template = self.get_template("tag")
    tags = list(self.tags.items())  # changed: dates of every tag in one pass
    all_dates = in_order_of(self.dates, [articles for _, articles in tags])
    for (tag, articles), dates in zip(tags, all_dates, strict=True):
        try:
            write(
                tag.save_as,
                tag_template,
                self.context,
                tag=tag,
                url=tag.url,
                articles=articles,
                dates=dates,
                template_name="tag",
                blog=True,
                page_name=tag.page_name,
                all_articles=self.articles,
            )
        except FileOverwriteFailedError:
            if not tag.slug:
                logger.info(
                    'Tag "%s" has an invalid slug; skipping writing tag page...',
                    tag,
                    extra={"limit_msg": "Further tags with invalid slugs."},
                )
                continue
            else:
                logger.error('Failed to write Tag page for "%s".', tag)
                raise


def generate_categories(self, write):
    """Generate category pages."""
    category_template = self.get_template("category")
    # changed: dates of every category in one pass
    all_dates = in_order_of(self.dates, [articles for _, articles in self.categories])
    for (cat, articles), dates in zip(self.categories, all_dates, strict=True):
        try:
            write(
                cat.save_as,
                category_template,
                self.context,
                url=cat.url,
                category=cat,
                articles=articles,
                dates=dates,
                template_name="category",
                blog=True,
                page_name=cat.page_name,
                all_articles=self.articles,
            )
        except FileOverwriteFailedError:
            if not cat.slug:
                logger.info(
                    'Category "%s" has an invalid slug; skipping writing category page...',
                    cat,
                    extra={"limit_msg": "Further categories with invalid slugs."},
                )
                continue
            else:
                logger.error('Failed to write Category page for "%s".', cat)
                raise


def generate_authors(self, write):
    """Generate Author pages."""
    author_template = self.get_template("author")
    # changed: dates of every author in one pass
    all_dates = in_order_of(self.dates, [articles for _, articles in self.authors])
    for (aut, articles), dates in zip(self.authors, all_dates, strict=True):
        try:
            write(
                aut.save_as,
                author_template,
                self.context,
                url=aut.url,
                author=aut,
                articles=articles,
                dates=dates,
                template_name="author",
                blog=True,
                page_name=aut.page_name,
                all_articles=self.articles,
            )
        except FileOverwriteFailedError:
            if not aut.slug:
                logger.info(
                    'Author "%s" has an invalid slug; skipping writing author page...',
                    aut,
                    extra={"limit_msg": "Further authors with invalid slugs."},
                )
                continue
            else:
                logger.error('Failed to write Author page for "%s".', aut)
                raise


def _build_period_archives(self, sorted_articles, articles, settings):
    """
    Compute the groupings of articles, with related attributes, for
    per-year, per-month, and per-day archives.
    """

    period_archives = defaultdict(list)

    period_archives_settings = {
        "year": {
            "save_as": settings["YEAR_ARCHIVE_SAVE_AS"],
            "url": settings["YEAR_ARCHIVE_URL"],
        },
        "month": {
            "save_as": settings["MONTH_ARCHIVE_SAVE_AS"],
            "url": settings["MONTH_ARCHIVE_URL"],
        },
        "day": {
            "save_as": settings["DAY_ARCHIVE_SAVE_AS"],
            "url": settings["DAY_ARCHIVE_URL"],
        },
    }

    granularity_key_func = {
        "year": attrgetter("date.year"),
        "month": attrgetter("date.year", "date.month"),
        "day": attrgetter("date.year", "date.month", "date.day"),
    }

    for granularity in "year", "month", "day":
        save_as_fmt = period_archives_settings[granularity]["save_as"]
        url_fmt = period_archives_settings[granularity]["url"]
        key_func = granularity_key_func[granularity]

        if not save_as_fmt:
            # the archives for this period granularity are not needed
            continue

        for period, group in groupby(sorted_articles, key=key_func):
            archive = {}

            dates = list(group)
            archive["dates"] = dates
            # changed: "articles" is filled below, for every period in one pass

            # use the first date to specify the period archive URL
            # and save_as; the specific date used does not matter as
            # they all belong to the same period
            d = dates[0].date
            archive["save_as"] = save_as_fmt.format(date=d)
            archive["url"] = url_fmt.format(date=d)

            if granularity == "year":
                archive["period"] = (period,)
                archive["period_num"] = (period,)
            else:
                month_name = calendar.month_name[period[1]]
                if granularity == "month":
                    archive["period"] = (period[0], month_name)
                else:
                    archive["period"] = (period[0], month_name, period[2])
                archive["period_num"] = tuple(period)

            period_archives[granularity].append(archive)

        # changed: [a for a in articles if a in dates] for every archive, in one pass
        archives = period_archives.get(granularity, [])
        for archive, members in zip(
            archives, in_order_of(articles, [a["dates"] for a in archives]), strict=True
        ):
            archive["articles"] = members
            # Pelican's dicts have "articles" before "save_as": keep the key order
            for moved in ("save_as", "url", "period", "period_num"):
                archive[moved] = archive.pop(moved)

    return period_archives


# -- 2. URLs without url_format when the pattern does not need it ---------------------------

#: The values url_format sets itself (over the metadata), computed as it computes them.
_OWN_VALUES = {
    "slug": lambda c: getattr(c, "slug", ""),
    "lang": lambda c: getattr(c, "lang", "en"),
    "date": lambda c: c.date if hasattr(c, "date") else datetime.datetime.now(),
    "author": lambda c: c.author.slug if hasattr(c, "author") else "",
    "category": lambda c: c.category.slug if hasattr(c, "category") else "",
}
_FIELD_NAME = re.compile(r"[^.\[]+")
_fields_of_pattern: dict[str, frozenset[str] | None] = {}


def pattern_fields(pattern: str) -> frozenset[str] | None:
    """The top-level names a ``str.format`` pattern uses, or None if it is not that simple

    (positional or empty fields, nested fields in a format spec, a malformed pattern).
    """
    try:
        return _fields_of_pattern[pattern]
    except KeyError:
        pass
    names: set[str] | None = set()
    try:
        for _text, field, spec, _conversion in string.Formatter().parse(pattern):
            if field is None:
                continue
            match = _FIELD_NAME.match(field)
            if not match or match.group(0).isdigit() or (spec and "{" in spec):
                names = None
                break
            names.add(match.group(0))
    except ValueError:
        names = None
    result = frozenset(names) if names is not None else None
    _fields_of_pattern[pattern] = result
    return result


def _expand_settings(self, key, klass=None):
    if not klass:
        klass = self.__class__.__name__
    fq_key = (f"{klass}_{key}").upper()
    pattern = str(self.settings[fq_key])
    fields = pattern_fields(pattern)
    if (
        fields is None
        or not fields.issubset(_OWN_VALUES)
        or type(self).url_format is not _URL_FORMAT  # a subclass computes its own
    ):
        return pattern.format(**self.url_format)
    return pattern.format(**{name: _OWN_VALUES[name](self) for name in fields})


# -- 3. slugs computed once per distinct name --------------------------------------------

_SLUGIFY = pelican_utils.slugify
_slugs: dict[tuple, str] = {}


def slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):  # changed: memo
    """Pelican's slugify, once per distinct input: every post's tags, category and unit
    objects compute their slug again (unidecode and a dozen regular expressions each)."""
    subs = tuple(tuple(pair) for pair in regex_subs)  # read once: it may be an iterator
    try:
        key = (value, subs, preserve_case, use_unicode)
        found = _slugs.get(key)
    except TypeError:  # an input that cannot be a key: Pelican's own
        return _SLUGIFY(value, subs, preserve_case, use_unicode)
    if found is None:
        found = _slugs[key] = _SLUGIFY(value, subs, preserve_case, use_unicode)
    return found


# -- 4. a post's path relative to the content folder, once per path ----------------------

_relative_paths: dict[tuple[str, str, str], str] = {}


def get_relative_source_path(self, source_path=None):  # changed: memo
    """Pelican's answer, once per (content folder, path, working folder): it is asked
    three times per post (two ``abspath`` and a ``relpath`` each time)."""
    if not source_path:
        source_path = self.source_path
    if source_path is None:
        return None
    try:
        key = (str(self.settings["PATH"]), os.fspath(source_path), os.getcwd())
    except TypeError:  # not a path: Pelican's own
        return ORIGINAL["get_relative_source_path"](self, source_path)
    found = _relative_paths.get(key)
    if found is None:
        found = _relative_paths[key] = ORIGINAL["get_relative_source_path"](self, source_path)
    return found


def install() -> None:
    """Put the linear versions in place of Pelican's (idempotent)."""
    pelican_contents.slugify = slugify
    pelican_urlwrappers.slugify = slugify
    ArticlesGenerator.generate_tags = generate_tags
    ArticlesGenerator.generate_categories = generate_categories
    ArticlesGenerator.generate_authors = generate_authors
    ArticlesGenerator._build_period_archives = _build_period_archives
    Content._expand_settings = _expand_settings
    Content.get_relative_source_path = get_relative_source_path


def uninstall() -> None:
    """Pelican's own methods back (for tests that compare)."""
    for name, method in ORIGINAL.items():
        owner = (
            Content
            if name in ("_expand_settings", "get_relative_source_path")
            else ArticlesGenerator
        )
        setattr(owner, name, method)
    pelican_contents.slugify = pelican_urlwrappers.slugify = _SLUGIFY
