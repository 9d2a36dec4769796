"""The registries behind a document's type, issuer and fields (``content/document-*.yml``).

They reuse ``portal_core.registry``: an editor may write the slug, the name, the short
name or an alias, and a near miss gets the closest name as a suggestion.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from plugins.portal_core.registry import Registry, RegistryEntry, RegistryProblem, load_entries

#: (setting, default file, top key in the file, label in messages, extra fields)
KINDS = {
    "type": ("DOCUMENTS_TYPES_FILE", "document-types.yml", "document_types", "loại văn bản",
             ("draft",)),
    "issuer": ("DOCUMENTS_ISSUERS_FILE", "document-issuers.yml", "issuers", "cơ quan ban hành",
               ("own",)),
    "field": ("DOCUMENTS_FIELDS_FILE", "document-fields.yml", "fields", "lĩnh vực", ()),
}  # fmt: skip


@dataclass
class Registries:
    types: Registry
    issuers: Registry
    fields: Registry

    def of(self, kind: str) -> Registry:
        return {"type": self.types, "issuer": self.issuers, "field": self.fields}[kind]


def empty() -> Registries:
    return Registries(*(Registry([], KINDS[k][3]) for k in ("type", "issuer", "field")))


def load(content_path: str, files: dict[str, str]) -> tuple[Registries, list[RegistryProblem]]:
    """The three registries; ``files`` maps kind → file name relative to ``content_path``."""
    found: list[RegistryProblem] = []
    made = {}
    for kind, (_setting, _default, top_key, label, extra) in KINDS.items():
        path = os.path.join(content_path, files[kind])
        entries, problems = load_entries(path, top_key, label, extra)
        made[kind] = Registry(entries, label)
        found += problems
    return Registries(made["type"], made["issuer"], made["field"]), found


def resolve(registry: Registry, value: str, file_hint: str) -> tuple[RegistryEntry | None, str]:
    """The entry an editor meant, or ``None`` and the hint to show."""
    entry = registry.resolve(value)
    if entry is not None:
        return entry, ""
    suggestion = registry.suggest(value)
    if suggestion:
        return None, f'có phải là "{suggestion}"? Tên phải đúng như trong {file_hint}'
    names = ", ".join(e.name for e in list(registry)[:8])
    return None, f"dùng tên hoặc slug của một mục trong {file_hint} ({names}…)"
