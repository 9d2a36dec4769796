"""Visitor counters in the built pages: snapshot numbers, the manifest, the live widget.

The counter service (``counter/``) counts; this plugin only reads what it has counted:

* reads a snapshot at build time (``counter.snapshot.read_snapshot``: a JSON export of
  ``GET /api/v1/snapshot`` or the service's SQLite store) and gives templates ``counter``
  (see ``core.CounterView``); no snapshot yet means no numbers, never a failed build;
* writes the manifest of countable paths (every built HTML page), which the service
  reads so that nobody can fill its store with made-up paths;
* copies the widget script (``counter/static/counter.js``) into the theme's static folder.

Settings: docs/settings.md. ``COUNTER_WIDGET_HASHED_AS`` (set here) is the widget's name
with a hash of its bytes, which the pages link to (plugins/theme_assets).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from counter.snapshot import SnapshotError, read_snapshot, write_manifest
from plugins.portal_core import pages
from plugins.portal_core.files import link_or_copy
from plugins.portal_core.settings import Option, Plugin, Settings, text
from plugins.theme_assets.core import hashed_name

from .core import CounterView, counter_view, html_files, page_paths

logger = logging.getLogger(__name__)

WIDGET_SOURCE = Path(__file__).resolve().parents[2] / "counter" / "static" / "counter.js"


def _is_endpoint(value, settings) -> bool:
    return isinstance(value, str) and (not value or value.startswith(("http://", "https://", "/")))


class VisitorCounter(Plugin):
    """Visitor counters: the snapshot's numbers, the manifest of countable paths, the widget."""

    settings = Settings(
        COUNTER_SNAPSHOT=text("var/counter.sqlite3", "JSON export or SQLite store to read"),
        COUNTER_ENDPOINT=Option(
            "http://127.0.0.1:8001/api/v1",
            'API base the widget calls; "" turns the widget off',
            'một URL (https://…/api/v1), một đường dẫn trên trang này (/api/v1), hoặc "" để '
            "tắt bộ đếm",
            _is_endpoint,
        ),
        COUNTER_MANIFEST_SAVE_AS=text("counter-paths.json", "the manifest of countable paths"),
        COUNTER_WIDGET_SAVE_AS=text(
            lambda settings: f"{settings.get('THEME_STATIC_DIR', 'theme')}/js/counter.js",
            "the widget script; also published under a name with a hash of its bytes",
            shown='THEME_STATIC_DIR + "/js/counter.js"',
        ),
    )

    def __init__(self) -> None:
        #: a patch build made no page and removed none: the live manifest holds
        self.pages_as_live = False

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        settings = pelican.settings
        settings["COUNTER_WIDGET_HASHED_AS"] = hashed_name(
            settings["COUNTER_WIDGET_SAVE_AS"], WIDGET_SOURCE.read_bytes()
        )

    def all_generators_finalized(self, generators) -> None:
        self.pages_as_live = False  # the full pass (also after a patch build was refused)
        settings = generators[0].settings
        context = generators[0].context
        source = settings["COUNTER_SNAPSHOT"]
        snapshot = None
        try:
            snapshot = read_snapshot(source, timezone=settings.get("TIMEZONE", "Asia/Ho_Chi_Minh"))
        except SnapshotError as exc:
            logger.warning(
                "Counter snapshot %s cannot be read (%s); the pages show no counter figures "
                "until it is fixed or replaced by a fresh export.",
                source,
                exc,
            )
        urls = [a.url for a in context.get("articles", [])]
        context["counter"] = counter_view(snapshot, settings["COUNTER_ENDPOINT"], urls)

    def posts_patched(self, sender, **_kwargs) -> bool:
        """A patch build rendered some pages again and made none: the live manifest holds."""
        self.pages_as_live = True
        return True

    def before_publish(self, sender, output_path: str, settings) -> None:
        output = Path(output_path)
        manifest = output / settings["COUNTER_MANIFEST_SAVE_AS"]
        live = Path(settings.get("PORTAL_FINAL_OUTPUT_PATH") or output_path)
        live_manifest = live / settings["COUNTER_MANIFEST_SAVE_AS"]
        if self.pages_as_live and live_manifest.is_file():
            manifest.unlink(missing_ok=True)
            link_or_copy(live_manifest, manifest)
        else:
            # the staging folder's files as the build guard listed them (this receiver
            # runs before any that writes pages: redirects come later)
            listed = pages.staged_files()
            write_manifest(page_paths(output_path, html_files(output_path, listed)), manifest)
        self.pages_as_live = False
        if settings["COUNTER_ENDPOINT"]:
            for name in ("COUNTER_WIDGET_SAVE_AS", "COUNTER_WIDGET_HASHED_AS"):
                target = output / settings[name]
                os.makedirs(target.parent, exist_ok=True)
                shutil.copyfile(WIDGET_SOURCE, target)

    def plan_outputs(self, sender, generators, settings):
        return [
            (settings["COUNTER_MANIFEST_SAVE_AS"], "danh sách trang được đếm lượt truy cập"),
            (settings["COUNTER_WIDGET_SAVE_AS"], "mã bộ đếm truy cập"),
            (settings["COUNTER_WIDGET_HASHED_AS"], "mã bộ đếm truy cập (tên có mã băm)"),
        ]


__all__ = ["CounterView", "register"]
register = VisitorCounter.register
