"""The category registry (``content/categories.yml``): the portal's sections."""

from __future__ import annotations

from plugins.portal_core.registry import Registry, RegistryProblem, load_entries


def load_categories(path: str) -> tuple[Registry, list[RegistryProblem]]:
    entries, problems = load_entries(path, "categories", "chuyên mục", ("description",))
    return Registry(entries, "chuyên mục"), problems
