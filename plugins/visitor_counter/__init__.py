"""Visitor counters in the built pages: snapshot numbers, the manifest, the live widget.

The counter service (``counter/``) counts; this plugin only reads what it has counted:

* reads a snapshot at build time (``counter.snapshot.read_snapshot``: a JSON export of
  ``GET /api/v1/snapshot`` or the service's SQLite store) and gives templates ``counter``
  (see ``core.CounterView``); no snapshot yet means no numbers, never a failed build;
* writes the manifest of countable paths (every built HTML page), which the service
  reads so that nobody can fill its store with made-up paths;
* copies the widget script (``counter/static/counter.js``) into the theme's static folder.

Settings (defaults in brackets):
  COUNTER_SNAPSHOT          JSON export or SQLite store to read ["var/counter.sqlite3"]
  COUNTER_ENDPOINT          API base the widget calls; "" turns the widget off
                            ["http://127.0.0.1:8001/api/v1"]
  COUNTER_MANIFEST_SAVE_AS  ["counter-paths.json"]
  COUNTER_WIDGET_SAVE_AS    [THEME_STATIC_DIR + "/js/counter.js"]; also published under a
                            name with a hash of its bytes (``COUNTER_WIDGET_HASHED_AS``,
                            set here), which the pages link to (plugins/theme_assets)
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from pelican import signals

from counter.snapshot import SnapshotError, read_snapshot, write_manifest
from plugins.portal_core.failure import fail
from plugins.portal_core.signals import before_publish, plan_outputs
from plugins.theme_assets.core import hashed_name

from .core import CounterView, counter_view, html_files, page_paths

logger = logging.getLogger(__name__)

WIDGET_SOURCE = Path(__file__).resolve().parents[2] / "counter" / "static" / "counter.js"


def check_settings(pelican) -> None:
    settings = pelican.settings
    settings.setdefault("COUNTER_SNAPSHOT", "var/counter.sqlite3")
    settings.setdefault("COUNTER_ENDPOINT", "http://127.0.0.1:8001/api/v1")
    settings.setdefault("COUNTER_MANIFEST_SAVE_AS", "counter-paths.json")
    settings.setdefault(
        "COUNTER_WIDGET_SAVE_AS", f"{settings.get('THEME_STATIC_DIR', 'theme')}/js/counter.js"
    )
    settings["COUNTER_WIDGET_HASHED_AS"] = hashed_name(
        settings["COUNTER_WIDGET_SAVE_AS"], WIDGET_SOURCE.read_bytes()
    )
    endpoint = settings["COUNTER_ENDPOINT"]
    if endpoint and not (endpoint.startswith(("http://", "https://")) or endpoint.startswith("/")):
        fail(
            f"pelicanconf.py: COUNTER_ENDPOINT={endpoint!r} must be a URL "
            '(https://…/api/v1) or a path on this site (/api/v1), or "" to turn the widget off.'
        )


def add_counter_context(generators) -> None:
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


def write_manifest_and_widget(sender, output_path: str, settings) -> None:
    output = Path(output_path)
    html = html_files(output_path)
    write_manifest(page_paths(output_path, html), output / settings["COUNTER_MANIFEST_SAVE_AS"])
    if settings["COUNTER_ENDPOINT"]:
        for name in ("COUNTER_WIDGET_SAVE_AS", "COUNTER_WIDGET_HASHED_AS"):
            target = output / settings[name]
            os.makedirs(target.parent, exist_ok=True)
            shutil.copyfile(WIDGET_SOURCE, target)


def planned_outputs(sender, generators, settings):
    return [
        (settings["COUNTER_MANIFEST_SAVE_AS"], "danh sách trang được đếm lượt truy cập"),
        (settings["COUNTER_WIDGET_SAVE_AS"], "mã bộ đếm truy cập"),
        (settings["COUNTER_WIDGET_HASHED_AS"], "mã bộ đếm truy cập (tên có mã băm)"),
    ]


__all__ = ["CounterView", "register"]


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(add_counter_context)
    before_publish.connect(write_manifest_and_widget)
    plan_outputs.connect(planned_outputs)
