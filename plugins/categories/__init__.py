"""Categories: the registry and the ``Category:`` field, resolved to one canonical name.

Settings (defaults in brackets):
  CATEGORIES_FILE  registry file, relative to PATH ["categories.yml"]
Category pages themselves are Pelican's (CATEGORY_URL, CATEGORY_SAVE_AS).
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Category

from plugins.portal_core.registry import Registry, Taxonomy
from plugins.portal_core.signals import metadata_read


def make_category(entry, settings) -> Category:
    category = Category(entry.name, settings)
    category.slug = entry.slug
    category.description = entry.extra.get("description") or ""
    category.order = entry.order
    return category


CATEGORIES = Taxonomy(
    key="category",
    label="chuyên mục",
    setting="CATEGORIES_FILE",
    top_key="categories",
    extra_fields=("description",),
    unknown='không có chuyên mục "{value}"',
    did_you_mean='có phải là "{suggestion}"? Tên chuyên mục phải đúng như trong '
    "content/categories.yml",
    no_match="dùng tên hoặc slug của một chuyên mục trong content/categories.yml",
    make=make_category,
)


def registry() -> Registry:
    return CATEGORIES.registry


def apply_defaults(pelican) -> None:
    pelican.settings.setdefault("CATEGORIES_FILE", "categories.yml")


def load_registry(pelican) -> None:
    CATEGORIES.load(pelican.settings)


def add_to_context(generator) -> None:
    """Every category in registry order, empty ones too, so every menu link has a page."""
    articles_by_slug = CATEGORIES.posts_by_slug(generator.articles)
    generator.categories = [
        (make_category(entry, generator.settings), articles_by_slug.get(entry.slug, []))
        for entry in CATEGORIES.registry
    ]
    generator.context["categories"] = generator.categories
    # the menu's list, without posts: a new post must not change every page
    generator.context["category_menu"] = [category for category, _ in generator.categories]


def register() -> None:
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(load_registry)
    metadata_read.connect(CATEGORIES.resolve)
    signals.article_generator_finalized.connect(add_to_context)
