"""Units: the registry, the ``Unit:`` field, per-unit paginated archives and the units index.

Settings (defaults in brackets):
  UNITS_FILE       registry file, relative to PATH ["units.yml"]
  UNIT_URL         ["don-vi/{slug}/"]            UNIT_SAVE_AS  ["don-vi/{slug}/index.html"]
  UNITS_URL        ["don-vi/"]                   UNITS_SAVE_AS ["don-vi/index.html"]
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from plugins.build_guard.planning import paginated_outputs
from plugins.portal_core.registry import Taxonomy
from plugins.portal_core.signals import metadata_read, plan_outputs

from .registry import UnitRegistry, load_units

DEFAULTS = {
    "UNITS_FILE": "units.yml",
    "UNIT_URL": "don-vi/{slug}/",
    "UNIT_SAVE_AS": "don-vi/{slug}/index.html",
    "UNITS_URL": "don-vi/",
    "UNITS_SAVE_AS": "don-vi/index.html",
}


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


UNITS = Taxonomy(
    key="unit",
    label="đơn vị",
    setting="UNITS_FILE",
    top_key="units",
    unknown='không có đơn vị "{value}" trong danh sách đơn vị',
    did_you_mean='có phải là "{suggestion}"? Tên đơn vị phải đúng như trong content/units.yml',
    no_match="dùng tên, tên viết tắt hoặc slug của một đơn vị trong content/units.yml",
    read=load_units,
    make=Unit,
    registry=UnitRegistry([], "đơn vị"),
)


def registry() -> UnitRegistry:
    """The registry of the build in progress."""
    return UNITS.registry


def apply_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings.setdefault("PAGINATED_TEMPLATES", {}).setdefault("unit", None)


def load_registry(pelican) -> type[Generator]:
    UNITS.load(pelican.settings)
    return UnitsGenerator


class UnitsGenerator(Generator):
    """Writes one paginated archive per unit and the units index."""

    def generate_context(self) -> None:
        by_slug = UNITS.posts_by_slug(self.context.get("articles", []))
        self.units = []
        for entry, depth in UNITS.registry.tree():
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


def planned_outputs(sender, generators, settings):
    articles = next(g for g in generators if hasattr(g, "articles")).articles
    by_slug = UNITS.posts_by_slug(articles)
    outputs = [(settings["UNITS_SAVE_AS"], "trang danh sách đơn vị")]
    for entry in UNITS.registry:
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


def register() -> None:
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(load_registry)
    metadata_read.connect(UNITS.resolve)
    plan_outputs.connect(planned_outputs)
