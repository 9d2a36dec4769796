"""From what an importer read to files in content/: plan everything, then write it at once.

Nothing is written until every article has been mapped, converted and placed; then every
file goes to a staging folder and is moved into place. A re-run finds earlier imports by
the old id in ``imported_from`` and updates them, unless the file was edited by hand since
(its recorded digest no longer matches), which only ``--force`` overwrites.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from plugins.images.config import read_config
from plugins.images.messages import failure_message
from plugins.images.pipeline import FULL, Failure, Job, process_many
from plugins.portal_core.files import write_atomic
from plugins.portal_core.text import nfc
from portal_ops.scaffold import ScaffoldError, post_path, slug_for

from . import redirects as redirect_file
from .convert import Body, plain_text
from .existing import DIGEST_PLACEHOLDER, Existing, scan, with_digest
from .mapping import Unmapped, load_mapping, load_registries, suggested_yaml
from .model import ImportStop, SourceArticle, SourceData

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class ImportOptions:
    content: Path
    settings: dict
    map_path: Path
    report_dir: Path
    dry_run: bool = False
    force: bool = False
    include_drafts: bool = False
    include_expired: bool = False
    total: int | None = None


@dataclass
class Report:
    source: str
    dry_run: bool
    read: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    collisions: list[tuple[str, str]] = field(default_factory=list)
    photos: int = 0
    photo_problems: list[tuple[str, str]] = field(default_factory=list)
    sanitised: list[tuple[str, str]] = field(default_factory=list)
    missing_alt: int = 0
    old_links: list[tuple[str, str]] = field(default_factory=list)
    by_category: Counter = field(default_factory=Counter)
    by_unit: Counter = field(default_factory=Counter)
    redirects: int = 0
    seeded_views: int = 0
    total_visits: int | None = None
    unmapped: list[Unmapped] = field(default_factory=list)
    suggestion: str = ""
    notes: list[str] = field(default_factory=list)
    stopped: str = ""
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "stopped": self.stopped or None,
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": len(self.unchanged),
            "kept_hand_edits": self.kept_edits,
            "skipped": [{"item": i, "reason": r} for i, r in self.skipped],
            "slug_collisions": [{"item": i, "detail": d} for i, d in self.collisions],
            "photos": self.photos,
            "photo_problems": [{"photo": p, "reason": r} for p, r in self.photo_problems],
            "sanitised": [{"item": i, "removed": r} for i, r in self.sanitised],
            "photos_without_alt": self.missing_alt,
            "old_file_links": [{"item": i, "link": link} for i, link in self.old_links],
            "by_category": dict(self.by_category),
            "by_unit": dict(self.by_unit),
            "redirects": self.redirects,
            "seeded_views": self.seeded_views,
            "total_visits": self.total_visits,
            "unmapped": [u.__dict__ for u in self.unmapped],
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
        }


@dataclass
class _Planned:
    article: SourceArticle
    slug: str
    path: Path
    url: str
    category: str
    unit: str
    status: str
    body: Body | None = None
    text: str = ""


def run(data: SourceData, options: ImportOptions) -> Report:
    started = dt.datetime.now()
    report = Report(
        source=data.articles[0].source if data.articles else "", dry_run=options.dry_run
    )
    report.read = len(data.articles)
    report.skipped += data.skipped
    report.notes += data.notes
    report.total_visits = options.total if options.total is not None else data.total_visits
    content = options.content
    categories, units = load_registries(content, options.settings)
    mapping = load_mapping(options.map_path, categories, units)

    kept = _filter(data.articles, options, report)
    planned, unmapped = _map(kept, mapping, report)
    if unmapped:
        report.unmapped = unmapped
        report.suggestion = suggested_yaml(unmapped)
        report.stopped = (
            f"còn {len(unmapped)} tên chuyên mục/đơn vị của cổng cũ chưa được ánh xạ; "
            f"chưa ghi gì. Bổ sung vào {options.map_path} rồi chạy lại."
        )
        report.seconds = (dt.datetime.now() - started).total_seconds()
        return report

    existing = scan(content)
    _assign_addresses(planned, existing, options, report)
    photos = _place_photos(planned, options, report)
    article_url = options.settings.get("ARTICLE_URL", "{date:%Y}/{date:%m}/{slug}/")
    files: dict[Path, str] = {}
    seed_views: dict[str, int] = {}
    redirect_map: dict[str, str] = {}
    for item in planned:
        _render(item, photos, report)
        previous = existing.imported.get((item.article.source, item.article.old_id))
        rel = item.path.relative_to(content).as_posix()
        if previous is not None and previous.path.exists():
            old_text = previous.path.read_text(encoding="utf-8")
            if previous.edited and not options.force:
                report.kept_edits.append(rel)
                if previous.address:  # an editor may have changed the date or the slug
                    year, month, slug = previous.address.split("/", 2)
                    date = item.article.date.replace(year=int(year), month=int(month), day=1)
                    item.url = "/" + article_url.format(date=date, slug=slug).lstrip("/")
            elif old_text == item.text:
                report.unchanged.append(rel)
            else:
                files[item.path] = item.text
                report.updated.append(rel)
        else:
            files[item.path] = item.text
            report.created.append(rel)
        report.by_category[item.category] += 1
        report.by_unit[item.unit] += 1
        for old in item.article.old_urls:
            redirect_map[old] = item.url
        if item.article.views and item.status == "published":
            seed_views[item.url] = item.article.views

    redirect_map = {old: new for old, new in redirect_map.items() if old != new}
    redirects_path = content / options.settings.get("REDIRECTS_FILE", "redirects.yml")
    merged = redirect_file.merge(redirects_path, redirect_map)
    report.redirects = len(redirect_map)
    seed_path = options.report_dir / "counter-seed.json"
    seed = _merge_seed(seed_path, seed_views, report.total_visits)
    report.seeded_views = len(seed_views)

    if not options.dry_run:
        copies = {content / rel: source for rel, source in photos.copies.items()}
        files[redirects_path] = merged
        _commit(content, files, copies)
        options.report_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(seed_path, json.dumps(seed, ensure_ascii=False, indent=1) + "\n")
    report.seconds = (dt.datetime.now() - started).total_seconds()
    return report


# -- choosing what to import -----------------------------------------------------------


_STATUS_REASONS = {
    "draft": "bản nháp hoặc chờ duyệt trên cổng cũ (thêm --include-drafts để nhập thành bản nháp)",
    "scheduled": "hẹn giờ đăng, chưa đến giờ (thêm --include-drafts để nhập thành bản nháp)",
    "expired": "đã hết hạn trên cổng cũ (thêm --include-expired để vẫn nhập)",
}


def _filter(articles: list[SourceArticle], options: ImportOptions, report: Report) -> list:
    kept = []
    seen: dict[tuple[str, str], SourceArticle] = {}
    for article in articles:
        key = (article.source, article.old_id)
        if key in seen:
            report.skipped.append((article.where, "trùng mã bài với một bài đã đọc"))
            continue
        seen[key] = article
        status = article.status
        if status in ("draft", "scheduled") and not options.include_drafts:
            report.skipped.append((article.where, _STATUS_REASONS[status]))
            continue
        if status == "expired" and not options.include_expired:
            report.skipped.append((article.where, _STATUS_REASONS[status]))
            continue
        kept.append(article)
    return kept


def _map(articles: list[SourceArticle], mapping, report: Report):
    planned: list[_Planned] = []
    missing_categories: Counter = Counter()
    missing_units: Counter = Counter()
    for article in articles:
        primary = article.categories[0] if article.categories else ""
        category = mapping.category(primary) if primary else None
        if category is False:
            report.skipped.append(
                (article.where, f'chuyên mục cũ "{primary}" được ánh xạ "bỏ qua"')
            )
            continue
        unit = mapping.unit(article.author, article.categories)
        if category is None:
            missing_categories[primary or "(không có chuyên mục)"] += 1
        if unit is None:
            missing_units[primary or article.author or "(không rõ)"] += 1
        if category is None or unit is None:
            continue
        status = "published" if article.status in ("published", "expired") else "draft"
        planned.append(_Planned(article, "", Path(), "", category.name, unit.name, status))
    unmapped = [
        Unmapped("category", name, count, mapping.categories.suggest(name))
        for name, count in sorted(missing_categories.items())
    ]
    unmapped += [
        Unmapped("unit", name, count, mapping.units.suggest(name))
        for name, count in sorted(missing_units.items())
    ]
    return planned, unmapped


# -- addresses -----------------------------------------------------------------------------


def _assign_addresses(planned: list[_Planned], existing: Existing, options, report) -> None:
    content = options.content
    article_url = options.settings.get("ARTICLE_URL", "{date:%Y}/{date:%m}/{slug}/")
    taken = dict(existing.addresses)
    taken_files = set(existing.files)
    for item in planned:
        article = item.article
        previous = existing.imported.get((article.source, article.old_id))
        base = _slug(article)
        slug = base
        address = f"{article.date:%Y/%m}/{slug}"
        owner = taken.get(address)
        if owner is not None and (previous is None or owner != previous.path):
            number = re.sub(r"\D+", "-", article.old_id).strip("-") or "2"
            slug = f"{base}-{number}"
            address = f"{article.date:%Y/%m}/{slug}"
            report.collisions.append(
                (
                    article.where,
                    f'địa chỉ "{base}" trùng với {owner.relative_to(content).as_posix()}; '
                    f'dùng "{slug}"',
                )
            )
        path = previous.path if previous is not None else post_path(content, article.date, slug)
        if previous is None and path in taken_files:
            number = re.sub(r"\D+", "-", article.old_id).strip("-") or "2"
            path = path.with_name(f"{path.stem}-{number}.md")
        taken[address] = path
        taken_files.add(path)
        item.slug, item.path = slug, path
        url = article_url.format(date=article.date, slug=slug)
        item.url = "/" + url.lstrip("/")


def _slug(article: SourceArticle) -> str:
    for text in (article.alias, article.title):
        try:
            return slug_for(text)
        except ScaffoldError:
            continue
    return "bai-" + re.sub(r"\W+", "-", article.old_id).strip("-").lower()


# -- photos ----------------------------------------------------------------------------------


@dataclass
class _Photos:
    placed: dict[str, str] = field(default_factory=dict)  # source file -> rel in content/
    copies: dict[str, str] = field(default_factory=dict)  # rel in content/ -> source file


def _place_photos(planned: list[_Planned], options: ImportOptions, report: Report) -> _Photos:
    """Read every photo through the build's pipeline; place the good ones under images/."""
    wanted: dict[str, tuple[str, dt.datetime]] = {}  # source -> (url, date)
    for item in planned:
        article = item.article
        item.body = Body(article.body_html, article.photo_dirs)
        for link in item.body.old_file_links():
            report.old_links.append((article.where, link))
        if item.body.removed:
            report.sanitised.append((article.where, ", ".join(item.body.removed)))
        if article.cover is not None:
            if article.cover.file:
                wanted.setdefault(article.cover.file, (article.cover.url, article.date))
            else:
                report.photo_problems.append(
                    (article.cover.url, "ảnh ở máy chủ khác, không có tệp để chép")
                )
        for path in item.body.photo_paths():
            file = _photo_file(article.photo_dirs, path)
            if file:
                wanted.setdefault(file, (path, article.date))
            else:
                report.photo_problems.append((path, "chưa chỉ thư mục ảnh của cổng cũ (--uploads)"))
    result = _Photos()
    if not wanted:
        return result
    config = read_config(dict(options.settings))
    with tempfile.TemporaryDirectory(prefix="import-photos-") as scratch:
        cache = scratch if options.dry_run else config.cache_path
        jobs = [Job(src, url, FULL, cache, config.options) for src, (url, _) in wanted.items()]
        outcomes = process_many(jobs, config.workers)
    taken: dict[str, str] = {}
    for job in jobs:
        outcome = outcomes.get((job.rel, job.kind))
        if outcome is None or isinstance(outcome, Failure):
            code = outcome or Failure(job.rel, "unexpected", "?")
            message, _hint = failure_message(code, job.rel, config.options)
            report.photo_problems.append((job.rel, message))
            continue
        _url, date = wanted[job.source]
        rel = _photo_rel(job.source, date, taken, options.content)
        result.placed[job.source] = rel
        result.copies[rel] = job.source
        report.photos += 1
    return result


def _photo_file(folders: dict[str, str], site_path: str) -> str:
    """The local file of an old photo address; "" if no folder was given or it escapes."""
    for prefix, folder in folders.items():
        if site_path.startswith(prefix) and folder:
            relative = PurePosixPath(site_path[len(prefix) :])
            if ".." in relative.parts or relative.is_absolute():
                return ""
            return str(Path(folder, *relative.parts))
    return ""


def _photo_rel(source: str, date: dt.datetime, taken: dict[str, str], content: Path) -> str:
    stem, ext = os.path.splitext(os.path.basename(source))
    try:
        name = slug_for(stem)
    except ScaffoldError:
        name = "anh"
    ext = ext.lower() if ext.lower() in {".jpg", ".jpeg", ".png", ".webp", ".gif"} else ".jpg"
    digest = _file_digest(source)
    for attempt in range(1000):
        candidate = f"images/{date:%Y}/{name}{'-' + str(attempt) if attempt else ''}{ext}"
        owner = taken.get(candidate)
        target = content / candidate
        if owner == digest:
            return candidate
        if owner is None and (not target.exists() or _file_digest(str(target)) == digest):
            taken[candidate] = digest
            return candidate
    raise ImportStop(f"quá nhiều ảnh trùng tên {name}{ext}")


def _file_digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# -- rendering --------------------------------------------------------------------------------


def _render(item: _Planned, photos: _Photos, report: Report) -> None:
    article = item.article

    def place(site_path: str, alt: str) -> str | None:
        rel = photos.placed.get(_photo_file(article.photo_dirs, site_path))
        if rel is None:
            return None
        if not alt.strip():
            report.missing_alt += 1
        return "{static}/" + rel

    body = item.body.render(place)
    item.body = None  # free the parsed tree
    header: dict = {"title": nfc(article.title), "date": f"{article.date:%d/%m/%Y %H:%M}"}
    if article.modified:
        header["modified"] = f"{article.modified:%d/%m/%Y %H:%M}"
    header["unit"] = item.unit
    header["category"] = item.category
    header["slug"] = item.slug
    if article.tags:
        header["tags"] = [nfc(t) for t in article.tags]
    summary = plain_text(article.summary_html)
    if summary:
        header["summary"] = summary
    if article.author:
        header["author"] = nfc(article.author)
    if article.source_name or article.source_url:
        source = {"name": nfc(article.source_name)} if article.source_name else {}
        if article.source_url.startswith(("http://", "https://")):
            source["url"] = article.source_url
        if source.get("name") or source.get("url"):
            header["source"] = source
    cover = article.cover
    if cover is not None and cover.file in photos.placed:
        header["image"] = photos.placed[cover.file]
        if cover.alt:
            header["image_alt"] = nfc(cover.alt)
        else:
            report.missing_alt += 1
    if item.status == "draft":
        header["status"] = "draft"
    origin = {"source": article.source, "id": article.old_id}
    if len(article.categories) > 1:
        origin["categories"] = [nfc(c) for c in article.categories]
    if article.old_urls:
        origin["url"] = article.old_urls[0]
    origin["digest"] = DIGEST_PLACEHOLDER
    header["imported_from"] = origin
    dumped = yaml.dump(header, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    dumped = dumped.replace(f"digest: '{DIGEST_PLACEHOLDER}'", f'digest: "{DIGEST_PLACEHOLDER}"')
    item.text = with_digest(f"---\n{dumped}---\n\n{body}")


# -- writing --------------------------------------------------------------------------------


def _merge_seed(path: Path, views: dict[str, int], total: int | None) -> dict:
    """The seed replaces earlier seeds in the service, so it carries every import's views."""
    seed: dict = {"total": None, "views": {}}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(old, dict):
            seed["total"] = old.get("total")
            seed["views"] = dict(old.get("views") or {})
    except (OSError, ValueError):
        pass
    seed["views"].update(views)
    if total is not None:
        seed["total"] = total
    if seed["total"] is None:
        del seed["total"]
    return seed


def _commit(content: Path, files: dict[Path, str], copies: dict[Path, str]) -> None:
    """Write everything into a staging folder inside content/, then move each file in place."""
    staging = Path(tempfile.mkdtemp(prefix=".import-staging-", dir=content))
    try:
        moves: list[tuple[Path, Path]] = []
        for index, (target, text) in enumerate(files.items()):
            staged = staging / f"{index}.md"
            staged.write_text(text, encoding="utf-8", newline="\n")
            moves.append((staged, target))
        for index, (target, source) in enumerate(copies.items()):
            if target.exists():
                continue
            staged = staging / f"photo-{index}"
            shutil.copyfile(source, staged)
            moves.append((staged, target))
        for staged, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
