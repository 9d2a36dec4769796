"""Fingerprinted theme CSS, JS and images: ``{{ theme_asset('css/portal.css') }}``.

Every file Pelican copies from the theme (``THEME_STATIC_PATHS`` into
``THEME_STATIC_DIR``) is also published under a name that carries a hash of its bytes
(``theme/css/portal.3f2a9c1b0d.css``), and templates link to that name through the Jinja
global ``theme_asset(path)``. After a theme change the HTML names the new file, so no
visitor sees new pages with the old CSS; nginx can cache hashed names for a year.
The plain names stay published too (feeds, old bookmarks, other sites' links).

The table of hashed names is computed at the start of every build (the live preview
builds many times in one process) and kept in the setting ``THEME_ASSET_NAMES`` (logical
name → hashed name): a build engine that reuses pages keys them on the settings, so a
theme file's change renders every page again.

Settings: none of its own (``THEME``, ``THEME_STATIC_PATHS``, ``THEME_STATIC_DIR``,
``IGNORE_FILES`` are Pelican's).
"""

from __future__ import annotations

import logging

from plugins.portal_core.failure import fail
from plugins.portal_core.settings import Plugin

from .core import AssetError, Assets, collect, hashed_name, write

__all__ = ["AssetError", "Assets", "hashed_name", "register"]

logger = logging.getLogger(__name__)


class ThemeAssets(Plugin):
    """Theme files under names with a hash of their bytes, and ``theme_asset()`` for templates."""

    assets: Assets | None = None

    def initialized(self, pelican) -> None:
        settings = pelican.settings
        try:
            self.assets = collect(
                settings["THEME"],
                settings.get("THEME_STATIC_PATHS", ["static"]),
                settings.get("THEME_STATIC_DIR", "theme"),
                settings.get("IGNORE_FILES", []),
            )
        except OSError as exc:
            fail(f"Không đọc được tệp tĩnh của giao diện ({settings['THEME']}): {exc}")
        settings["THEME_ASSET_NAMES"] = dict(self.assets.names)

    get_generators = initialized  # again at each build of a resident preview

    def generator_init(self, generator) -> None:
        if self.assets is not None:
            generator.env.globals["theme_asset"] = self.assets.url
            # the build's context was copied from the settings before this build read the theme
            generator.context["THEME_ASSET_NAMES"] = dict(self.assets.names)

    def plan_outputs(self, sender, generators, settings):
        return (
            [(path, "tệp giao diện có mã băm") for path in self.assets.outputs()]
            if self.assets
            else []
        )

    def before_publish(self, sender, output_path: str, settings) -> None:
        if self.assets is not None:
            write(self.assets, output_path)


register = ThemeAssets.register
