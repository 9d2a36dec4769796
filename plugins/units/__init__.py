"""Units: the registry, the ``Unit:`` field, per-unit paginated archives and the units index.

Settings: docs/settings.md.
"""

from __future__ import annotations

from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from plugins.build_guard.planning import paginated_outputs
from plugins.portal_core.registry import Taxonomy
from plugins.portal_core.settings import Plugin, Settings, text

from .registry import UnitRegistry, load_units


class Unit(URLWrapper):
    """A unit as templates see it: name, url, contact, parent."""

    def __init__(self, entry, settings) -> None:
        super().__init__(entry.name, settings)
        self.slug = entry.slug
        self.entry = entry
        self.short_name = entry.short_name or entry.name
        self.contact = UnitRegistry.contact(entry)
        self.order = entry.order
        self.parent_slug = entry.extra.get("parent") or ""


class Units(Plugin):
    """Units: the registry, the ``Unit:`` field, per-unit archives and the units index."""

    settings = Settings(
        UNITS_FILE=text("units.yml", "the unit registry, relative to PATH", blank=False),
        UNIT_URL=text("don-vi/{slug}/", "a unit's archive"),
        UNIT_SAVE_AS=text("don-vi/{slug}/index.html", "where a unit's archive is written"),
        UNITS_URL=text("don-vi/", "the units index"),
        UNITS_SAVE_AS=text("don-vi/index.html", "where the units index is written"),
    )

    def __init__(self) -> None:
        self.taxonomy = Taxonomy(  # holds the build's registry once loaded
            key="unit",
            label="đơn vị",
            setting="UNITS_FILE",
            top_key="units",
            unknown='không có đơn vị "{value}" trong danh sách đơn vị',
            did_you_mean='có phải là "{suggestion}"? Tên đơn vị phải đúng như trong '
            "content/units.yml",
            no_match="dùng tên, tên viết tắt hoặc slug của một đơn vị trong content/units.yml",
            read=load_units,
            make=Unit,
            registry=UnitRegistry([], "đơn vị"),
        )

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        pelican.settings.setdefault("PAGINATED_TEMPLATES", {}).setdefault("unit", None)

    def get_generators(self, pelican) -> type[Generator]:
        self.taxonomy.load(pelican.settings)
        return UnitsGenerator

    def metadata_read(self, sender, **kwargs) -> None:
        self.taxonomy.resolve(sender, **kwargs)

    def plan_outputs(self, sender, generators, settings):
        articles = next(g for g in generators if hasattr(g, "articles")).articles
        by_slug = self.taxonomy.posts_by_slug(articles)
        outputs = [(settings["UNITS_SAVE_AS"], "trang danh sách đơn vị")]
        for entry in self.taxonomy.registry:
            unit = Unit(entry, settings)
            outputs += paginated_outputs(
                unit.save_as,
                unit.url,
                len(by_slug.get(entry.slug, [])),
                settings,
                "unit",
                f'trang đơn vị "{entry.name}"',
            )
        return outputs


def registry() -> UnitRegistry:
    """The registry of the build in progress."""
    return Units.instance().taxonomy.registry


class UnitsGenerator(Generator):
    """Writes one paginated archive per unit and the units index."""

    def generate_context(self) -> None:
        taxonomy = Units.instance().taxonomy
        by_slug = taxonomy.posts_by_slug(self.context.get("articles", []))
        self.units = []
        for entry, depth in taxonomy.registry.tree():
            unit = Unit(entry, self.settings)
            articles = by_slug.get(entry.slug, [])
            self.units.append(
                {
                    "unit": unit,
                    "depth": depth,
                    "articles": articles,
                    "count": len(articles),
                    "latest": articles[0] if articles else None,
                }
            )
        self.context["units"] = self.units
        # the sidebar's list, without counts: a new post must not change every page
        self.context["unit_menu"] = [{"unit": u["unit"], "depth": u["depth"]} for u in self.units]
        groups: list[tuple[dict, list[dict]]] = []
        for item in self.units:
            if item["depth"] == 0:
                groups.append((item, []))
            elif groups:
                groups[-1][1].append(item)
        self.context["unit_groups"] = groups
        self.context["units_by_slug"] = {u["unit"].slug: u for u in self.units}
        self.context["unit_by_slug"] = {u["unit"].slug: u["unit"] for u in self.units}  # no posts
        self.context["units_url"] = self.settings["UNITS_URL"]

    def generate_output(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("unit")
        for item in self.units:
            unit, articles = item["unit"], item["articles"]
            writer.write_file(
                unit.save_as,
                template,
                self.context,
                relative_urls=relative,
                paginated={"articles": articles, "dates": articles},
                template_name="unit",
                url=unit.url,
                unit=unit,
                unit_info=item,
                articles=articles,
                dates=articles,
                page_name=unit.page_name,
            )
        writer.write_file(
            self.settings["UNITS_SAVE_AS"],
            self.get_template("units"),
            self.context,
            relative_urls=relative,
            template_name="units",
            url=self.settings["UNITS_URL"],
            page_name="units",
        )


register = Units.register
