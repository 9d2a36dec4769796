"""Benchmark of the photo pipeline: N generated camera-size photos, cold and warm.

    .venv/bin/python bench/images_bench.py [--count 200] [--megapixels 12] [--workers 0]

Photos are made deterministically (gradients, shapes, noise; JPEG quality 90) in a
temporary folder; making them is not timed. "cold" processes them with an empty
cache, "warm" runs again on the same cache (what every rebuild of an unchanged site
costs). Output bytes are what a build publishes with the default settings: the
responsive copies, one thumbnail and one social image per photo (originals are not
published by default).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from plugins.images.config import SETTINGS
from plugins.images.pipeline import FULL, Job, Options, Processed, process_many

DEFAULTS = SETTINGS.defaults()


def make_photo(args: tuple[Path, int, int, int]) -> int:
    """One photo-like JPEG, the same bytes for the same seed; returns its size."""
    path, seed, width, height = args
    rng = random.Random(seed)
    small = Image.linear_gradient("L").resize((width // 8, height // 8))
    tint = tuple(rng.randrange(60, 200) for _ in range(3))
    base = Image.merge("RGB", [small.point(lambda v, t=t: (v + t) % 256) for t in tint])
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(width // 8), rng.randrange(height // 8)
        r = rng.randrange(10, width // 24)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    photo = base.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 24 + seed % 8).convert("RGB")
    photo = Image.blend(photo, noise, 0.3)
    photo.save(path, "JPEG", quality=90)
    return path.stat().st_size


def default_options() -> Options:
    return Options(
        widths=tuple(DEFAULTS["IMAGES_WIDTHS"]),
        webp_quality=DEFAULTS["IMAGES_WEBP_QUALITY"],
        jpeg_quality=DEFAULTS["IMAGES_JPEG_QUALITY"],
        original_quality=DEFAULTS["IMAGES_ORIGINAL_QUALITY"],
        thumbnail_size=DEFAULTS["IMAGES_THUMBNAIL_SIZE"],
        social_size=DEFAULTS["IMAGES_SOCIAL_SIZE"],
        publish_originals=False,
        max_pixels=DEFAULTS["IMAGES_MAX_PIXELS"],
        max_bytes=DEFAULTS["IMAGES_MAX_BYTES"],
    )


def published_bytes(result: Processed) -> int:
    renditions = [*result.webp, *result.fallback, result.thumb_webp, result.thumb_fallback]
    renditions.append(result.social)
    return sum(os.path.getsize(result.path(r)) for r in renditions if r is not None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--megapixels", type=float, default=12.0)
    parser.add_argument("--workers", type=int, default=0, help="0: one per core")
    parser.add_argument("--keep", type=Path, help="reuse/keep generated photos in this folder")
    args = parser.parse_args()
    workers = args.workers or os.cpu_count() or 1
    height = int(math.sqrt(args.megapixels * 1e6 * 3 / 4))
    width = height * 4 // 3

    work = Path(tempfile.mkdtemp(prefix="images-bench-"))
    photos = args.keep or work / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    try:
        started = time.monotonic()
        todo = [
            (photos / f"photo-{i:03d}.jpg", i, width, height)
            for i in range(args.count)
            if not (photos / f"photo-{i:03d}.jpg").is_file()
        ]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(make_photo, todo, chunksize=4))
        paths = sorted(photos.glob("photo-*.jpg"))[: args.count]
        source_bytes = sum(p.stat().st_size for p in paths)
        print(
            f"{len(paths)} photos {width}×{height} ({width * height / 1e6:.1f} MP), "
            f"{source_bytes / 1e6:.0f} MB, made in {time.monotonic() - started:.0f} s "
            f"(not counted); {workers} worker processes",
            flush=True,
        )

        options = default_options()
        cache = work / "cache"
        jobs = [Job(str(p), f"images/{p.name}", FULL, str(cache), options) for p in paths]
        timings = {}
        for run in ("cold", "warm"):
            started = time.monotonic()
            results = process_many(jobs, workers)
            timings[run] = time.monotonic() - started
            failures = [r for r in results.values() if not isinstance(r, Processed)]
            if failures:
                print(f"{len(failures)} failures, first: {failures[0]}")
                return 1
            cached = sum(1 for r in results.values() if r.cached)
            print(
                f"{run}: {timings[run]:.1f} s, {cached}/{len(results)} from the cache", flush=True
            )
        output_bytes = sum(published_bytes(r) for r in results.values())

        rows = [
            ("photos", f"{len(paths)} × {width * height / 1e6:.1f} MP"),
            ("workers", str(workers)),
            (
                "cold (empty cache)",
                f"{timings['cold']:.1f} s ({timings['cold'] / len(paths) * 1000:.0f} ms/photo)",
            ),
            (
                "warm (cached)",
                f"{timings['warm']:.2f} s ({timings['warm'] / len(paths) * 1000:.1f} ms/photo)",
            ),
            ("source bytes", f"{source_bytes / 1e6:.1f} MB"),
            (
                "output bytes",
                f"{output_bytes / 1e6:.1f} MB ({output_bytes / source_bytes:.1%} of source)",
            ),
            ("files per photo", str(len(_files(next(iter(results.values())))))),
        ]
        print()
        print(f"| {'measure':<20} | {'value':<40} |")
        print(f"|{'-' * 22}|{'-' * 42}|")
        for name, value in rows:
            print(f"| {name:<20} | {value:<40} |")
        results_dir = Path(__file__).resolve().parent / "results"
        results_dir.mkdir(exist_ok=True)
        (results_dir / "images_bench.json").write_text(
            json.dumps(
                {
                    "photos": len(paths),
                    "megapixels": width * height / 1e6,
                    "workers": workers,
                    "cold_s": round(timings["cold"], 2),
                    "warm_s": round(timings["warm"], 3),
                    "source_bytes": source_bytes,
                    "output_bytes": output_bytes,
                },
                indent=1,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _files(result: Processed) -> list:
    return [*result.webp, *result.fallback, result.thumb_webp, result.thumb_fallback, result.social]


if __name__ == "__main__":
    raise SystemExit(main())
