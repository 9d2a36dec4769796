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

from pelican import signals

from plugins.portal_core.failure import fail
from plugins.portal_core.signals import before_publish, plan_outputs

from .core import AssetError, Assets, collect, hashed_name, write

__all__ = ["AssetError", "Assets", "hashed_name", "register"]

logger = logging.getLogger(__name__)


class _State:
    assets: Assets | None = None


_state = _State()


def read_theme(pelican) -> None:
    settings = pelican.settings
    try:
        _state.assets = collect(
            settings["THEME"],
            settings.get("THEME_STATIC_PATHS", ["static"]),
            settings.get("THEME_STATIC_DIR", "theme"),
            settings.get("IGNORE_FILES", []),
        )
    except OSError as exc:
        fail(f"Không đọc được tệp tĩnh của giao diện ({settings['THEME']}): {exc}")
        return
    settings["THEME_ASSET_NAMES"] = dict(_state.assets.names)


def install(generator) -> None:
    assets = _state.assets
    if assets is not None:
        generator.env.globals["theme_asset"] = assets.url
        # the build's context was copied from the settings before this build read the theme
        generator.context["THEME_ASSET_NAMES"] = dict(assets.names)


def planned_outputs(sender, generators, settings):
    assets = _state.assets
    return [(path, "tệp giao diện có mã băm") for path in assets.outputs()] if assets else []


def write_hashed(sender, output_path: str, settings) -> None:
    if _state.assets is not None:
        write(_state.assets, output_path)


def register() -> None:
    signals.initialized.connect(read_theme)
    signals.get_generators.connect(read_theme)  # again at each build of a resident preview
    signals.generator_init.connect(install)
    plan_outputs.connect(planned_outputs)
    before_publish.connect(write_hashed)
