"""Units: the registry, the ``Unit:`` field, per-unit paginated archives and the units index.

Settings (defaults in brackets):
  UNITS_FILE       registry file, relative to PATH ["units.yml"]
  UNIT_URL         ["don-vi/{slug}/"]            UNIT_SAVE_AS  ["don-vi/{slug}/index.html"]
  UNITS_URL        ["don-vi/"]                   UNITS_SAVE_AS ["don-vi/index.html"]
"""

from __future__ import annotations

import os
from collections import defaultdict

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from plugins.build_guard.planning import paginated_outputs
from plugins.portal_core import problems
from plugins.portal_core.signals import metadata_read, plan_outputs

from .registry import UnitRegistry, load_units

DEFAULTS = {
    "UNITS_FILE": "units.yml",
    "UNIT_URL": "don-vi/{slug}/",
    "UNIT_SAVE_AS": "don-vi/{slug}/index.html",
    "UNITS_URL": "don-vi/",
    "UNITS_SAVE_AS": "don-vi/index.html",
}

_registry = UnitRegistry([], "đơn vị")


class Unit(URLWrapper):
    """A unit as templates see it: name, url, contact, parent."""

    def __init__(self, entry, settings, registry: UnitRegistry) -> None:
        super().__init__(entry.name, settings)
        self.slug = entry.slug
        self.entry = entry
        self.short_name = entry.short_name or entry.name
        self.contact = registry.contact(entry)
        self.order = entry.order
        self.parent_slug = entry.extra.get("parent") or ""


def registry() -> UnitRegistry:
    """The registry of the build in progress."""
    return _registry


def apply_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings.setdefault("PAGINATED_TEMPLATES", {}).setdefault("unit", None)


def load_registry(pelican) -> type[Generator]:
    global _registry
    settings = pelican.settings
    path = os.path.join(settings["PATH"], settings["UNITS_FILE"])
    _registry, found = load_units(path)
    shown = os.path.relpath(path, os.path.dirname(os.path.abspath(settings["PATH"])))
    for problem in found:
        problems.current().error(
            shown, problem.message, hint=problem.hint, line=problem.line, field="units"
        )
    return UnitsGenerator


def resolve_unit(sender, raw, metadata, kind, settings, report) -> None:
    value = raw.get("unit")
    if value is None or not str(value).strip():
        return
    text = " ".join(str(value).split())
    entry = _registry.resolve(text)
    if entry is None:
        suggestion = _registry.suggest(text)
        hint = (
            f'có phải là "{suggestion}"? Tên đơn vị phải đúng như trong content/units.yml'
            if suggestion
            else "dùng tên, tên viết tắt hoặc slug của một đơn vị trong content/units.yml"
        )
        report("unit", f'không có đơn vị "{text}" trong danh sách đơn vị', hint)
        return
    metadata["unit"] = Unit(entry, settings, _registry)


class UnitsGenerator(Generator):
    """Writes one paginated archive per unit and the units index."""

    def generate_context(self) -> None:
        by_slug: dict[str, list] = defaultdict(list)
        for article in self.context.get("articles", []):
            unit = getattr(article, "unit", None)
            if unit is not None:
                by_slug[unit.slug].append(article)
        self.units = []
        for entry, depth in _registry.tree():
            unit = Unit(entry, self.settings, _registry)
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
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        if getattr(article, "unit", None) is not None:
            counts[article.unit.slug] += 1
    outputs = [(settings["UNITS_SAVE_AS"], "trang danh sách đơn vị")]
    for entry in _registry:
        unit = Unit(entry, settings, _registry)
        outputs += paginated_outputs(
            unit.save_as,
            unit.url,
            counts.get(entry.slug, 0),
            settings,
            "unit",
            f'trang đơn vị "{entry.name}"',
        )
    return outputs


def register() -> None:
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(load_registry)
    metadata_read.connect(resolve_unit)
    plan_outputs.connect(planned_outputs)
