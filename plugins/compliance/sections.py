"""Where the site provides each required section: fixed pages and categories named in
the settings, and pages or posts that declare it (``Section:``)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import CategoryInfo, Doc, Site
from .text import plain_text


@dataclass(frozen=True)
class SectionTarget:
    key: str
    kind: str  # "page" or "category"
    slug: str
    url: str
    title: str
    ok: bool  # exists and is not empty
    doc: Doc | None = None


MIN_PAGE_TEXT = 80


def section_targets(site: Site) -> dict[str, list[SectionTarget]]:
    """For each required section, where the site provides it (settings, then Section: fields)."""
    cached = getattr(site, "_section_targets", None)
    if cached is not None:
        return cached
    pages = {d.slug: d for d in site.pages if d.status != "draft"}
    out: dict[str, list[SectionTarget]] = {}
    for key, candidates in site.config.sections.items():
        for candidate in candidates:
            kind, _, slug = candidate.partition(":")
            target = _target(key, kind, slug, pages, site.categories, site)
            if target:
                out.setdefault(key, []).append(target)
    for doc in site.docs:
        for key in doc.sections:
            if doc.status == "draft":
                continue
            target = SectionTarget(
                key,
                "page" if doc.kind == "page" else "article",
                doc.slug,
                doc.url,
                doc.title,
                len(plain_text(doc.content)) >= MIN_PAGE_TEXT,
                doc,
            )
            if target not in out.get(key, []):
                out.setdefault(key, []).append(target)
    site._section_targets = out  # type: ignore[attr-defined]
    return out


def _target(
    key: str,
    kind: str,
    slug: str,
    pages: dict[str, Doc],
    categories: dict[str, CategoryInfo],
    site: Site | None = None,
) -> SectionTarget | None:
    if kind == "page" and slug in pages:
        doc = pages[slug]
        ok = len(plain_text(doc.content)) >= MIN_PAGE_TEXT
        return SectionTarget(key, "page", slug, doc.url, doc.title, ok, doc)
    if kind == "category" and slug in categories:
        cat = categories[slug]
        return SectionTarget(key, "category", slug, cat.url, cat.name, cat.count > 0)
    if kind == "register" and site is not None:
        documents = [
            d
            for d in site.docs
            if d.kind == "document" and (slug != "du-thao" or d.field("document_draft"))
        ]
        if documents:
            return SectionTarget(key, "register", slug, "van-ban/", "Văn bản", True)
    return None


def best_target(site: Site, key: str) -> SectionTarget | None:
    targets = section_targets(site).get(key, [])
    good = [t for t in targets if t.ok]
    return (good or targets or [None])[0]
