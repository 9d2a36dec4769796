"""Finding images in post HTML, alt text, and the <picture>/<figure> that replaces them."""

from __future__ import annotations

import pytest

from plugins.images.config import SettingsError, read_config
from plugins.images.markup import (
    PictureSources,
    content_path,
    find_images,
    missing_alt,
    rewrite,
)

PIC = PictureSources(
    src="/a-800.jpg",
    width=800,
    height=600,
    srcset_webp="/a-480.webp 480w, /a-800.webp 800w",
    srcset_fallback="/a-480.jpg 480w, /a-800.jpg 800w",
    fallback_type="image/jpeg",
    sizes="100vw",
)


def test_missing_alt_lists_images_without_a_real_text_alternative():
    html = (
        '<p><img alt="" src="{static}/images/a.jpg"></p>'
        '<p>text <img src="/images/b.png"> text</p>'
        '<p><img alt="Cầu Bến Mới" src="c.jpg"></p>'
        "<p><img alt='   ' src=\"d.jpg\"></p>"
    )
    assert missing_alt(html) == ["{static}/images/a.jpg", "/images/b.png", "d.jpg"]
    assert missing_alt("<p>không có ảnh</p>") == []


def test_block_inline_and_linked_images_are_told_apart():
    html = (
        '<p><img alt="a" src="a.jpg" title="Chú thích"></p>'
        '<p>Xem <img alt="b" src="b.jpg"> ở đây</p>'
        '<p><a href="{static}/images/c.jpg"><img alt="c" src="{static}/images/c.jpg"></a></p>'
    )
    a, b, c = find_images(html)
    assert a.block_start == 0 and a.attrs["title"] == "Chú thích"
    assert b.block_start is None
    assert c.block_start is not None and c.link_open.startswith("<a ")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("{static}/images/2024/a.jpg", "images/2024/a.jpg"),
        ("|static|/images/a.jpg", "images/a.jpg"),
        ("{static}../../images/a.jpg", "images/a.jpg"),
        ("{attach}a.jpg", "posts/2024/a.jpg"),
        ("/images/a%20b.jpg", "images/a b.jpg"),
        ("{static}/images/a.jpg?v=2", "images/a.jpg"),
        ("https://example.com/a.jpg", None),
        ("//cdn.example.com/a.jpg", None),
        ("{static}../../../../etc/passwd", "../../etc/passwd"),
    ],
)
def test_content_path_follows_pelican_static_rules(url, expected):
    assert content_path(url, "posts/2024") == expected


def test_rewrite_makes_figures_with_captions_and_lazy_loading_after_the_lead():
    html = (
        '<p><img alt="Quang cảnh" src="a.jpg" title="Quang cảnh cuộc họp giao ban"></p>'
        '<p>Văn bản <img alt="b" src="b.jpg" title="ghi chú"> tiếp.</p>'
        '<p><img alt="c" src="https://example.com/c.jpg"></p>'
        '<p><a href="a.jpg">Tải ảnh</a></p>'
    )
    known = {"a.jpg", "b.jpg"}
    out = rewrite(
        html,
        lambda tag, index: PIC if tag.src in known else None,
        lambda url: "/a-800.jpg" if url == "a.jpg" else None,
        first_is_lead=True,
    )
    first, rest = out.split("</figure>", 1)
    assert first.startswith('<figure class="image"><picture><source type="image/webp"')
    assert 'width="800" height="600"' in first and 'fetchpriority="high"' in first
    assert "loading=" not in first
    assert "<figcaption>Quang cảnh cuộc họp giao ban</figcaption>" in first
    assert '<p>Văn bản <picture><source type="image/webp"' in rest
    assert 'title="ghi chú" loading="lazy" decoding="async"></picture> tiếp.</p>' in rest
    assert '<p><img alt="c" src="https://example.com/c.jpg"></p>' in rest
    assert '<a href="/a-800.jpg">Tải ảnh</a>' in rest


def test_rewrite_keeps_every_image_lazy_when_the_lead_is_the_front_matter_image():
    out = rewrite(
        '<p><img alt="a" src="a.jpg"></p>', lambda t, i: PIC, lambda u: None, first_is_lead=False
    )
    assert 'loading="lazy" decoding="async"' in out and "fetchpriority" not in out


def test_images_already_in_a_picture_are_left_alone():
    html = '<picture><source srcset="x.webp"><img alt="x" src="x.jpg"></picture>'
    (tag,) = find_images(html)
    assert tag.in_picture
    assert rewrite(html, lambda t, i: PIC, lambda u: None, first_is_lead=True) == html


def test_alt_and_caption_are_escaped():
    html = '<p><img alt="Cầu &quot;Bến Mới&quot; &lt;2&gt;" src="a.jpg" title="a &amp; b"></p>'
    out = rewrite(html, lambda t, i: PIC, lambda u: None, first_is_lead=False)
    assert 'alt="Cầu &quot;Bến Mới&quot; &lt;2&gt;"' in out
    assert "<figcaption>a &amp; b</figcaption>" in out


def test_settings_defaults_and_clear_errors(tmp_path):
    settings = {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output")}
    config = read_config(settings)
    assert settings["IMAGES_WIDTHS"] == [480, 800, 1200]
    assert config.cache_path == str(tmp_path / "cache" / "images")
    assert config.workers >= 1 and not config.require_alt
    for name, value, words in [
        ("IMAGES_WIDTHS", [], "IMAGES_WIDTHS"),
        ("IMAGES_WEBP_QUALITY", 0, "IMAGES_WEBP_QUALITY"),
        ("IMAGES_SOCIAL_SIZE", (1200,), "IMAGES_SOCIAL_SIZE"),
        ("IMAGES_PUBLISH_ORIGINALS", "yes", "True or False"),
        ("IMAGES_CACHE_PATH", str(tmp_path / "output" / "c"), "outside OUTPUT_PATH"),
    ]:
        with pytest.raises(SettingsError, match=words):
            read_config({**settings, name: value})
