"""Redirects from a previous portal's addresses: static pages and an nginx map.

``content/redirects.yml`` (written by ``invoke import-*``, editable by hand) lists old
addresses and their new ones. Before the build is published this plugin writes:

* a redirect page at each old path (``vi/news/tin-tuc/bai-123.html``: meta refresh, canonical
  link, a plain link), for hosts without nginx; a path the site itself uses is left alone;
* ``.redirects.map`` and ``.redirects-query.map``: the lines of the nginx maps that the
  shipped ``deploy/nginx/portal.conf`` includes, so nginx answers with a real 301.

Settings (defaults in brackets):
  REDIRECTS_FILE   file in PATH ["redirects.yml"]
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals

from plugins.portal_core import problems
from plugins.portal_core.signals import before_publish

from .core import Redirect, load, nginx_maps, page, page_file

logger = logging.getLogger(__name__)

MAP_FILE = ".redirects.map"
QUERY_MAP_FILE = ".redirects-query.map"

_loaded: list[Redirect] = []


def check_settings(pelican) -> None:
    """Defaults at start-up: a setting added later would differ between a process's first
    build and the next ones (the live preview builds many times in one process)."""
    from plugins.portal_core.failure import fail

    value = pelican.settings.setdefault("REDIRECTS_FILE", "redirects.yml")
    if not isinstance(value, str) or not value.strip():
        fail('pelicanconf.py: REDIRECTS_FILE must be a file name in PATH, e.g. "redirects.yml".')


def read_redirects(pelican) -> None:
    global _loaded
    settings = pelican.settings
    path = os.path.join(settings["PATH"], settings["REDIRECTS_FILE"])
    _loaded, found = load(path)
    shown = os.path.relpath(path, os.path.dirname(os.path.abspath(settings["PATH"])))
    for problem in found:
        problems.current().error(shown, problem.message, hint=problem.hint, line=problem.line)


def write_redirects(sender, output_path: str, settings) -> None:
    output = Path(output_path)
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    written, kept = 0, 0
    for item in _loaded:
        name = page_file(item.source)
        if name is None:
            continue
        target = output / name
        if target.exists() or (output / name).parent.is_file():
            kept += 1
            continue
        url = item.target if "://" in item.target else site_url + item.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(url), encoding="utf-8")
        written += 1
    by_path, by_request = nginx_maps(_loaded)
    (output / MAP_FILE).write_text(by_path, encoding="utf-8")
    (output / QUERY_MAP_FILE).write_text(by_request, encoding="utf-8")
    if kept:
        logger.warning(
            "%d địa chỉ cũ trùng với trang của cổng mới nên không tạo trang chuyển hướng "
            "(nginx vẫn chuyển hướng theo .redirects.map)",
            kept,
        )
    if _loaded:
        logger.info("Đã tạo %d trang chuyển hướng từ địa chỉ cũ", written)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(read_redirects)
    before_publish.connect(write_redirects)
