"""Categories: the registry and the ``Category:`` field, resolved to one canonical name.

Settings: docs/settings.md. Category pages themselves are Pelican's (CATEGORY_URL,
CATEGORY_SAVE_AS).
"""

from __future__ import annotations

from pelican.contents import Category

from plugins.portal_core.registry import Registry, Taxonomy
from plugins.portal_core.settings import Plugin, Settings, text


def make_category(entry, settings) -> Category:
    category = Category(entry.name, settings)
    category.slug = entry.slug
    category.description = entry.extra.get("description") or ""
    category.order = entry.order
    return category


def taxonomy() -> Taxonomy:
    """The categories' declaration (``registry.load_categories`` reads a file by it)."""
    return Taxonomy(
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


class Categories(Plugin):
    """Categories: the registry and the ``Category:`` field, resolved to one canonical name."""

    settings = Settings(
        CATEGORIES_FILE=text(
            "categories.yml", "the category registry, relative to PATH", blank=False
        ),
    )

    def __init__(self) -> None:
        self.taxonomy = taxonomy()  # holds the build's registry once loaded

    def get_generators(self, pelican) -> None:
        self.taxonomy.load(pelican.settings)

    def metadata_read(self, sender, **kwargs) -> None:
        self.taxonomy.resolve(sender, **kwargs)

    def article_generator_finalized(self, generator) -> None:
        """Every category in registry order, empty ones too, so every menu link has a page."""
        articles_by_slug = self.taxonomy.posts_by_slug(generator.articles)
        generator.categories = [
            (make_category(entry, generator.settings), articles_by_slug.get(entry.slug, []))
            for entry in self.taxonomy.registry
        ]
        generator.context["categories"] = generator.categories
        # the menu's list, without posts: a new post must not change every page
        generator.context["category_menu"] = [category for category, _ in generator.categories]


def registry() -> Registry:
    """The registry of the build in progress."""
    return Categories.instance().taxonomy.registry


register = Categories.register
