"""A test-only plugin: notes every name each page looks up while it renders, and whether
it shows any post's body or summary.

``tests/incremental/test_declarations.py`` builds a site with it (rendering in the build's
own process) and checks that what pages read is what ``plugins.incremental.declared``
says they show. Settings: ``DECLARATION_PROBE_OUTPUT`` (where the JSON goes).
"""

from __future__ import annotations

import inspect
import json

from jinja2.runtime import Context
from pelican import signals
from pelican.contents import Article

from plugins.incremental import declared

_reads: dict[str, dict] = {}
_site: dict[str, dict] = {}  # "context": the context every generator shares
_current: dict[str, str | None] = {}  # "page": the page being rendered


class ProbeContext(Context):
    def resolve_or_missing(self, key: str):
        value = super().resolve_or_missing(key)
        page = self.parent.get("output_file") or self.vars.get("output_file")
        _current["page"] = page
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


def _noting_body(method):
    """An ``Article`` method that notes the page being rendered read a post's body."""

    def noted(post, *args, **kwargs):
        page = _current.get("page")
        if page:
            _reads.setdefault(page, {"names": {}})["bodies"] = True
        return method(post, *args, **kwargs)

    noted.__wrapped__ = method
    return noted


def install(generator) -> None:
    for name in ("get_content", "get_summary"):  # content, summary and their getters
        method = inspect.getattr_static(Article, name)  # Pelican's memoized callable
        if not hasattr(method, "__wrapped__"):
            setattr(Article, name, _noting_body(method))
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
            "bodies": entry.get("bodies", False),
            "names": {k: v for k, v in entry["names"].items() if k in entry.get("given", ())},
        }
        for page, entry in _reads.items()
    }
    with open(pelican.settings["DECLARATION_PROBE_OUTPUT"], "w", encoding="utf-8") as out:
        json.dump(pages, out, ensure_ascii=False, indent=0, sort_keys=True)


def register() -> None:
    signals.generator_init.connect(install)
    signals.finalized.connect(dump)
