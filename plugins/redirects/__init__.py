"""Redirects from a previous portal's addresses: static pages and an nginx map.

``content/redirects.yml`` (written by ``invoke import-*``, editable by hand) lists old
addresses and their new ones. Before the build is published this plugin writes:

* a redirect page at each old path (``vi/news/tin-tuc/bai-123.html``: meta refresh, canonical
  link, a plain link), for hosts without nginx; a path the site itself uses is left alone;
* ``.redirects.map`` and ``.redirects-query.map``: the lines of the nginx maps that the
  shipped ``deploy/nginx/portal.conf`` includes, so nginx answers with a real 301.

Settings: docs/settings.md.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from plugins.portal_core import problems
from plugins.portal_core.settings import Plugin, Settings, text

from .core import Redirect, load, nginx_maps, page, page_file

logger = logging.getLogger(__name__)

MAP_FILE = ".redirects.map"
QUERY_MAP_FILE = ".redirects-query.map"


class Redirects(Plugin):
    """Redirects from a previous portal's addresses: static pages and nginx maps."""

    settings = Settings(
        REDIRECTS_FILE=text(
            "redirects.yml", "the list of old addresses, a file in PATH", blank=False
        )
    )
    loaded: list[Redirect] = []  # noqa: RUF012 - replaced, never mutated

    def get_generators(self, pelican) -> None:
        settings = pelican.settings
        path = os.path.join(settings["PATH"], settings["REDIRECTS_FILE"])
        self.loaded, found = load(path)
        shown = os.path.relpath(path, os.path.dirname(os.path.abspath(settings["PATH"])))
        for problem in found:
            problems.current().error(shown, problem.message, hint=problem.hint, line=problem.line)

    def before_publish(self, sender, output_path: str, settings) -> None:
        output = Path(output_path)
        site_url = str(settings.get("SITEURL") or "").rstrip("/")
        written, kept = 0, 0
        for item in self.loaded:
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
        by_path, by_request = nginx_maps(self.loaded)
        (output / MAP_FILE).write_text(by_path, encoding="utf-8")
        (output / QUERY_MAP_FILE).write_text(by_request, encoding="utf-8")
        if kept:
            logger.warning(
                "%d địa chỉ cũ trùng với trang của cổng mới nên không tạo trang chuyển hướng "
                "(nginx vẫn chuyển hướng theo .redirects.map)",
                kept,
            )
        if self.loaded:
            logger.info("Đã tạo %d trang chuyển hướng từ địa chỉ cũ", written)


register = Redirects.register
