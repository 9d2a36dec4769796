"""Photos: responsive WebP/JPEG copies, no metadata, captions, safe limits, a cache.

For every image a post or page shows (Markdown images in the body, the ``Image``
front-matter field) the plugin writes resized copies at a few widths (never wider
than the source) in WebP plus JPEG (PNG when the image is transparent), a list-page
thumbnail and a 1200×630 social image (centred crop; never upscaled). Body images
become ``<picture>`` with srcset, sizes, width and height; an image alone in its
paragraph becomes a ``<figure>`` whose ``<figcaption>`` is the Markdown title
(``![alt](src "Quang cảnh cuộc họp giao ban")``). All are lazy except the lead.

Privacy: EXIF orientation is applied, pixels are converted to sRGB, and every file
written carries no metadata (GPS, serial numbers, XMP, ICC, comments). Raster files
under STATIC_PATHS are never copied as they are: with IMAGES_PUBLISH_ORIGINALS they
are published cleaned at their usual URL, otherwise not at all (links to them then
point to the widest copy). This is done by taking them out of Pelican's static
generator, so STATIC_PATHS can stay as it is.

A missing, corrupt, oversized, unsupported or decompression-bomb image is a content
problem naming the post and the image (the build guard stops the build). An image
without alt text is a warning, or an error with IMAGES_REQUIRE_ALT.

Templates: ``article.lead_image`` (the ``Image`` field) and ``article.card_image``
(the lead, else the first body image; has the thumbnail and the social image), or
None; render them with ``theme/templates/partials/picture.html``.

Settings: docs/settings.md.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import time
from dataclasses import dataclass, field

from plugins.portal_core import bodies, problems
from plugins.portal_core.failure import fail
from plugins.portal_core.settings import Plugin

from .config import SETTINGS, SettingsError, read_config
from .markup import (
    ImgTag,
    content_path,
    find_images,
    link_targets,
    may_rewrite,
    missing_alt,
    rewrite,
)
from .messages import alt_message, failure_message
from .pipeline import FULL, ORIGINAL, RASTER_EXTENSIONS, Failure, Job, Processed, process_many
from .publish import LeadImage, PublishedImage, lead_image, published
from .publish import url as make_url

__all__ = ["missing_alt", "register"]

logger = logging.getLogger(__name__)

#: Shown in <img> but left alone: the browser draws them as they are.
_VECTOR_EXTENSIONS = {".svg", ".svgz"}


@dataclass
class _Scan:
    content: object
    label: str
    rel_dir: str
    tags: list[ImgTag]
    tag_rels: list[str | None]
    front_rel: str | None
    link_rels: list[str] = field(default_factory=list)


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _ext(rel: str) -> str:
    return posixpath.splitext(rel)[1].lower()


def _contents(generators: list, settings: dict) -> list:
    items: list = []
    for gen in generators:
        name = type(gen).__name__
        if name == "ArticlesGenerator":
            items += [*gen.articles, *gen.translations, *gen.hidden_articles]
            items += gen.hidden_translations
            if settings.get("DRAFT_SAVE_AS"):
                items += [*gen.drafts, *gen.drafts_translations]
        elif name == "PagesGenerator":
            items += [*gen.pages, *gen.translations, *gen.hidden_pages, *gen.hidden_translations]
            if settings.get("DRAFT_PAGE_SAVE_AS"):
                items += [*gen.draft_pages, *gen.draft_translations]
    unique: dict[int, object] = {}
    for item in items:
        unique.setdefault(id(item), item)
    return list(unique.values())


def _line_of(text: str, *needles: str) -> int | None:
    for needle in needles:
        if not needle:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if needle in line:
                return number
    return None


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _rel_of(static) -> str:
    return _posix(static.get_relative_source_path())


def _report(scan: _Scan, results, options, require_alt: bool, log) -> None:
    source_text = _read(getattr(scan.content, "source_path", ""))
    seen: set[str] = set()

    def failed(rel: str | None, shown: str, typed: str, field: str = "") -> None:
        result = results.get((rel, FULL)) if rel else None
        if not isinstance(result, Failure) or rel in seen:
            return
        seen.add(rel)
        message, hint = failure_message(result, shown, options)
        line = _line_of(source_text, typed, posixpath.basename(rel))
        log.error(scan.label, message, hint=hint, field=field, line=line)

    if scan.front_rel:
        failed(scan.front_rel, scan.front_rel, scan.front_rel, "Image")
    for tag, rel in zip(scan.tags, scan.tag_rels, strict=True):
        if rel:
            shown = rel if not rel.startswith("..") else tag.src
            failed(rel, shown, tag.src)
    for rel in scan.link_rels:
        failed(rel, rel, rel)

    add = log.error if require_alt else log.warning
    missing = []
    if scan.front_rel and not str(scan.content.metadata.get("image_alt") or "").strip():
        missing.append((scan.front_rel, True, "Image_Alt"))
    body = getattr(scan.content, "_content", "") or ""
    missing += [(src, False, "") for src in missing_alt(body)]
    for src, front, field_name in missing:
        shown = content_path(src, scan.rel_dir) or src
        message, hint = alt_message(shown if not shown.startswith("..") else src, front)
        line = _line_of(source_text, src)
        add(scan.label, message, hint=hint, field=field_name, line=line)
        if not require_alt:
            where = f"{scan.label}:{line}" if line else scan.label
            logger.warning("%s: %s\n    → %s", where, message, hint)


def _rewrite_content(scan: _Scan, publish, publish_originals: bool, siteurl, save_as_of) -> None:
    content = scan.content
    metadata = content.metadata
    lead: LeadImage | None = None
    front = publish(scan.front_rel)
    if front is not None:
        alt = str(metadata.get("image_alt") or getattr(content, "title", "") or "")
        lead = lead_image(front, alt, str(metadata.get("image_caption") or ""))
        publish(scan.front_rel, "card")
    first_body: list[LeadImage] = []

    def picture_for(tag: ImgTag, index: int):
        rel = scan.tag_rels[index]
        image = publish(rel)
        if image is None:
            return None
        if not first_body:
            title = " ".join(tag.attrs.get("title", "").split())
            first_body.append(lead_image(image, tag.attrs.get("alt", ""), title))
            publish(rel, "card")
        return image.picture

    def href_for(url: str) -> str | None:
        rel = content_path(url, scan.rel_dir)
        if not rel or rel not in scan.link_rels:
            return None
        image = publish(rel)
        if image is None:
            return None
        if publish_originals:
            return make_url(siteurl, save_as_of(rel))
        return image.largest

    body = getattr(content, "_content", "") or ""
    if body:
        content._content = rewrite(body, picture_for, href_for, first_is_lead=lead is None)
    content.lead_image = lead
    content.card_image = lead or (first_body[0] if first_body else None)


def _write(outputs: dict[str, dict[str, str]], output_root: str) -> None:
    """Hard-link (or copy) each file from the cache into the output."""
    for save_as, claims in outputs.items():
        source = next(iter(claims.values()))
        target = os.path.join(output_root, save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.remove(target)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


class Images(Plugin):
    """Photos: responsive WebP/JPEG copies without metadata, captions, safe limits, a cache."""

    settings = SETTINGS

    def __init__(self) -> None:
        self.generators: list = []
        # save_as → {description: cache file}: one claimant per source image, so
        # two sources that would write the same file show up as a collision.
        self.outputs: dict[str, dict[str, str]] = {}

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        try:
            read_config(pelican.settings)
        except SettingsError as exc:
            fail(f"pelicanconf.py: {exc}")

    def get_generators(self, pelican) -> None:
        self.generators, self.outputs = [], {}

    def article_generator_finalized(self, generator) -> None:
        self.generators.append(generator)

    page_generator_finalized = article_generator_finalized

    def plan_outputs(self, sender, generators=None, settings=None) -> list[tuple[str, str]]:
        return [(path, desc) for path, claims in self.outputs.items() for desc in claims]

    def static_generator_finalized(self, static_gen) -> None:
        """Process every image, rewrite bodies, take raster files from the static copier."""
        settings = static_gen.settings
        try:
            config = read_config(settings)
        except SettingsError as exc:
            fail(f"pelicanconf.py: {exc}")
        options = config.options
        log = problems.current()
        content_root = os.path.abspath(static_gen.path)
        site_root = os.path.dirname(content_root)
        siteurl = settings.get("SITEURL", "") or ""
        statics = {_posix(s.get_relative_source_path()): s for s in static_gen.staticfiles}

        def label_of(rel: str) -> str:
            return _posix(os.path.relpath(os.path.join(content_root, rel), site_root))

        def save_as_of(rel: str) -> str:
            static = statics.get(rel)
            return (getattr(static, "save_as", "") if static else "") or rel

        # 1. what each post uses
        scans: list[_Scan] = []
        wanted: set[str] = set()
        for content in _contents(self.generators, settings):
            body = getattr(content, "_content", "") or ""
            rel_dir = _posix(os.path.dirname(content.get_relative_source_path()))
            tags = find_images(body)
            tag_rels = []
            for tag in tags:
                rel = content_path(tag.src, rel_dir) if tag.src else None
                tag_rels.append(rel if rel and _ext(rel) not in _VECTOR_EXTENSIONS else None)
            front = content.metadata.get("image")
            front_rel = posixpath.normpath(str(front)) if front else None
            link_rels = []
            for href in link_targets(body):
                rel = content_path(href, rel_dir)
                if rel and _ext(rel) in RASTER_EXTENSIONS and rel in statics:
                    link_rels.append(rel)
            label = getattr(content, "source_file", None) or label_of(
                _posix(content.get_relative_source_path())
            )
            scans.append(_Scan(content, label, rel_dir, tags, tag_rels, front_rel, link_rels))
            wanted |= {r for r in tag_rels if r} | set(link_rels)
            if front_rel:
                wanted.add(front_rel)

        # 2. process (or find in the cache) every image in use, and every raster original
        takeover = {rel for rel in statics if _ext(rel) in RASTER_EXTENSIONS} | (
            wanted & set(statics)
        )
        results: dict[tuple[str, str], Processed | Failure] = {}
        jobs: list[Job] = []
        for rel, kind in [(r, FULL) for r in sorted(wanted)] + [
            (r, ORIGINAL) for r in sorted(takeover - wanted) if options.publish_originals
        ]:
            if rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
                results[(rel, kind)] = Failure(rel, "missing")
                continue
            jobs.append(Job(os.path.join(content_root, rel), rel, kind, config.cache_path, options))
        started = time.monotonic()
        results.update(process_many(jobs, config.workers))
        cached = sum(1 for r in results.values() if isinstance(r, Processed) and r.cached)

        # 3. problems, each naming the post (or the file) and the image
        for scan in scans:
            _report(scan, results, options, config.require_alt, log)
        for rel in sorted(takeover - wanted):
            result = results.get((rel, ORIGINAL))
            if isinstance(result, Failure):
                message, hint = failure_message(result, rel, options)
                log.error(label_of(rel), message, hint=hint)

        # 4. bodies, template objects, output files
        outputs: dict[str, dict[str, str]] = {}
        pubs: dict[str, PublishedImage] = {}

        def publish(rel: str | None, files: str = "picture") -> PublishedImage | None:
            result = results.get((rel, FULL)) if rel else None
            if not isinstance(result, Processed):
                return None
            if rel not in pubs:
                pubs[rel] = published(result, save_as_of(rel), siteurl, config.sizes)
            image = pubs[rel]
            chosen = image.files if files == "picture" else image.card_files
            for save_as, source in chosen.items():
                outputs.setdefault(save_as, {}).setdefault(f"ảnh {label_of(rel)}", source)
            return image

        for scan in scans:
            _rewrite_content(scan, publish, options.publish_originals, siteurl, save_as_of)

        if options.publish_originals:
            for rel in sorted(takeover | wanted):
                result = results.get((rel, FULL)) or results.get((rel, ORIGINAL))
                if isinstance(result, Processed) and result.original:
                    claims = outputs.setdefault(save_as_of(rel), {})
                    claims.setdefault(f"ảnh {label_of(rel)}", result.path(result.original))

        static_gen.staticfiles[:] = [
            s for s in static_gen.staticfiles if _rel_of(s) not in takeover
        ]
        if not options.publish_originals:
            for rel in takeover:
                static_gen.context.get("static_content", {}).pop(rel, None)

        self.outputs = outputs
        _write(outputs, static_gen.output_path)
        logger.info(
            "Ảnh: %d ảnh (%d có sẵn trong bộ nhớ đệm), %d tệp xuất bản, %.1f giây.",
            len(results),
            cached,
            len(outputs),
            time.monotonic() - started,
        )


def register() -> None:
    bodies.declare_rewriter(__name__, may_rewrite)
    Images.register()
