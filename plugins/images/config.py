"""The plugin's settings: defaults, and one check at start-up with a clear message."""

from __future__ import annotations

from dataclasses import dataclass

from plugins.portal_core.files import beside_content
from plugins.portal_core.forkpool import processes
from plugins.portal_core.settings import (
    Option,
    Settings,
    flag,
    folder,
    number,
    outside_output,
    text,
    whole_number,
)

from .pipeline import Options


def _widths_ok(value, settings) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(whole_number(w) and 16 <= w <= 8000 for w in value)
    )


def _box(default: tuple[int, int], doc: str) -> Option:
    def valid(value, settings) -> bool:
        return (
            isinstance(value, (list, tuple))
            and len(value) == 2
            and all(whole_number(v) and 16 <= v <= 4000 for v in value)
        )

    return Option(default, doc, "(rộng, cao) tính bằng điểm ảnh, ví dụ (1200, 630)", valid)


SETTINGS = Settings(
    IMAGES_WIDTHS=Option(
        [480, 800, 1200],
        "widths of the responsive copies, px",
        valid=_widths_ok,
        message="{name} must be a non-empty list of widths in pixels, e.g. [480, 800, 1200].",
    ),
    IMAGES_SIZES=text(
        "(min-width: 60rem) 58rem, calc(100vw - 2rem)", "the sizes attribute", blank=False
    ),
    IMAGES_WEBP_QUALITY=number(80, "WebP quality", 1, 100),
    IMAGES_JPEG_QUALITY=number(82, "JPEG quality of the copies", 1, 95),
    IMAGES_ORIGINAL_QUALITY=number(92, "quality of re-encoded published originals", 1, 95),
    IMAGES_THUMBNAIL_SIZE=_box((480, 270), "list-page thumbnail, cropped"),
    IMAGES_SOCIAL_SIZE=_box((1200, 630), "social (Open Graph) image, cropped"),
    IMAGES_PUBLISH_ORIGINALS=flag(
        False,
        "publish cleaned full-size originals",
        message="{name} must be True or False, not {value!r}.",
    ),
    IMAGES_MAX_PIXELS=number(
        80_000_000, "larger images are refused (decompression bombs)", 1, 1_000_000_000
    ),
    IMAGES_MAX_BYTES=number(40 * 1024 * 1024, "larger files are refused (40 MiB)", 1, 2**40),
    IMAGES_REQUIRE_ALT=flag(
        False, "missing alt text is an error, not a warning (True in publishconf.py)"
    ),
    IMAGES_CACHE_PATH=folder(
        "cache/images",
        "cache of processed images; relative to the folder holding PATH; outside the output",
    ),
    IMAGES_WORKERS=number(0, "processes; 0 means one per CPU core", 0, 256),
)


class SettingsError(ValueError):
    """A setting of this plugin has a value it cannot use."""


@dataclass(frozen=True)
class Config:
    options: Options
    sizes: str
    require_alt: bool
    cache_path: str  # absolute
    workers: int


def read_config(settings: dict) -> Config:
    """Validated settings (defaults filled in ``settings``), or :class:`SettingsError`."""
    errors = SETTINGS.apply(settings)
    if errors:
        raise SettingsError(errors[0])
    cache = beside_content(settings, settings["IMAGES_CACHE_PATH"])
    if not outside_output(settings, cache):
        raise SettingsError("IMAGES_CACHE_PATH must be outside OUTPUT_PATH (it is rebuilt).")
    options = Options(
        widths=tuple(sorted(set(settings["IMAGES_WIDTHS"]))),
        webp_quality=settings["IMAGES_WEBP_QUALITY"],
        jpeg_quality=settings["IMAGES_JPEG_QUALITY"],
        original_quality=settings["IMAGES_ORIGINAL_QUALITY"],
        thumbnail_size=tuple(settings["IMAGES_THUMBNAIL_SIZE"]),
        social_size=tuple(settings["IMAGES_SOCIAL_SIZE"]),
        publish_originals=settings["IMAGES_PUBLISH_ORIGINALS"],
        max_pixels=settings["IMAGES_MAX_PIXELS"],
        max_bytes=settings["IMAGES_MAX_BYTES"],
    )
    return Config(
        options=options,
        sizes=" ".join(settings["IMAGES_SIZES"].split()),
        require_alt=settings["IMAGES_REQUIRE_ALT"],
        cache_path=cache,
        workers=processes(settings["IMAGES_WORKERS"]),
    )
