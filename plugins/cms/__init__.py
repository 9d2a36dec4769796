"""Editors publish from a web page: Decap CMS at ``/admin/``, in Vietnamese, over git.

At each build this plugin writes ``<output>/admin/``: Decap's self-contained bundle,
copied from ``node_modules/decap-cms/dist`` (npm package pinned in package-lock.json;
nothing is fetched from elsewhere at run time), ``config.yml`` built from the settings
and from ``content/units.yml`` and ``content/categories.yml`` (the pickers), and
``cms-portal.js`` (the missing Vietnamese strings, the preview template and styles).
Edits go through Decap's editorial workflow (draft, review, ready: git branches and
merge requests) into ``content/posts`` and ``content/pages`` as YAML front-matter.
Operators: docs/cms.md. Editors: docs/huong-dan-bien-tap.md.

Settings: docs/settings.md. No bundle (``npm ci`` not run): a warning, no /admin/, the rest
of the site builds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from plugins.portal_core.settings import Plugin

from . import site
from .config import SETTINGS, choice_options, cms_config

logger = logging.getLogger(__name__)
PROJECT = Path(__file__).resolve().parents[2]


def _bundle_dir(settings) -> Path:
    path = Path(str(settings["CMS_BUNDLE_DIR"]))
    return path if path.is_absolute() else PROJECT / path


def registry_options(settings) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The unit and category pickers, read from the registries the build uses."""
    from plugins.categories.registry import load_categories
    from plugins.units.registry import load_units

    content = Path(str(settings["PATH"]))
    units, _ = load_units(str(content / "units.yml"))
    categories, _ = load_categories(str(content / "categories.yml"))
    unit_options = choice_options((e.name, e.short_name, depth) for e, depth in units.tree())
    category_options = choice_options((e.name, "", 0) for e in categories)
    return unit_options, category_options


class Cms(Plugin):
    """Decap CMS at /admin/: editors publish from a web page, over git, with review."""

    settings = SETTINGS

    def plan_outputs(self, sender, generators, settings):
        if not settings.get("CMS_ENABLED"):
            return []
        folder = settings["CMS_SAVE_AS"]
        return [
            (f"{folder}/index.html", "trang quản trị"),
            (f"{folder}/config.yml", "cấu hình CMS"),
        ]

    def before_publish(self, sender=None, output_path: str = "", settings=None, **_) -> None:
        if not settings or not settings.get("CMS_ENABLED"):
            return
        bundle = _bundle_dir(settings)
        units, categories = registry_options(settings)
        theme_css = "/".join(
            [str(settings.get("SITEURL") or "").rstrip("/"), settings["THEME_STATIC_DIR"], "css"]
        )
        try:
            site.bundle_files(bundle)
        except site.BundleMissing:
            logger.warning(
                "Trang quản trị /%s/ chưa được tạo: chưa cài Decap CMS (%s). Chạy: npm ci",
                settings["CMS_SAVE_AS"],
                bundle,
            )
            return
        # Changes when npm installs another version, so browsers fetch the new bundle.
        version = str(int((bundle / "decap-cms.js").stat().st_mtime))
        written = site.write_admin(
            Path(output_path),
            settings["CMS_SAVE_AS"],
            bundle,
            cms_config(settings, units, categories),
            settings.get("SITENAME", ""),
            version,
            [f"{theme_css}/portal.css"],
        )
        logger.info("Trang quản trị /%s/: %d tệp mới.", settings["CMS_SAVE_AS"], len(written))


register = Cms.register
