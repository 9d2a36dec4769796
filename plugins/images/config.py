"""The plugin's settings: defaults, and one check at start-up with a clear message."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from plugins.portal_core.files import beside_content
from plugins.portal_core.forkpool import processes

from .pipeline import Options

DEFAULTS: dict[str, Any] = {
    "IMAGES_WIDTHS": [480, 800, 1200],
    "IMAGES_SIZES": "(min-width: 60rem) 58rem, calc(100vw - 2rem)",
    "IMAGES_WEBP_QUALITY": 80,
    "IMAGES_JPEG_QUALITY": 82,
    "IMAGES_ORIGINAL_QUALITY": 92,
    "IMAGES_THUMBNAIL_SIZE": (480, 270),
    "IMAGES_SOCIAL_SIZE": (1200, 630),
    "IMAGES_PUBLISH_ORIGINALS": False,
    "IMAGES_MAX_PIXELS": 80_000_000,
    "IMAGES_MAX_BYTES": 40 * 1024 * 1024,
    "IMAGES_REQUIRE_ALT": False,
    "IMAGES_CACHE_PATH": "cache/images",
    "IMAGES_WORKERS": 0,
}


class SettingsError(ValueError):
    """A setting of this plugin has a value it cannot use."""


@dataclass(frozen=True)
class Config:
    options: Options
    sizes: str
    require_alt: bool
    cache_path: str  # absolute
    workers: int


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(settings: dict, name: str, low: int, high: int) -> int:
    value = settings[name]
    if not _is_int(value) or not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def _box(settings: dict, name: str) -> tuple[int, int]:
    value = settings[name]
    ok = (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(_is_int(v) and 16 <= v <= 4000 for v in value)
    )
    if not ok:
        raise SettingsError(f"{name} must be (width, height) in pixels, e.g. (1200, 630).")
    return int(value[0]), int(value[1])


def _flag(settings: dict, name: str) -> bool:
    value = settings[name]
    if not isinstance(value, bool):
        raise SettingsError(f"{name} must be True or False, not {value!r}.")
    return value


def read_config(settings: dict) -> Config:
    """Validated settings (defaults filled in ``settings``), or :class:`SettingsError`."""
    for name, default in DEFAULTS.items():
        settings.setdefault(name, default)
    widths = settings["IMAGES_WIDTHS"]
    if (
        not isinstance(widths, (list, tuple))
        or not widths
        or not all(_is_int(w) and 16 <= w <= 8000 for w in widths)
    ):
        raise SettingsError(
            "IMAGES_WIDTHS must be a non-empty list of widths in pixels, e.g. [480, 800, 1200]."
        )
    sizes = settings["IMAGES_SIZES"]
    if not isinstance(sizes, str) or not sizes.strip():
        raise SettingsError('IMAGES_SIZES must be a sizes attribute, e.g. "100vw".')
    cache = settings["IMAGES_CACHE_PATH"]
    if not isinstance(cache, (str, os.PathLike)) or not str(cache).strip():
        raise SettingsError("IMAGES_CACHE_PATH must be a folder path.")
    cache = beside_content(settings, str(cache))
    output = os.path.abspath(settings.get("OUTPUT_PATH") or "output")
    if os.path.commonpath([output, os.path.abspath(cache)]) == output:
        raise SettingsError("IMAGES_CACHE_PATH must be outside OUTPUT_PATH (it is rebuilt).")
    workers = _int(settings, "IMAGES_WORKERS", 0, 256)
    options = Options(
        widths=tuple(sorted(set(widths))),
        webp_quality=_int(settings, "IMAGES_WEBP_QUALITY", 1, 100),
        jpeg_quality=_int(settings, "IMAGES_JPEG_QUALITY", 1, 95),
        original_quality=_int(settings, "IMAGES_ORIGINAL_QUALITY", 1, 95),
        thumbnail_size=_box(settings, "IMAGES_THUMBNAIL_SIZE"),
        social_size=_box(settings, "IMAGES_SOCIAL_SIZE"),
        publish_originals=_flag(settings, "IMAGES_PUBLISH_ORIGINALS"),
        max_pixels=_int(settings, "IMAGES_MAX_PIXELS", 1, 1_000_000_000),
        max_bytes=_int(settings, "IMAGES_MAX_BYTES", 1, 2**40),
    )
    return Config(
        options=options,
        sizes=" ".join(sizes.split()),
        require_alt=_flag(settings, "IMAGES_REQUIRE_ALT"),
        cache_path=os.path.abspath(cache),
        workers=processes(workers),
    )
