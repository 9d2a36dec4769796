"""Turn one source image into clean, resized web files, with a content-addressed cache.

Pure Pillow code (no Pelican): it runs in worker processes. Every result is a
:class:`Processed` (files in a cache entry) or a :class:`Failure` (a code the
plugin turns into a message for the editor); nothing here raises for a bad image.

What every written file has in common, whatever the source was: EXIF orientation
applied, pixels converted to sRGB, 8-bit RGB or RGBA, and no metadata at all (no
EXIF/GPS/serial numbers, no XMP, no ICC profile, no comments or text chunks).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
import warnings
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

#: Bump when the output of the pipeline changes, so every cache entry is redone.
PIPELINE_VERSION = 1

#: Formats Pillow detects that the pipeline accepts (MPO: JPEGs from many cameras).
SUPPORTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF"}

#: File extensions the plugin takes over from Pelican's static copier: these are
#: never copied as they are, because they may carry GPS positions and serials.
RASTER_EXTENSIONS = {
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".webp",
    ".gif",
    ".tif",
    ".tiff",
    ".bmp",
    ".heic",
    ".heif",
    ".avif",
}

#: How a cleaned original is saved, by source format (same format, same extension).
_ORIGINAL_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
_ORIGINAL_FORMAT |= {"GIF": "GIF", "TIFF": "TIFF"}

_EXTENSION = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
_MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
_MIME |= {"GIF": "image/gif", "TIFF": "image/tiff"}

FULL = "full"  # every derivative: widths, thumbnail, social image (+ original if published)
ORIGINAL = "original"  # only the cleaned original (a published file no post shows)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Options:
    """Everything that changes the bytes written; part of the cache key."""

    widths: tuple[int, ...] = (480, 800, 1200)
    webp_quality: int = 80
    jpeg_quality: int = 82
    original_quality: int = 92
    thumbnail_size: tuple[int, int] = (480, 270)
    social_size: tuple[int, int] = (1200, 630)
    publish_originals: bool = False
    max_pixels: int = 80_000_000
    max_bytes: int = 40 * 1024 * 1024

    def fingerprint(self) -> str:
        """Hash of the output-shaping options, Pillow's version and the pipeline's."""
        shaping = asdict(self)
        del shaping["max_pixels"], shaping["max_bytes"]
        shaping["pipeline"] = PIPELINE_VERSION
        shaping["pillow"] = PIL.__version__
        text = json.dumps(shaping, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    source: str  # absolute path of the source image
    rel: str  # its path inside content/, for messages
    kind: str  # FULL or ORIGINAL
    cache_root: str
    options: Options


@dataclass(frozen=True)
class Rendition:
    """One encoded file in a cache entry."""

    file: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Processed:
    rel: str
    key: str
    width: int  # of the source, after orientation
    height: int
    has_alpha: bool
    source_format: str
    webp: tuple[Rendition, ...] = ()
    fallback: tuple[Rendition, ...] = ()
    thumb_webp: Rendition | None = None
    thumb_fallback: Rendition | None = None
    social: Rendition | None = None
    original: Rendition | None = None
    cache_dir: str = field(default="", compare=False)
    cached: bool = field(default=False, compare=False)

    def path(self, rendition: Rendition) -> str:
        return os.path.join(self.cache_dir, rendition.file)


@dataclass(frozen=True)
class Failure:
    """Why an image could not be used; ``code`` picks the editor's message."""

    rel: str
    code: str  # missing, too_big, bomb, corrupt, unsupported, animated, unexpected
    detail: str = ""


class _Reject(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


# -- entry point ---------------------------------------------------------------------


def process(job: Job) -> Processed | Failure:
    """Process one image (or find it in the cache). Never raises."""
    try:
        return _process(job)
    except _Reject as reject:
        return Failure(job.rel, reject.code, reject.detail)
    except MemoryError:
        return Failure(job.rel, "bomb", "hết bộ nhớ khi giải nén ảnh")
    except Exception as exc:  # a Pillow bug or a file system error: report, never crash
        return Failure(job.rel, "unexpected", f"{type(exc).__name__}: {exc}")


def cache_key(digest: str, options: Options, kind: str) -> str:
    """The cache entry of a source (by content hash) for these options and this kind."""
    text = f"{digest}:{options.fingerprint()}:{kind}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _process(job: Job) -> Processed | Failure:
    options = job.options
    try:
        size = os.stat(job.source).st_size
    except FileNotFoundError:
        raise _Reject("missing") from None
    except NotADirectoryError:
        raise _Reject("missing") from None
    if size > options.max_bytes:
        raise _Reject("too_big", str(size))
    with open(job.source, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    key = cache_key(digest, options, job.kind)
    entry = Path(job.cache_root) / key[:2] / key
    found = _load_manifest(entry, job.rel)
    if found is not None:
        return found
    return _render(job, key, entry)


# -- cache ---------------------------------------------------------------------------


def _load_manifest(entry: Path, rel: str) -> Processed | None:
    try:
        data = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
        processed = _from_dict(data, rel, str(entry))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    renditions = [
        *processed.webp,
        *processed.fallback,
        processed.thumb_webp,
        processed.thumb_fallback,
        processed.social,
        processed.original,
    ]
    if not all((entry / r.file).is_file() for r in renditions if r is not None):
        return None
    return processed


def _from_dict(data: dict, rel: str, cache_dir: str) -> Processed:
    def one(value: dict | None) -> Rendition | None:
        return Rendition(**value) if value else None

    return Processed(
        rel=rel,
        key=data["key"],
        width=data["width"],
        height=data["height"],
        has_alpha=data["has_alpha"],
        source_format=data["source_format"],
        webp=tuple(Rendition(**r) for r in data["webp"]),
        fallback=tuple(Rendition(**r) for r in data["fallback"]),
        thumb_webp=one(data["thumb_webp"]),
        thumb_fallback=one(data["thumb_fallback"]),
        social=one(data["social"]),
        original=one(data["original"]),
        cache_dir=cache_dir,
        cached=True,
    )


def _publish_entry(tmp: Path, entry: Path) -> None:
    """Move a finished entry into place atomically; a concurrent twin wins harmlessly."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(tmp, entry)
    except OSError:
        if (entry / "manifest.json").is_file():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(entry, ignore_errors=True)
            os.rename(tmp, entry)


# -- decoding ------------------------------------------------------------------------


def _open(job: Job) -> tuple[Image.Image, str, tuple[int, int]]:
    """Open and decode, with every Pillow failure mapped to a reason."""
    options = job.options
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # Opening reads only the header; the size is checked here, below, so the
        # message can give it. Pillow's own check is back on before any decoding.
        Image.MAX_IMAGE_PIXELS = None
        try:
            img = Image.open(job.source)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _Reject("bomb", str(exc)) from None
        except UnidentifiedImageError:
            ext = os.path.splitext(job.rel)[1].lower()
            if ext in {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".tif", ".tiff"}:
                raise _Reject("corrupt") from None
            raise _Reject("unsupported", ext.lstrip(".").upper() or "?") from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise _Reject("corrupt", str(exc)) from None
        finally:
            Image.MAX_IMAGE_PIXELS = options.max_pixels
        fmt = img.format or "?"
        if fmt not in SUPPORTED_FORMATS:
            raise _Reject("unsupported", fmt)
        width, height = img.size
        if width * height > options.max_pixels:
            raise _Reject("bomb", f"{width}×{height}")
        if fmt != "MPO" and getattr(img, "n_frames", 1) > 1:
            raise _Reject("animated")
        orientation = _orientation(img)
        oriented = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
        if fmt in ("JPEG", "MPO") and not _needs_full_size(job):
            need = _needed_size(oriented, options)
            raw_need = (need[1], need[0]) if oriented != (width, height) else need
            img.draft(img.mode, raw_need)
        try:
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _Reject("bomb", str(exc)) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _Reject("corrupt", str(exc)) from None
    return img, fmt, oriented


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112) or 1)
    except Exception:  # unreadable EXIF: the photo is still usable
        return 1


def _needs_full_size(job: Job) -> bool:
    return job.kind == ORIGINAL or job.options.publish_originals


def _needed_size(oriented: tuple[int, int], options: Options) -> tuple[int, int]:
    """Smallest decode size (oriented) from which every derivative can be made."""
    width, height = oriented
    need_w = min(width, max(options.widths))
    for box_w, box_h in (options.social_size, options.thumbnail_size):
        scale = min(1.0, max(box_w / width, box_h / height))
        need_w = max(need_w, round(width * scale))
    need_h = max(1, round(need_w * height / width))
    return max(1, need_w), need_h


# -- colour and mode -----------------------------------------------------------------


def normalise(img: Image.Image) -> Image.Image:
    """Orientation applied, sRGB pixels, 8-bit RGB or RGBA, and no metadata left."""
    with contextlib.suppress(Exception):  # a broken orientation tag: keep pixels as stored
        img = ImageOps.exif_transpose(img) or img
    img = _to_srgb(img)
    img = _to_rgb_or_rgba(img)
    if img.mode == "RGBA" and img.getchannel("A").getextrema() == (255, 255):
        img = img.convert("RGB")
    img.info = {}
    return img


def _to_srgb(img: Image.Image) -> Image.Image:
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return img
    out_mode = "RGBA" if img.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            img, source, _SRGB, outputMode=out_mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img  # a broken or mismatched profile: plain conversion below
    return converted or img


def _to_rgb_or_rgba(img: Image.Image) -> Image.Image:
    mode = img.mode
    if mode in ("RGB", "RGBA"):
        if mode == "RGB" and "transparency" in img.info:
            return img.convert("RGBA")
        return img
    if mode.startswith("I") or mode == "F":
        return _deep_to_rgb(img)
    if mode in ("LA", "PA", "La", "RGBa"):
        return img.convert("RGBA")
    if mode in ("P", "L", "1") and "transparency" in img.info:
        return img.convert("RGBA")
    return img.convert("RGB")  # P, L, 1, CMYK, YCbCr, LAB, HSV


def _deep_to_rgb(img: Image.Image) -> Image.Image:
    """16-bit (I;16) and 32-bit grey: scale to 8 bits instead of clipping to white."""
    if img.mode == "F" and img.getextrema()[1] <= 1.0:
        img = img.point(lambda v: v * 255)  # floating point grey in 0..1
    grey = img.convert("I") if img.mode != "I" else img
    if grey.getextrema()[1] > 255:
        grey = grey.point(lambda v: v / 256)
    return grey.convert("L").convert("RGB")


def _flatten(img: Image.Image) -> Image.Image:
    """RGBA on a white page, for formats without transparency (social image)."""
    if img.mode != "RGBA":
        return img
    page = Image.new("RGB", img.size, (255, 255, 255))
    page.paste(img, mask=img.getchannel("A"))
    return page


# -- geometry ------------------------------------------------------------------------


def derivative_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """Widths to make for a source this wide: never wider than the source."""
    chosen = {w for w in widths if w < width}
    chosen.add(min(width, max(widths)))
    return sorted(chosen)


def cover_box(size: tuple[int, int], box: tuple[int, int]) -> tuple[tuple[int, ...], tuple]:
    """Centred crop with the box's aspect ratio and its final size (never upscaled)."""
    width, height = size
    box_w, box_h = box
    if width * box_h > height * box_w:  # wider than the box: cut the sides
        crop_w, crop_h = round(height * box_w / box_h), height
    else:
        crop_w, crop_h = width, round(width * box_h / box_w)
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    final = (box_w, box_h) if crop_w >= box_w else (crop_w, crop_h)
    return (left, top, left + crop_w, top + crop_h), final


def _cover(
    sources: list[Image.Image], box: tuple[int, int], source_size: tuple[int, int]
) -> Image.Image:
    """Crop-and-resize as if from ``source_size``, using the smallest image that suffices.

    ``sources`` are the same picture at decreasing sizes (the first may be decoded
    smaller than ``source_size``); the one used still has at least the final pixels.
    """
    crop, final = cover_box(source_size, box)
    final = (max(1, final[0]), max(1, final[1]))
    chosen = sources[0]
    for img in sources[1:]:
        if (crop[2] - crop[0]) * img.width / source_size[0] >= final[0]:
            chosen = img
    scale_x, scale_y = chosen.width / source_size[0], chosen.height / source_size[1]
    scaled = (crop[0] * scale_x, crop[1] * scale_y, crop[2] * scale_x, crop[3] * scale_y)
    return chosen.resize(final, Image.Resampling.LANCZOS, box=scaled, reducing_gap=3.0)


# -- encoding ------------------------------------------------------------------------


def _save(img: Image.Image, folder: Path, name: str, fmt: str, options: Options) -> Rendition:
    """Encode with no metadata: only pixels and the parameters given here are written."""
    file = f"{name}.{_EXTENSION[fmt]}"
    params: dict = {}
    if fmt == "WEBP":
        params = {"quality": options.webp_quality, "method": 4}
    elif fmt == "JPEG":
        img = _flatten(img)
        params = {"quality": options.jpeg_quality, "optimize": True, "progressive": True}
    elif fmt == "PNG":
        params = {"compress_level": 6}
    img.save(folder / file, fmt, **params)
    return Rendition(file, img.width, img.height, _MIME[fmt])


def _save_original(img: Image.Image, folder: Path, source_format: str, options: Options):
    fmt = _ORIGINAL_FORMAT[source_format]
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "TIFF": "tif"}[fmt]
    file = f"original.{ext}"
    params: dict = {}
    if fmt == "JPEG":
        img = _flatten(img)
        params = {"quality": options.original_quality, "optimize": True, "progressive": True}
    elif fmt == "WEBP":
        params = {"quality": options.original_quality, "method": 4}
    elif fmt == "TIFF":
        params = {"compression": "tiff_deflate"}
    elif fmt == "PNG":
        params = {"compress_level": 6}
    img.save(folder / file, fmt, **params)
    return Rendition(file, img.width, img.height, _MIME[fmt])


def _render(job: Job, key: str, entry: Path) -> Processed:
    options = job.options
    img, source_format, oriented = _open(job)
    with img:
        clean = normalise(img)
    has_alpha = clean.mode == "RGBA"
    fallback_fmt = "PNG" if has_alpha else "JPEG"
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=entry.parent))
    try:
        webp: list[Rendition] = []
        fallback: list[Rendition] = []
        thumb_webp = thumb_fallback = social = original = None
        if job.kind == FULL:
            # Each size is made from the previous, larger one: much faster than
            # resampling the full photo every time, and just as sharp.
            sources = [clean]
            for width in sorted(derivative_widths(oriented[0], options.widths), reverse=True):
                height = max(1, round(width * oriented[1] / oriented[0]))
                resized = sources[-1]
                if resized.size != (width, height):
                    resized = resized.resize(
                        (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0
                    )
                    sources.append(resized)
                webp.append(_save(resized, tmp, f"w{width}", "WEBP", options))
                fallback.append(_save(resized, tmp, f"w{width}", fallback_fmt, options))
            thumb = _cover(sources, options.thumbnail_size, oriented)
            thumb_webp = _save(thumb, tmp, "thumb", "WEBP", options)
            thumb_fallback = _save(thumb, tmp, "thumb", fallback_fmt, options)
            social_img = _cover(sources, options.social_size, oriented)
            social = _save(social_img, tmp, "social", "JPEG", options)
        if job.kind == ORIGINAL or options.publish_originals:
            original = _save_original(clean, tmp, source_format, options)
        processed = Processed(
            rel=job.rel,
            key=key,
            width=oriented[0],
            height=oriented[1],
            has_alpha=has_alpha,
            source_format=source_format,
            webp=tuple(sorted(webp, key=lambda r: r.width)),
            fallback=tuple(sorted(fallback, key=lambda r: r.width)),
            thumb_webp=thumb_webp,
            thumb_fallback=thumb_fallback,
            social=social,
            original=original,
        )
        manifest = asdict(processed)
        del manifest["cache_dir"], manifest["cached"], manifest["rel"]
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _publish_entry(tmp, entry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return replace(processed, cache_dir=str(entry))


# -- many at once --------------------------------------------------------------------


def process_many(jobs: list[Job], workers: int) -> dict[tuple[str, str], Processed | Failure]:
    """Results by ``(rel, kind)``, using up to ``workers`` processes. Never raises."""
    results: dict[tuple[str, str], Processed | Failure] = {}
    if not jobs:
        return results
    if workers <= 1 or len(jobs) == 1:
        for job in jobs:
            results[(job.rel, job.kind)] = process(job)
        return results
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures = {(job.rel, job.kind): pool.submit(process, job) for job in jobs}
            for slot, future in futures.items():
                try:
                    results[slot] = future.result()
                except BrokenProcessPool:
                    results[slot] = Failure(
                        slot[0], "unexpected", "tiến trình xử lý ảnh bị dừng (thiếu bộ nhớ?)"
                    )
    except OSError:  # no processes available: do it here, one by one
        for job in jobs:
            if (job.rel, job.kind) not in results:
                results[(job.rel, job.kind)] = process(job)
    return results
