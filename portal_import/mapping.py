"""The mapping file: the old portal's categories and bylines to our categories and units.

``content/import-map.yml``::

    categories:                 # old category -> a category of content/categories.yml
      Tin hoạt động: Tin tức sự kiện
      Quảng cáo: bỏ qua         # "bỏ qua" (or "skip"): its articles are not imported
    units:
      by_author:                # old byline -> a unit of content/units.yml
        Phòng QLVT: Phòng Quản lý vận tải
      by_category:              # old category -> unit, when the byline names no unit
        Tin hoạt động: Văn phòng Sở
      default: Văn phòng Sở     # anything else

A name the old portal uses that is already the name, short name, alias or slug of one of
ours needs no line. Everything else must be mapped before anything is written; the report
lists what is missing with the registry's suggestion, as the build does for a misspelt name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plugins.categories.registry import load_categories
from plugins.portal_core.registry import Registry, RegistryEntry
from plugins.portal_core.text import nfc
from plugins.portal_core.yamlfile import YamlFileError, line_of_key, load_yaml, read_text
from plugins.units.registry import load_units

from .model import ImportStop

SKIP_WORDS = {"bỏ qua", "skip", "-"}


@dataclass
class Unmapped:
    kind: str  # "category" or "unit"
    name: str  # the old name
    count: int
    suggestion: str | None


@dataclass
class Mapping:
    categories: Registry
    units: Registry
    category_map: dict[str, str] = field(default_factory=dict)
    author_units: dict[str, str] = field(default_factory=dict)
    category_units: dict[str, str] = field(default_factory=dict)
    default_unit: str = ""
    path: str = ""

    def category(self, old: str) -> RegistryEntry | bool | None:
        """Our category for an old one; False when mapped to "bỏ qua"; None when unknown."""
        key = _key(old)
        target = self.category_map.get(key)
        if target is not None:
            return False if target.casefold() in SKIP_WORDS else self.categories.resolve(target)
        return self.categories.resolve(old)

    def unit(self, author: str, old_categories: list[str]) -> RegistryEntry | None:
        if author:
            target = self.author_units.get(_key(author))
            if target:
                return self.units.resolve(target)
            direct = self.units.resolve(author)
            if direct:
                return direct
        for old in old_categories[:1]:
            target = self.category_units.get(_key(old))
            if target:
                return self.units.resolve(target)
        return self.units.resolve(self.default_unit) if self.default_unit else None


def _key(name: str) -> str:
    return " ".join(nfc(str(name)).casefold().split())


def load_registries(content: Path, settings: dict) -> tuple[Registry, Registry]:
    found = []
    units, problems = load_units(str(content / settings.get("UNITS_FILE", "units.yml")))
    found += problems
    categories, problems = load_categories(
        str(content / settings.get("CATEGORIES_FILE", "categories.yml"))
    )
    found += problems
    if found:
        first = found[0]
        where = f"{first.path}, dòng {first.line}" if first.line else first.path
        raise ImportStop(first.message, where, first.hint or "sửa tệp rồi chạy lại")
    return categories, units


def load_mapping(path: Path, categories: Registry, units: Registry) -> Mapping:
    mapping = Mapping(categories=categories, units=units, path=str(path))
    if not path.exists():
        return mapping
    try:
        text = read_text(path)
        data = load_yaml(path, text) or {}
    except YamlFileError as exc:
        where = f"{path}, dòng {exc.line}" if exc.line else str(path)
        raise ImportStop(exc.message, where, "sửa cú pháp YAML của tệp ánh xạ") from None
    if not isinstance(data, dict):
        raise ImportStop("tệp ánh xạ phải có dạng 'categories:' và 'units:'", str(path))
    cats = data.get("categories") or {}
    unit_part = data.get("units") or {}
    if not isinstance(cats, dict) or not isinstance(unit_part, dict):
        raise ImportStop(
            "'categories' và 'units' phải là các dòng 'tên cũ: tên mới'", str(path), _EXAMPLE
        )

    def check(old: str, new: object, registry: Registry, label: str, allow_skip: bool) -> str:
        value = " ".join(str(new or "").split())
        if allow_skip and value.casefold() in SKIP_WORDS:
            return value
        if registry.resolve(value) is None:
            suggestion = registry.suggest(value)
            line = line_of_key(text, str(old))
            where = f"{path}, dòng {line}" if line else str(path)
            hint = (
                f'có phải là "{suggestion}"?'
                if suggestion
                else f"dùng tên hoặc slug của một {label} có trong content/"
            )
            raise ImportStop(f'không có {label} "{value}" (ánh xạ cho "{old}")', where, hint)
        return value

    for old, new in cats.items():
        mapping.category_map[_key(old)] = check(old, new, categories, "chuyên mục", True)
    for section, target in (("by_author", "author_units"), ("by_category", "category_units")):
        part = unit_part.get(section) or {}
        if not isinstance(part, dict):
            raise ImportStop(f"'units.{section}' phải là các dòng 'tên cũ: đơn vị'", str(path))
        for old, new in part.items():
            getattr(mapping, target)[_key(old)] = check(old, new, units, "đơn vị", False)
    if unit_part.get("default"):
        mapping.default_unit = check("default", unit_part["default"], units, "đơn vị", False)
    return mapping


def suggested_yaml(unmapped: list[Unmapped]) -> str:
    """The lines the operator should add, with our registry's best guess filled in."""
    lines = ["# Bổ sung vào tệp ánh xạ rồi chạy lại; sửa tên nếu gợi ý chưa đúng."]
    categories = [u for u in unmapped if u.kind == "category"]
    if categories:
        lines.append("categories:")
        for item in categories:
            guess = item.suggestion or "bỏ qua"
            lines.append(f"  {_quote(item.name)}: {_quote(guess)}  # {item.count} bài")
    units = [u for u in unmapped if u.kind == "unit"]
    if units:
        lines += [
            "units:",
            "  # default: Văn phòng Sở   (đơn vị cho mọi bài còn lại)",
            "  by_category:",
        ]
        for item in units:
            if item.suggestion:
                lines.append(
                    f"    {_quote(item.name)}: {_quote(item.suggestion)}  # {item.count} bài"
                )
            else:
                lines.append(f"    # {_quote(item.name)}: (chọn một đơn vị)  # {item.count} bài")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_EXAMPLE = "ví dụ:\ncategories:\n  Tin hoạt động: Tin tức sự kiện\nunits:\n  default: Văn phòng Sở"
