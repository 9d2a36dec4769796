"""The Pillow core: clean output, every awkward kind of input, limits and the cache."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from plugins.images.pipeline import (
    FULL,
    ORIGINAL,
    Failure,
    Job,
    Options,
    Processed,
    cover_box,
    derivative_widths,
    process,
    process_many,
)
from tests.images.conftest import SERIAL, metadata_blocks

OPTIONS = Options(widths=(160, 320, 640), thumbnail_size=(120, 90), social_size=(300, 158))


def _job(path: Path, tmp_path: Path, options: Options = OPTIONS, kind: str = FULL) -> Job:
    return Job(str(path), f"images/{path.name}", kind, str(tmp_path / "cache"), options)


def _ok(result) -> Processed:
    assert isinstance(result, Processed), result
    return result


def _files(result: Processed) -> list[Path]:
    renditions = [*result.webp, *result.fallback, result.thumb_webp, result.thumb_fallback]
    renditions += [result.social, result.original]
    return [Path(result.path(r)) for r in renditions if r is not None]


def test_gps_serial_xmp_comment_and_icc_are_gone_from_every_file(make, tmp_path):
    source = make.gps_jpeg()
    assert metadata_blocks(source)  # the test photo really carries metadata
    options = replace(OPTIONS, publish_originals=True)
    result = _ok(process(_job(source, tmp_path, options)))
    files = _files(result)
    assert len(files) == 3 * 2 + 2 + 1 + 1
    for file in files:
        assert metadata_blocks(file) == [], file
        assert SERIAL.encode() not in file.read_bytes()
        with Image.open(file) as img:
            assert not img.getexif()
            assert not {"icc_profile", "exif", "xmp", "comment"} & set(img.info)
    assert Path(result.path(result.original)).suffix == ".jpg"
    assert (result.original.width, result.original.height) == (900, 600)


def test_exif_orientation_is_applied_to_the_pixels(make, tmp_path):
    result = _ok(process(_job(make.rotated_jpeg(), tmp_path)))
    assert (result.width, result.height) == (200, 300)
    widest = result.fallback[-1]
    assert (widest.width, widest.height) == (200, 300)
    with Image.open(result.path(widest)) as img:
        assert not img.getexif().get(0x0112)
        red, green, _ = img.getpixel((img.width - 5, 5))  # stored top-left, turned clockwise
        assert red > 180 and green < 80
        red, green, _ = img.getpixel((5, 5))
        assert red < 80 and green > 120


def test_cmyk_becomes_rgb_with_the_right_colour(make, tmp_path):
    result = _ok(process(_job(make.cmyk_jpeg(), tmp_path)))
    for rendition in (result.fallback[-1], result.webp[-1]):
        with Image.open(result.path(rendition)) as img:
            assert img.mode == "RGB"
            red, green, blue = img.getpixel((10, 10))
            assert red > 200 and green < 60 and blue < 60


def test_palette_transparency_is_kept_in_webp_and_png(make, tmp_path):
    result = _ok(process(_job(make.palette_png(), tmp_path)))
    assert result.has_alpha
    assert [r.mime for r in result.fallback] == ["image/png"] * len(result.fallback)
    for rendition in (result.fallback[0], result.webp[0]):
        with Image.open(result.path(rendition)) as img:
            img = img.convert("RGBA")
            assert img.getpixel((2, img.height // 2))[3] == 0
            assert img.getpixel((img.width - 3, img.height // 2))[3] == 255
    with Image.open(result.path(result.social)) as social:
        assert social.mode == "RGB"  # JPEG: flattened on white


def test_sixteen_bit_png_is_scaled_not_clipped(make, tmp_path):
    source = make.png16()
    with Image.open(source) as img:
        assert img.mode.startswith("I")
    result = _ok(process(_job(source, tmp_path)))
    with Image.open(result.path(result.fallback[-1])) as img:
        assert img.mode == "RGB"
        left, middle, right = (img.getpixel((x, 30))[0] for x in (2, img.width // 2, img.width - 3))
    assert left < 30 and 90 < middle < 170 and right > 225


def test_widths_never_exceed_the_source():
    assert derivative_widths(4000, (480, 800, 1200)) == [480, 800, 1200]
    assert derivative_widths(1000, (480, 800, 1200)) == [480, 800, 1000]
    assert derivative_widths(300, (480, 800, 1200)) == [300]


def test_small_photo_is_not_upscaled(make, tmp_path):
    result = _ok(process(_job(make.plain("small.jpg", (200, 150)), tmp_path)))
    assert [(r.width, r.height) for r in result.fallback] == [(160, 120), (200, 150)]
    assert (result.social.width, result.social.height) == (200, 105)


def test_cover_box_crops_the_centre():
    crop, final = cover_box((4000, 3000), (1200, 630))
    assert final == (1200, 630)
    assert crop == (0, 450, 4000, 2550)
    crop, final = cover_box((1000, 3000), (1200, 630))  # a scanned page: keep its middle
    assert final == (1000, 525)
    assert crop[0] == 0 and crop[2] == 1000 and crop[1] == (3000 - 525) // 2


@pytest.mark.parametrize(
    ("maker", "options", "code"),
    [
        ("bomb_png", OPTIONS, "bomb"),
        ("plain", replace(OPTIONS, max_pixels=10_000), "bomb"),
        ("corrupt_jpeg", OPTIONS, "corrupt"),
        ("garbage", OPTIONS, "corrupt"),
        ("animated_gif", OPTIONS, "animated"),
        ("plain", replace(OPTIONS, max_bytes=1000), "too_big"),
    ],
)
def test_bad_images_fail_with_a_reason(make, tmp_path, maker, options, code):
    path = getattr(make, maker)() if maker != "plain" else make.plain("big.jpg", (400, 300))
    result = process(_job(path, tmp_path, options))
    assert isinstance(result, Failure)
    assert result.code == code, result


def test_decompression_bomb_warning_range_is_an_error_too(make, tmp_path):
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; the warning must count.
    path = make.plain("warn.png", (120, 100), "PNG")
    result = process(_job(path, tmp_path, replace(OPTIONS, max_pixels=8000)))
    assert isinstance(result, Failure) and result.code == "bomb"


def test_unsupported_and_missing_files(make, tmp_path):
    bmp = make.plain("scan.bmp", (50, 40), "BMP")
    heic = make.folder / "iphone.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100)
    assert process(_job(bmp, tmp_path)) == Failure("images/scan.bmp", "unsupported", "BMP")
    assert process(_job(heic, tmp_path)) == Failure("images/iphone.heic", "unsupported", "HEIC")
    missing = process(_job(make.folder / "nope.jpg", tmp_path))
    assert missing == Failure("images/nope.jpg", "missing")


def test_cache_hit_for_same_bytes_and_settings_and_miss_when_either_changes(make, tmp_path):
    source = make.plain("a.jpg")
    first = _ok(process(_job(source, tmp_path)))
    assert not first.cached
    made = {p: p.stat().st_mtime_ns for p in _files(first)}
    again = _ok(process(_job(source, tmp_path)))
    assert again.cached and again.key == first.key
    assert {p: p.stat().st_mtime_ns for p in _files(again)} == made
    other = _ok(process(_job(source, tmp_path, replace(OPTIONS, webp_quality=50))))
    assert not other.cached and other.key != first.key
    make.plain("a.jpg", (641, 480))  # the editor replaced the photo
    changed = _ok(process(_job(source, tmp_path)))
    assert not changed.cached and changed.key != first.key


def test_damaged_cache_entry_is_redone(make, tmp_path):
    first = _ok(process(_job(make.plain("b.jpg"), tmp_path)))
    os.remove(first.path(first.webp[0]))
    again = _ok(process(_job(make.plain("b.jpg"), tmp_path)))
    assert not again.cached and Path(again.path(again.webp[0])).is_file()


def test_original_only_job_makes_just_the_clean_original(make, tmp_path):
    result = _ok(process(_job(make.gps_jpeg(), tmp_path, kind=ORIGINAL)))
    assert not result.webp and result.social is None
    assert metadata_blocks(Path(result.path(result.original))) == []


def test_many_images_in_worker_processes(make, tmp_path):
    jobs = [_job(make.plain(f"p{i}.jpg", (300 + i, 200)), tmp_path) for i in range(4)]
    jobs.append(_job(make.garbage(), tmp_path))
    results = process_many(jobs, workers=2)
    assert sum(isinstance(r, Processed) for r in results.values()) == 4
    assert results[("images/not-an-image.jpg", FULL)].code == "corrupt"
