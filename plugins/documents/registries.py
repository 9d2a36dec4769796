"""The registries behind a document's type, issuer and fields (``content/document-*.yml``).

Each is a ``portal_core.registry.Taxonomy``: an editor may write the slug, the name, the
short name or an alias, and a near miss gets the closest name as a suggestion.
"""

from __future__ import annotations

from plugins.portal_core.registry import Taxonomy


def taxonomies() -> dict[str, Taxonomy]:
    """A document's type, issuer and fields registries, each empty until ``load``."""
    return {
        "type": Taxonomy(
            key="document_type",
            label="loại văn bản",
            setting="DOCUMENTS_TYPES_FILE",
            top_key="document_types",
            problem_field="registry",
            extra_fields=("draft",),
        ),
        "issuer": Taxonomy(
            key="document_issuer",
            label="cơ quan ban hành",
            setting="DOCUMENTS_ISSUERS_FILE",
            top_key="issuers",
            problem_field="registry",
            extra_fields=("own",),
        ),
        "field": Taxonomy(
            key="document_fields",
            label="lĩnh vực",
            setting="DOCUMENTS_FIELDS_FILE",
            top_key="fields",
            problem_field="registry",
        ),
    }
