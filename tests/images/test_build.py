"""Real Pelican builds of tiny sites with the images plugin on."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from tests.images.conftest import SERIAL, metadata_blocks

pytestmark = pytest.mark.slow

ARTICLE = "2023/09/anh-hien-truong/"


def _photo_post(site, **extra):
    images = site.images
    images.gps_jpeg("2023/gps.jpg")
    images.rotated_jpeg("2023/rotated.jpg")
    images.cmyk_jpeg("2023/cmyk.jpg")
    images.palette_png("2023/palette.png")
    images.png16("2023/deep.png")
    images.gps_jpeg("2023/unused.jpg")  # in STATIC_PATHS, shown by no post
    body = "\n\n".join(
        [
            "Mở đầu bài viết.",
            "![Cán bộ kiểm tra xe]({static}/images/2023/rotated.jpg"
            ' "Quang cảnh cuộc họp giao ban")',
            "![Băng rôn in màu]({static}/images/2023/cmyk.jpg)",
            "Sơ đồ ![Sơ đồ tuyến](/images/2023/palette.png) trong dòng.",
            "![Biểu đồ xám](../images/2023/deep.png)",
            "[Tải ảnh gốc]({static}/images/2023/gps.jpg)",
        ]
    )
    return site.post(
        "anh",
        title="Ảnh hiện trường",
        Image="images/2023/gps.jpg",
        Image_Alt="Hiện trường vụ sạt lở trên đường tỉnh 518",
        Image_Caption="Sạt lở đường tỉnh 518",
        body=body,
        **extra,
    )


def test_photos_are_published_clean_resized_and_in_picture_elements(image_site):
    _photo_post(image_site)
    result = image_site.build()
    assert result.returncode == 0, result.log
    published = image_site.published_images()
    assert published
    for path in published:
        assert metadata_blocks(path) == [], path
        assert SERIAL.encode() not in path.read_bytes()
    names = {p.relative_to(image_site.output).as_posix() for p in published}
    # originals are not published by default, not even the unused one
    assert not names & {f"images/2023/{n}" for n in ("gps.jpg", "rotated.jpg", "unused.jpg")}
    rotated = [p for p in published if p.name.startswith("rotated-") and p.suffix == ".jpg"]
    with Image.open(max(rotated, key=lambda p: p.stat().st_size)) as img:
        assert img.height > img.width  # stored 300×200, orientation 6

    page = result.page(ARTICLE)
    lead = re.search(r'<figure class="lead-image">(.*?)</figure>', page, re.S).group(1)
    assert 'fetchpriority="high"' in lead and "Sạt lở đường tỉnh 518" in lead
    assert re.search(r'<img src="[^"]+gps-900\.\w{8}\.jpg" srcset="[^"]+ 480w, ', lead)
    body = page.split('<div class="article-body">', 1)[1]
    assert body.count("<picture>") == 4
    assert "<img" not in re.sub(r"<picture>.*?</picture>", "", body, flags=re.S)
    assert body.count('loading="lazy" decoding="async"') == 4  # the lead is the Image field
    assert 'width="200" height="300"' in body
    assert "<figcaption>Quang cảnh cuộc họp giao ban</figcaption>" in body
    assert re.search(r'href="[^"]+/images/2023/gps-900\.\w{8}\.jpg">Tải ảnh gốc', body)
    assert "{static}" not in body
    social = re.search(r'<meta property="og:image" content="[^"]+/(images/[^"]+)">', page)
    with Image.open(image_site.output / social.group(1)) as img:
        assert img.size == (900, 472)  # 1.91:1 crop, never upscaled
    listing = result.page("chuyen-muc/tin-tuc-su-kien/")
    assert re.search(r'<picture class="thumbnail">.*?width="480" height="270"', listing, re.S)


def test_originals_published_cleaned_and_cache_reused(image_site):
    _photo_post(image_site)
    image_site.settings("IMAGES_PUBLISH_ORIGINALS = True\n")
    assert image_site.build().returncode == 0
    entries = {p: p.stat().st_mtime_ns for p in image_site.cache.glob("*/*/manifest.json")}
    assert entries
    result = image_site.build()
    assert result.returncode == 0, result.log
    after = {p: p.stat().st_mtime_ns for p in image_site.cache.glob("*/*/manifest.json")}
    assert after == entries  # nothing processed again
    for name in ("gps.jpg", "unused.jpg", "rotated.jpg", "palette.png"):
        original = image_site.output / "images/2023" / name
        assert metadata_blocks(original) == [], name
    with Image.open(image_site.output / "images/2023/rotated.jpg") as img:
        assert img.size == (200, 300)
    page = result.page(ARTICLE)
    assert 'href="http://127.0.0.1:8000/images/2023/gps.jpg">Tải ảnh gốc' in page
    image_site.settings("IMAGES_PUBLISH_ORIGINALS = True\nIMAGES_WEBP_QUALITY = 60\n")
    assert image_site.build().returncode == 0
    changed = set(image_site.cache.glob("*/*/manifest.json"))
    assert len(changed) > len(entries)  # a changed setting reprocesses


def test_bad_images_stop_the_build_naming_post_and_image(image_site):
    images = image_site.images
    images.corrupt_jpeg("hong.jpg")
    images.bomb_png("bom.png")
    images.plain("ban-scan.bmp", (60, 80), "BMP")
    images.plain("khong-alt.jpg")
    image_site.post("a", title="Bài một", body="![Ảnh hỏng]({static}/images/hong.jpg)")
    image_site.post(
        "b", title="Bài hai", body="Dòng đầu.\n\n![Ảnh thiếu]({static}/images/khong-co.jpg)"
    )
    image_site.post("c", title="Bài ba", Image="images/bom.png", Image_Alt="Ảnh bom")
    image_site.post("d", title="Bài bốn", body="![Bản scan]({static}/images/ban-scan.bmp)")
    image_site.post("e", title="Bài năm", body="![]({static}/images/khong-alt.jpg)")
    image_site.settings("IMAGES_REQUIRE_ALT = True\n")
    result = image_site.build()
    assert result.returncode == 1
    log = result.log
    assert "Traceback" not in log
    assert 'content/posts/a.md:7: tệp ảnh "images/hong.jpg" bị hỏng' in log
    assert 'content/posts/b.md:9: không tìm thấy ảnh "images/khong-co.jpg"' in log
    assert re.search(r'content/posts/c\.md:\d+ \[Image\]: ảnh "images/bom\.png" quá lớn', log)
    assert "100000×100000 điểm ảnh, giới hạn 80 triệu" in log
    assert 'content/posts/d.md:7: ảnh "images/ban-scan.bmp" có định dạng BMP không' in log
    assert 'content/posts/e.md:7: ảnh "images/khong-alt.jpg" chưa có mô tả (alt)' in log
    assert log.count("→") >= 5  # every problem says how to fix it
    assert not result.output.exists()


def test_missing_alt_is_only_a_warning_when_not_publishing(image_site):
    image_site.images.plain("x.jpg")
    image_site.post("a", title="Bài một", body="![]({static}/images/x.jpg)")
    result = image_site.build()
    assert result.returncode == 0, result.log
    assert "chưa có mô tả (alt)" in result.log


def test_bad_setting_stops_at_start_with_a_clear_message(image_site):
    image_site.post("a")
    image_site.settings("IMAGES_WIDTHS = []\n")
    result = image_site.build()
    assert result.returncode == 1
    assert "IMAGES_WIDTHS must be a non-empty list" in result.log
    assert "Traceback" not in result.log


def test_derived_files_take_part_in_the_collision_check(image_site):
    image_site.images.plain("2023/cau.jpg", (1000, 750))
    image_site.post("a", title="Bài một", Image="images/2023/cau.jpg", Image_Alt="Cầu mới")
    image_site.settings("IMAGES_PUBLISH_ORIGINALS = True\n")
    assert image_site.build().returncode == 0
    (derived,) = image_site.output.glob("images/2023/cau-800.*.webp")
    # an editor re-uploads a file downloaded from the site, under the same name
    (image_site.content / "images/2023" / derived.name).write_bytes(derived.read_bytes())
    result = image_site.build()
    assert result.returncode == 1
    assert f"images/2023/{derived.name}" in result.log
    assert "sẽ bị ghi hai lần" in result.log
