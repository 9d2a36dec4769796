"""The unit registry (``content/units.yml``): who writes the news, and their contacts."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.portal_core.registry import Registry, RegistryEntry, RegistryProblem, load_entries

UNIT_FIELDS = ("parent", "contact")


@dataclass(frozen=True)
class Contact:
    address: str = ""
    phone: str = ""
    email: str = ""


class UnitRegistry(Registry):
    """Units with their parent-child tree."""

    def parent_of(self, entry: RegistryEntry) -> RegistryEntry | None:
        parent = entry.extra.get("parent")
        return self.by_slug.get(parent) if parent else None

    def children_of(self, entry: RegistryEntry | None) -> list[RegistryEntry]:
        slug = entry.slug if entry else None
        return [e for e in self.entries if (e.extra.get("parent") or None) == slug]

    def roots(self) -> list[RegistryEntry]:
        return self.children_of(None)

    @staticmethod
    def contact(entry: RegistryEntry) -> Contact:
        data = entry.extra.get("contact") or {}
        return Contact(**{k: str(data.get(k) or "").strip() for k in ("address", "phone", "email")})

    def tree(self) -> list[tuple[RegistryEntry, int]]:
        """Every unit in display order with its depth (0 for the top)."""
        out: list[tuple[RegistryEntry, int]] = []

        def walk(entry: RegistryEntry | None, depth: int) -> None:
            for child in self.children_of(entry):
                out.append((child, depth))
                walk(child, depth + 1)

        walk(None, 0)
        return out


def load_units(path: str) -> tuple[UnitRegistry, list[RegistryProblem]]:
    entries, problems = load_entries(path, "units", "đơn vị", UNIT_FIELDS)
    slugs = {e.slug for e in entries}
    valid: list[RegistryEntry] = []
    for entry in entries:
        parent = entry.extra.get("parent")
        if parent and parent not in slugs:
            problems.append(
                RegistryProblem(
                    path,
                    f"đơn vị '{entry.slug}': đơn vị cấp trên '{parent}' không có trong danh sách",
                    entry.line,
                    "ghi 'parent:' bằng slug của một đơn vị khác trong tệp này, hoặc để trống",
                )
            )
            continue
        contact = entry.extra.get("contact")
        if contact is not None and not isinstance(contact, dict):
            problems.append(
                RegistryProblem(
                    path,
                    f"đơn vị '{entry.slug}': 'contact' phải gồm address, phone, email",
                    entry.line,
                )
            )
            continue
        valid.append(entry)
    by_slug = {e.slug: e for e in valid}
    for entry in valid:
        seen = {entry.slug}
        parent = entry.extra.get("parent")
        while parent:
            if parent in seen:
                problems.append(
                    RegistryProblem(
                        path,
                        f"đơn vị '{entry.slug}': quan hệ cấp trên bị vòng lặp ({' → '.join(seen)})",
                        entry.line,
                        "một đơn vị không thể là cấp trên của chính nó",
                    )
                )
                break
            seen.add(parent)
            parent = by_slug[parent].extra.get("parent") if parent in by_slug else None
    return UnitRegistry(valid, "đơn vị"), problems
