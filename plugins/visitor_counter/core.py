"""What the pages show of the counters at build time (no Pelican imports).

The build reads a snapshot (a JSON export of the counter service, or its SQLite
store; never the network) and renders its numbers into the HTML, so a visitor
without JavaScript, or with the service down, still sees figures and their date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from plugins.portal_core.files import relative_files


@dataclass(frozen=True)
class CounterView:
    """The ``counter`` template variable."""

    endpoint: str
    online: int | None = None
    today: int | None = None
    total: int | None = None
    asof: dt.datetime | None = None
    views: dict[str, int] = field(default_factory=dict)  # article.url -> views

    def views_of(self, url: str) -> int | None:
        return self.views.get(url)

    def path_of(self, url: str) -> str:
        """The path the service counts for a page URL (what the widget sends)."""
        return "/" + url.lstrip("/")


def counter_view(snapshot, endpoint: str, urls: Iterable[str]) -> CounterView:
    """Numbers for the given page URLs (Pelican's relative ``url``) from a snapshot."""
    if snapshot is None:
        return CounterView(endpoint=endpoint)
    views = {}
    for url in urls:
        path = "/" + url.lstrip("/")
        if path in snapshot.views:
            views[url] = snapshot.views[path]
    return CounterView(
        endpoint=endpoint,
        online=snapshot.online,
        today=snapshot.today,
        total=snapshot.total,
        asof=snapshot.asof,
        views=views,
    )


def page_paths(output: str, html_files: Iterable[str]) -> list[str]:
    """URL paths of built HTML files (``a/index.html`` → ``/a/``), for the manifest."""
    paths = []
    for name in html_files:
        rel = str(PurePosixPath(name)) if "//" in name or name.startswith("./") else name
        if rel == "index.html":
            paths.append("/")
        elif rel.endswith("/index.html"):
            paths.append(f"/{rel[: -len('index.html')]}")
        else:
            paths.append(f"/{rel}")
    return sorted(set(paths))


def html_files(output: str, listed: Iterable[str] | None = None) -> list[str]:
    """Every ``.html`` file under ``output``, relative, with ``/``: of ``listed`` (the
    folder's files, when the build knows them) or found by walking it."""
    names = relative_files(output) if listed is None else listed
    return [name for name in names if name.endswith(".html")]
