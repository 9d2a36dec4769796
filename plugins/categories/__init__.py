"""Categories: the registry and the ``Category:`` field, resolved to one canonical name.

Settings (defaults in brackets):
  CATEGORIES_FILE  registry file, relative to PATH ["categories.yml"]
Category pages themselves are Pelican's (CATEGORY_URL, CATEGORY_SAVE_AS).
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.contents import Category

from plugins.portal_core import problems
from plugins.portal_core.registry import Registry
from plugins.portal_core.signals import metadata_read

from .registry import load_categories

_registry = Registry([], "chuyên mục")


def registry() -> Registry:
    return _registry


def apply_defaults(pelican) -> None:
    pelican.settings.setdefault("CATEGORIES_FILE", "categories.yml")


def load_registry(pelican) -> None:
    global _registry
    settings = pelican.settings
    path = os.path.join(settings["PATH"], settings["CATEGORIES_FILE"])
    _registry, found = load_categories(path)
    shown = os.path.relpath(path, os.path.dirname(os.path.abspath(settings["PATH"])))
    for problem in found:
        problems.current().error(
            shown, problem.message, hint=problem.hint, line=problem.line, field="categories"
        )


def make_category(entry, settings) -> Category:
    category = Category(entry.name, settings)
    category.slug = entry.slug
    category.description = entry.extra.get("description") or ""
    category.order = entry.order
    return category


def resolve_category(sender, raw, metadata, kind, settings, report) -> None:
    value = raw.get("category")
    if value is None or not str(value).strip():
        return
    text = " ".join(str(value).split())
    entry = _registry.resolve(text)
    if entry is None:
        suggestion = _registry.suggest(text)
        hint = (
            f'có phải là "{suggestion}"? Tên chuyên mục phải đúng như trong content/categories.yml'
            if suggestion
            else "dùng tên hoặc slug của một chuyên mục trong content/categories.yml"
        )
        report("category", f'không có chuyên mục "{text}"', hint)
        return
    metadata["category"] = make_category(entry, settings)


def add_to_context(generator) -> None:
    """Every category in registry order, empty ones too, so every menu link has a page."""
    articles_by_slug = {cat.slug: arts for cat, arts in generator.categories}
    generator.categories = [
        (make_category(entry, generator.settings), articles_by_slug.get(entry.slug, []))
        for entry in _registry
    ]
    generator.context["categories"] = generator.categories
    # the menu's list, without posts: a new post must not change every page
    generator.context["category_menu"] = [category for category, _ in generator.categories]


def register() -> None:
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(load_registry)
    metadata_read.connect(resolve_category)
    signals.article_generator_finalized.connect(add_to_context)
