"""Where a processed image's files go in the output, and the objects templates get."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote

from .markup import PictureSources, srcset
from .pipeline import Processed, Rendition


@dataclass(frozen=True)
class PublishedImage:
    """One processed image as the site uses it; URLs include SITEURL."""

    picture: PictureSources
    files: dict[str, str]  # save_as → cache file, for the <picture>
    card_files: dict[str, str]  # save_as → cache file, for the thumbnail and social image
    original_file: str  # cache file of the cleaned original ("" when not published)
    largest: str  # URL of the widest fallback: where links to the unpublished original go
    thumbnail_src: str
    thumbnail_webp: str
    thumbnail_width: int
    thumbnail_height: int
    social_image: str
    social_width: int
    social_height: int


@dataclass(frozen=True)
class LeadImage:
    """``article.lead_image`` / ``article.card_image``: render with partials/picture.html."""

    src: str
    width: int
    height: int
    srcset_webp: str
    srcset_fallback: str
    fallback_type: str
    sizes: str
    alt: str
    caption: str
    thumbnail_src: str
    thumbnail_webp: str
    thumbnail_width: int
    thumbnail_height: int
    social_image: str
    social_width: int
    social_height: int


def url(siteurl: str, save_as: str) -> str:
    """Absolute (or root-relative when SITEURL is empty) URL, safe inside srcset."""
    return f"{siteurl.rstrip('/')}/{quote(save_as, safe='/')}"


def derived_save_as(base: str, variant: str, key: str, rendition: Rendition) -> str:
    """``images/2024/x-800.1a2b3c4d.webp``: the key changes whenever the bytes may."""
    ext = posixpath.splitext(rendition.file)[1]
    return f"{base}-{variant}.{key[:8]}{ext}"


def published(processed: Processed, save_as: str, siteurl: str, sizes: str) -> PublishedImage:
    """Output names and URLs of every file made from one source published at ``save_as``."""
    base = posixpath.splitext(save_as)[0]
    files: dict[str, str] = {}
    webp: list[tuple[str, int]] = []
    fallback: list[tuple[str, int]] = []
    for group, target in ((processed.webp, webp), (processed.fallback, fallback)):
        for rendition in group:
            out = derived_save_as(base, str(rendition.width), processed.key, rendition)
            files[out] = processed.path(rendition)
            target.append((url(siteurl, out), rendition.width))
    widest = processed.fallback[-1]
    picture = PictureSources(
        src=fallback[-1][0],
        width=widest.width,
        height=widest.height,
        srcset_webp=srcset(webp),
        srcset_fallback=srcset(fallback),
        fallback_type=widest.mime,
        sizes=sizes,
    )
    card_files: dict[str, str] = {}
    card_urls: dict[str, str] = {}
    for name, rendition in (
        ("thumb", processed.thumb_webp),
        ("thumb_fallback", processed.thumb_fallback),
        ("social", processed.social),
    ):
        assert rendition is not None
        out = derived_save_as(base, name.split("_")[0], processed.key, rendition)
        card_files[out] = processed.path(rendition)
        card_urls[name] = url(siteurl, out)
    thumb, social = processed.thumb_fallback, processed.social
    assert thumb is not None and social is not None
    return PublishedImage(
        picture=picture,
        files=files,
        card_files=card_files,
        original_file=processed.path(processed.original) if processed.original else "",
        largest=fallback[-1][0],
        thumbnail_src=card_urls["thumb_fallback"],
        thumbnail_webp=card_urls["thumb"],
        thumbnail_width=thumb.width,
        thumbnail_height=thumb.height,
        social_image=card_urls["social"],
        social_width=social.width,
        social_height=social.height,
    )


def lead_image(image: PublishedImage, alt: str, caption: str) -> LeadImage:
    """The template object for one image."""
    pic = image.picture
    return LeadImage(
        src=pic.src,
        width=pic.width,
        height=pic.height,
        srcset_webp=pic.srcset_webp,
        srcset_fallback=pic.srcset_fallback,
        fallback_type=pic.fallback_type,
        sizes=pic.sizes,
        alt=alt,
        caption=caption,
        thumbnail_src=image.thumbnail_src,
        thumbnail_webp=image.thumbnail_webp,
        thumbnail_width=image.thumbnail_width,
        thumbnail_height=image.thumbnail_height,
        social_image=image.social_image,
        social_width=image.social_width,
        social_height=image.social_height,
    )
