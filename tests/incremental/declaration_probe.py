"""A test-only plugin: notes every name each page looks up while it renders.

``tests/incremental/test_declarations.py`` builds a site with it (rendering in the build's
own process) and checks that what pages read is what ``plugins.incremental.declared``
says they show. Settings: ``DECLARATION_PROBE_OUTPUT`` (where the JSON goes).
"""

from __future__ import annotations

import json

from jinja2.runtime import Context
from pelican import signals

from plugins.incremental import declared

_reads: dict[str, dict] = {}
_site: dict[str, dict] = {}  # "context": the context every generator shares


class ProbeContext(Context):
    def resolve_or_missing(self, key: str):
        value = super().resolve_or_missing(key)
        page = self.parent.get("output_file") or self.vars.get("output_file")
        if page:
            entry = _reads.setdefault(page, {"names": {}})
            if self.name and "/" not in self.name and "template" not in entry:
                # the page's own template (partials are in a folder): what it was given
                entry["template"] = self.name
                entry["given"] = set(self.parent)
                listing = self.parent.get("articles_page")
                entry["first"] = getattr(listing, "is_first", None)
            if key not in entry["names"]:
                shared = _site.get("context", {})
                entry["names"][key] = {
                    "posts": declared._holds_posts(value, declared._SCAN_DEPTH),
                    # the site's own value, not one the writer gave this page
                    "site": key in shared and shared[key] is value,
                }
        return value


def install(generator) -> None:
    _site["context"] = generator.context
    env = getattr(generator, "env", None)
    if env is not None:
        env.context_class = ProbeContext


def dump(pelican) -> None:
    """Per page: its template, whether it is a listing's first page, and each name it looked
    up among those it was given (names its templates set themselves are left out)."""
    pages = {
        page: {
            "template": entry.get("template", ""),
            "first": entry.get("first"),
            "names": {k: v for k, v in entry["names"].items() if k in entry.get("given", ())},
        }
        for page, entry in _reads.items()
    }
    with open(pelican.settings["DECLARATION_PROBE_OUTPUT"], "w", encoding="utf-8") as out:
        json.dump(pages, out, ensure_ascii=False, indent=0, sort_keys=True)


def register() -> None:
    signals.generator_init.connect(install)
    signals.finalized.connect(dump)
