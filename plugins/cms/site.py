"""The files of ``/admin/``: the Decap bundle copied from node_modules, the page, the
configuration and the portal's own script. Plain file work, no Pelican imports."""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

STATIC = Path(__file__).resolve().parent / "static"
#: The bundle's files that the page loads: the entry script, its lazily loaded chunks,
#: the WebAssembly it fetches and the licence notice. Source maps are left out (25 MB).
BUNDLE_PATTERNS = ("decap-cms.js", "*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")
VENDOR_DIR = "decap"


class BundleMissing(FileNotFoundError):
    """node_modules has no Decap bundle (``npm ci`` was not run)."""


def bundle_files(bundle_dir: Path) -> list[Path]:
    entry = bundle_dir / "decap-cms.js"
    if not entry.is_file():
        raise BundleMissing(str(entry))
    files: set[Path] = set()
    for pattern in BUNDLE_PATTERNS:
        files.update(p for p in bundle_dir.glob(pattern) if p.is_file())
    return sorted(files)


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy unless the target already has the same size and time (a rebuild keeps 6 MB)."""
    try:
        here, there = source.stat(), target.stat()
        if here.st_size == there.st_size and int(here.st_mtime) == int(there.st_mtime):
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return True


def index_html(site_name: str, version: str) -> str:
    """The admin page: Decap from this site, then the portal's additions. No inline script,
    so the admin's CSP needs no 'unsafe-inline' for scripts."""
    title = html.escape(f"Quản trị nội dung - {site_name}")
    query = html.escape(version)
    return (
        "<!doctype html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        '<meta name="referrer" content="same-origin">\n'
        f"<title>{title}</title>\n"
        '<link rel="config" href="config.yml" type="text/yaml">\n'
        "</head>\n<body>\n"
        f'<script src="{VENDOR_DIR}/decap-cms.js?v={query}"></script>\n'
        f'<script src="cms-portal.js?v={query}"></script>\n'
        "</body>\n</html>\n"
    )


def portal_script(locale_additions: Mapping[str, Any], preview_css: list[str]) -> str:
    """cms-portal.js: the static script with the Vietnamese strings and styles filled in."""
    template = (STATIC / "cms-portal.js").read_text(encoding="utf-8")
    return template.replace(
        "/*LOCALE_ADDITIONS*/{}", json.dumps(locale_additions, ensure_ascii=False, indent=1)
    ).replace("/*PREVIEW_CSS*/[]", json.dumps(preview_css))


def load_locale_additions() -> dict[str, Any]:
    return json.loads((STATIC / "locale-vi.json").read_text(encoding="utf-8"))


def write_admin(
    output: Path,
    folder: str,
    bundle_dir: Path,
    config: Mapping[str, Any],
    site_name: str,
    version: str,
    preview_css: list[str],
) -> list[Path]:
    """Write ``output/<folder>/``; returns the files written or refreshed."""
    admin = output / folder
    written: list[Path] = []
    for source in bundle_files(bundle_dir):
        target = admin / VENDOR_DIR / source.name
        if copy_if_changed(source, target):
            written.append(target)
    texts = {
        "index.html": index_html(site_name, version),
        "config.yml": "# Written by plugins/cms at each build; edit pelicanconf.py instead.\n"
        + yaml.safe_dump(dict(config), allow_unicode=True, sort_keys=False, width=100),
        "cms-portal.js": portal_script(load_locale_additions(), preview_css),
    }
    admin.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        target = admin / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written
