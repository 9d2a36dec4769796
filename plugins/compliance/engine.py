"""Runs the rules of a pack over a site: metadata first, then one pass over the output.

Pure: it takes a ``Site`` (plain data) and an output folder, and returns a ``Result``;
the Pelican glue in ``__init__`` builds the ``Site`` and writes the reports.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from plugins.portal_core.forkpool import ForkPool, processes
from plugins.portal_core.memory import survivors_frozen
from plugins.portal_core.pages import digest_bytes

from . import checks_html, checks_meta  # noqa: F401  (register the checks)
from .cache import PageCache, PostMemo, page_context, post_key
from .model import ERROR, INFO, WARNING, Doc, Finding, Site
from .output import Asset, Output, PageView, output_url
from .registry import CHECKS, POST_ONLY, check, doc_finding
from .rules import Rule, all_rule_ids, canonical_id, rules_for

logger = logging.getLogger(__name__)

EXAMPLES = 5
_WAIVER_RE = re.compile(r"(?:^|[\s;,])([A-Z]{1,5}[0-9]*-[0-9A-Za-zđĐ.]+)\s*:")


@dataclass
class Result:
    """Findings of one run, with the rules that ran."""

    rules: list[Rule]
    findings: list[Finding]
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    cached: int = 0  # pages whose findings came from the cache (not in the report)

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    @property
    def _by_id(self) -> dict[str, Rule]:
        by_id = self.__dict__.get("_rules_by_id")
        if by_id is None or len(by_id) != len(self.rules):
            by_id = self.__dict__["_rules_by_id"] = {r.id: r for r in self.rules}
        return by_id

    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def count(self, severity: str) -> int:
        by_id = self._by_id
        return sum(1 for f in self.active() if by_id[f.rule_id].severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def infos(self) -> int:
        return self.count(INFO)

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived)


# -- waivers ----------------------------------------------------------------------------


def parse_waivers(value: object) -> tuple[dict[str, str], list[str]]:
    """Post waivers ``RULE-ID: reason`` (one per line, list item, or run together).

    Returns the valid waivers (canonical rule id → reason) and the problems, in
    Vietnamese; a waiver without a written reason is a problem, not a waiver.
    """
    items = value if isinstance(value, (list, tuple)) else [value]
    waivers: dict[str, str] = {}
    problems: list[str] = []
    known = all_rule_ids()
    for item in items:
        text = " ".join(str(item or "").split())
        matches = list(_WAIVER_RE.finditer(text))
        if not matches and text:
            problems.append(f"không đọc được “{text[:60]}”: thiếu mã quy tắc và dấu ':'")
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            rule_id = canonical_id(match.group(1))
            reason = text[match.end() : end].strip(" ;,")
            if rule_id not in known:
                problems.append(f"không có quy tắc {match.group(1)}")
            elif len(reason) < 5:
                problems.append(f"miễn trừ {rule_id} chưa ghi lý do")
            else:
                waivers[rule_id] = reason
    return waivers, problems


@check("doc", post_only=True)
def waiver_syntax(doc: Doc, site: Site, rule: Rule) -> Iterable[Finding]:
    value = doc.fields.get("compliance_waiver")
    if value:
        for problem in parse_waivers(value)[1]:
            yield doc_finding(rule, doc, problem)


# -- the run ----------------------------------------------------------------------------


@contextlib.contextmanager
def old_objects_frozen() -> Iterator[None]:
    """Keep the garbage collector off the objects that exist when this block starts.

    A 10,000-post build holds millions of objects; a full collection walks all of them
    (≈ 0.7 s) and the checks' own allocations set off one or two. Frozen (``gc.freeze``),
    those objects are skipped (none is freed wrongly: they are only not examined);
    everything allocated meanwhile is collected as usual, and they are unfrozen after.
    Left alone if something else froze the heap already.
    """
    if survivors_frozen() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def required_sections(rules: list[Rule]) -> list[str]:
    """The sections the rules want, in rule order (``Rule.sections``)."""
    return [key for rule in rules for key in rule.sections]


class _ByKind(dict[str, list[tuple[int, Rule, Any]]]):
    """kind → (position, rule, check) of the checks whose rule applies to that kind of
    post or page (``Rule.kinds``), worked out once per kind."""

    def __init__(self, checks: list[tuple[Rule, Any]]) -> None:
        super().__init__()
        self.checks = checks

    def __missing__(self, kind: str) -> list[tuple[int, Rule, Any]]:
        found = [(n, rule, fn) for n, (rule, fn) in enumerate(self.checks) if rule.applies_to(kind)]
        self[kind] = found
        return found


def run(
    site: Site,
    output_path: str | None = None,
    cache: PageCache | None = None,
    workers: int | None = None,
    memo: PostMemo | None = None,
    digests: Mapping[str, str] | None = None,
    files: Iterable[str] | None = None,
) -> Result:
    """Every rule of the configured pack and level over the site and its output.

    With a ``cache`` (see ``cache.py``) the page checks of an article or listing page
    whose bytes and post are unchanged are not run again: their findings are reused;
    with a ``memo``, neither are the ``POST_ONLY`` checks of a post whose ``Doc`` is
    unchanged. ``digests`` (output name → ``digest_bytes`` of the file, the build
    engine's ``portal_core.pages`` records) spare reading a page to find its cache
    entry: only pages without an entry, or not in ``digests``, are read. ``workers``
    (None: one per core) processes share the article and listing pages left to check
    when there are at least ``POOL_MIN_PAGES`` of them; the result is the same with one.
    ``files`` are the output's files when the build knows them (``portal_core.pages.
    staged_files``): the output is then not walked.
    """
    started = time.monotonic()
    cfg = site.config
    rules = rules_for(cfg.pack, cfg.level)
    site.required_sections = required_sections(rules)  # type: ignore[attr-defined]
    site.output_path = output_path or ""  # type: ignore[attr-defined]
    plan: dict[str, list[tuple[Rule, object]]] = {}
    for rule in rules:
        for name in rule.checks:
            kind, fn = CHECKS[name]
            plan.setdefault(kind, []).append((rule, fn))

    findings: list[Finding] = []
    # each post's key, once: the page cache and the post memo both use it
    keys = {id(d): post_key(d) for d in site.docs} if cache is not None or memo else {}

    def metadata() -> None:
        for rule, fn in plan.get("site", []):
            findings.extend(fn(site, rule))
        published = [d for d in site.docs if d.status != "draft"]
        findings.extend(_post_findings(published, site, plan.get("doc", []), memo, keys))

    result = Result(rules, [])
    if output_path and os.path.isdir(output_path):
        out = Output()
        count = processes(workers)
        # the metadata checks run here while the pool's processes check the pages
        findings += _scan_output(
            site, output_path, plan, out, result, cache, count, metadata, digests or {}, keys, files
        )
        for rule, fn in plan.get("output", []):
            findings += fn(out, site, rule)
    else:
        metadata()
        result.notes.append("Không có thư mục xuất bản: chỉ kiểm tra siêu dữ liệu.")

    result.findings = _aggregate(_apply_waivers(findings, site), rules)
    result.seconds = time.monotonic() - started
    return result


def _post_findings(
    docs: list[Doc],
    site: Site,
    checks: list[tuple[Rule, Any]],
    memo: PostMemo | None,
    keys: dict[int, str],
) -> list[Finding]:
    """The "doc" checks over each post, in plan order; a ``POST_ONLY`` check's findings
    come from ``memo`` when the post's ``Doc`` is the one it was checked as."""
    findings: list[Finding] = []
    by_kind = _ByKind(checks)
    if memo is None:
        for doc in docs:
            for _position, rule, fn in by_kind[doc.kind]:
                findings.extend(fn(doc, site, rule))
        return findings
    kept = [fn.__name__ in POST_ONLY for _rule, fn in checks]
    for doc in docs:
        key = keys.get(id(doc)) or post_key(doc)
        known = memo.get(key, len(checks))
        if known is not None:
            for position, rule, fn in by_kind[doc.kind]:
                if kept[position]:
                    findings.extend(known.get(position, ()))
                else:
                    findings.extend(fn(doc, site, rule))
            continue
        fresh: dict[int, list[Finding]] = {}
        for position, rule, fn in by_kind[doc.kind]:
            found = list(fn(doc, site, rule))
            findings.extend(found)
            if kept[position] and found:
                fresh[position] = found
        memo.put(key, fresh)
    return findings


#: Fewer article and listing pages than this are checked in this process alone.
POOL_MIN_PAGES = 200
_CACHED_KINDS = ("article", "listing", "document")


@dataclass
class _Checked:
    """What one HTML page gave: its findings, what it collects, its cache key and entry."""

    findings: list[Finding]
    notes: list[list[str]]
    key: str | None = None
    hit: Any = None  # the cache entry the findings came from


@dataclass
class _Page:
    """An HTML page of the output and how it is looked up in the cache."""

    rel: str
    kind: str
    doc: Doc | None
    context: str | None = None  # its ``page_context``; None: never cached


def _cached(cache: PageCache, page: _Page, digest: str) -> _Checked:
    """The page's key, with its cached findings if it has an entry."""
    key = cache.key(digest, page.context or "")
    entry, hit = cache.lookup(key)
    return _Checked(hit[0], hit[1], key, entry) if hit is not None else _Checked([], [], key)


def _check_page(
    site: Site,
    root: str,
    page: _Page,
    page_checks: _ByKind,
    out: Output,
    cache: PageCache | None,
    memos: dict,
) -> _Checked:
    """The page checks of one HTML file (or its cached findings); ``out`` gets what a home
    page, fixed page or site map tells about the site, not the notes (merged in order)."""
    cfg = site.config
    data = _read(os.path.join(root, page.rel))
    key = None
    if cache is not None and page.context is not None:
        known = _cached(cache, page, digest_bytes(data))
        if known.hit is not None:
            return known
        key = known.key
    try:
        text, bad = data.decode("utf-8"), False
    except UnicodeDecodeError:
        text, bad = data.decode("utf-8", "replace"), True
    view = PageView(page.rel, text, page.kind, page.doc, cfg.selectors, cfg.siteurl, bad, memos)
    page_findings: list[Finding] = []
    for _position, rule, fn in page_checks[page.kind]:
        page_findings += fn(view, site, rule)
    notes = checks_html.collect(view, out, site, merge=False)
    return _Checked(page_findings, notes, key)


def _read(path: str) -> bytes:
    """A file's bytes, with fewer system calls than ``open().read()`` (no buffer, no
    terminal test): this runs for every HTML page of a cold cache or a build without the
    engine's records."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(fd, os.fstat(fd).st_size + 1)]
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 16))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _scan_output(
    site: Site,
    root: str,
    plan: dict[str, list],
    out: Output,
    result: Result,
    cache: PageCache | None = None,
    workers: int = 1,
    meanwhile: Any = None,
    digests: Mapping[str, str] | None = None,
    keys: dict[int, str] | None = None,
    files: Iterable[str] | None = None,
) -> list[Finding]:
    """Findings of every output file, in path order; ``meanwhile()`` is called once the
    pool (if any) has started, before this process's own pages. ``files``: the output's
    files, if known (else walked).

    A page whose digest is in ``digests`` and whose key has a cache entry is not read."""
    cfg = site.config
    digests = digests or {}
    keys = keys or {}
    by_save_as = {d.save_as: d for d in site.docs if d.save_as}
    drafts = {d.save_as for d in site.docs if d.status == "draft"}
    page_checks = _ByKind(plan.get("page", []))
    asset_checks = plan.get("asset", [])
    memos: dict = {}  # template regions repeat: their checks run once per distinct region
    # the home page first, so the site-wide notes are complete whatever the walk order
    listed = _walk(root) if files is None else sorted(files, key=_walk_order)
    paths = sorted(listed, key=lambda rel: rel != "index.html")
    pages: list[_Page] = []  # HTML pages, in path order
    checked: list[_Checked | None] = []
    shared: list[int] = []  # those left for a pool: articles and listings
    for rel in paths:
        out.files.add(rel)
        if not rel.endswith(".html") or rel in drafts:
            continue
        doc = by_save_as.get(rel)
        kind = doc.kind if doc else ("home" if rel == "index.html" else "listing")
        page = _Page(rel, kind, doc)
        done = None
        # the home page, fixed pages and the site map also feed the site-wide checks
        if kind in _CACHED_KINDS and output_url(rel) != cfg.sitemap_url:
            if cache is not None:
                page.context = page_context(rel, kind, doc, keys.get(id(doc)))
                digest = digests.get(rel)
                if digest is not None:
                    done = _cached(cache, page, digest)
                    if done.hit is None:
                        done = None
            if done is None:
                shared.append(len(pages))
        pages.append(page)
        checked.append(done)

    def check(index: int) -> _Checked:
        return _check_page(site, root, pages[index], page_checks, out, cache, memos)

    use_pool = workers > 1 and len(shared) >= POOL_MIN_PAGES
    pool = ForkPool(check, shared, workers) if use_pool else None
    pooled = set(shared) if pool else set()
    if meanwhile is not None:
        meanwhile()
    # this process, while the pool's run: the pages they do not take (home, fixed pages,
    # site map; all of them without a pool), then every other file
    for index in range(len(pages)):
        if checked[index] is None and index not in pooled:
            checked[index] = check(index)
    findings_by_file: dict[str, list[Finding]] = {}
    for rel in paths:
        if rel.endswith(".html"):
            continue
        asset = _CachedAsset(rel, os.path.join(root, rel))
        file_findings: list[Finding] = []
        for rule, fn in asset_checks:
            file_findings += fn(asset, site, rule)
        findings_by_file[rel] = file_findings
        if rel.endswith(".xml") and (rel.startswith(("rss/", "atom/")) or "feed" in rel):
            out.feeds.append(rel)
        elif rel.endswith(".css") and b"@media print" in asset.read():
            out.css_print = True
        result.files += 1
    if pool:
        done_by_pool, failures = pool.results()
        for failure in failures:
            logger.warning(
                "Kiểm tra tuân thủ: một tiến trình phụ lỗi (%s); các trang của nó kiểm tra lại",
                failure,
            )
        for index, done in done_by_pool.items():
            checked[index] = done
        for index in pooled:  # a process that failed: its pages are checked here
            if checked[index] is None:
                checked[index] = check(index)

    # merged in path order: the same report whichever process checked a page
    findings: list[Finding] = []
    page_at = {page.rel: number for number, page in enumerate(pages)}
    for rel in paths:
        number = page_at.get(rel)
        if number is None:
            findings += findings_by_file.get(rel, [])
            continue
        done = checked[number]
        assert done is not None
        findings += done.findings
        result.pages += 1
        out.html_urls.add(output_url(rel))
        checks_html.merge_notes(out, done.notes)
        if done.key is not None and cache is not None:
            if done.hit is not None:
                cache.keep(done.key, done.hit)
                result.cached += 1
            else:
                cache.misses += 1
                cache.put(done.key, done.findings, done.notes)
    return findings


class _CachedAsset(Asset):
    _data: bytes | None = None

    def read(self) -> bytes:
        if self._data is None:
            self._data = super().read()
        return self._data


def _walk(root: str) -> Iterable[str]:
    """Every file under ``root``, relative: a folder's files (sorted) before its
    sub-folders' (sorted), links to folders neither followed nor listed; what ``os.walk``
    with sorted names gives, without its ``lstat`` of every folder (17,000 of them at
    10,000 posts): file types come from the folder scan."""
    stack = [("", root.rstrip(os.sep) or os.sep)]
    while stack:
        prefix, folder = stack.pop()
        files: list[str] = []
        folders: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        files.append(entry.name)
                    elif not entry.is_symlink():
                        folders.append(entry.name)
        except OSError:  # as os.walk: a folder that cannot be read is skipped
            continue
        files.sort()
        for name in files:
            yield prefix + name
        folders.sort(reverse=True)  # popped in order
        stack.extend((f"{prefix}{name}/", os.path.join(folder, name)) for name in folders)


def _walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    """Where ``_walk`` lists ``rel``: by folder, a folder's files before its sub-folders."""
    parts = rel.split("/")
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


def _apply_waivers(findings: list[Finding], site: Site) -> list[Finding]:
    cfg = site.config
    per_doc = {
        d.path: parse_waivers(d.fields["compliance_waiver"])[0]
        for d in site.docs
        if d.fields.get("compliance_waiver")
    }
    for finding in findings:
        if finding.rule_id in cfg.waivers:
            finding.waived = f"{cfg.waivers[finding.rule_id]} (COMPLIANCE_WAIVERS)"
        elif finding.rule_id in per_doc.get(finding.target, {}):
            finding.waived = per_doc[finding.target][finding.rule_id]
    return findings


def _aggregate(findings: list[Finding], rules: list[Rule]) -> list[Finding]:
    """Template-wide problems become one finding that counts the pages."""
    aggregate = {r.id for r in rules if r.aggregate}
    out: list[Finding] = []
    groups: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        if finding.rule_id not in aggregate or finding.waived:
            out.append(finding)
            continue
        key = (finding.rule_id, finding.detail)
        group = groups.get(key)
        if group is None:
            group = Finding(finding.rule_id, finding.target, finding.detail, count=0)
            groups[key] = group
            out.append(group)
        group.count += 1
        if len(group.examples) < EXAMPLES:
            group.examples.append("/" + finding.url)
    for group in groups.values():
        if group.count == 1:
            group.url = group.examples[0].lstrip("/")
        else:
            group.target = "site"
    return out
