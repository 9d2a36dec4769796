"""Runs the rules of a pack over a site: metadata first, then one pass over the output.

Pure: it takes a ``Site`` (plain data) and an output folder, and returns a ``Result``;
the Pelican glue in ``__init__`` builds the ``Site`` and writes the reports.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import checks_html, checks_meta  # noqa: F401  (register the checks)
from .base import CHECKS, Asset, Output, PageView, check, doc_finding, output_url
from .cache import PageCache, page_context
from .model import ERROR, INFO, WARNING, Doc, Finding, Site
from .rules import Rule, all_rule_ids, canonical_id, rules_for

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


@check("doc")
def waiver_syntax(doc: Doc, site: Site, rule: Rule) -> Iterable[Finding]:
    value = doc.fields.get("compliance_waiver")
    if value:
        for problem in parse_waivers(value)[1]:
            yield doc_finding(rule, doc, problem)


# -- the run ----------------------------------------------------------------------------

_KEYED_CHECKS = {"officials_contacts", "agency_contacts", "qa_section", "access_to_information"}


def required_sections(rules: list[Rule]) -> list[str]:
    keys: list[str] = []
    for rule in rules:
        if "sections_present" in rule.checks:
            keys += list(rule.params["keys"])
        elif _KEYED_CHECKS & set(rule.checks):
            keys.append(rule.params["key"])
    return keys


def run(site: Site, output_path: str | None = None, cache: PageCache | None = None) -> Result:
    """Every rule of the configured pack and level over the site and its output.

    With a ``cache`` (see ``cache.py``) the page checks of an article or listing page
    whose bytes and post are unchanged are not run again: their findings are reused.
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
    for rule, fn in plan.get("site", []):
        findings += fn(site, rule)
    published = [d for d in site.docs if d.status != "draft"]
    for doc in published:
        for rule, fn in plan.get("doc", []):
            findings += fn(doc, site, rule)

    result = Result(rules, [])
    if output_path and os.path.isdir(output_path):
        out = Output()
        findings += _scan_output(site, output_path, plan, out, result, cache)
        for rule, fn in plan.get("output", []):
            findings += fn(out, site, rule)
    else:
        result.notes.append("Không có thư mục xuất bản: chỉ kiểm tra siêu dữ liệu.")

    result.findings = _aggregate(_apply_waivers(findings, site), rules)
    result.seconds = time.monotonic() - started
    return result


def _scan_output(
    site: Site,
    root: str,
    plan: dict[str, list],
    out: Output,
    result: Result,
    cache: PageCache | None = None,
) -> list[Finding]:
    cfg = site.config
    by_save_as = {d.save_as: d for d in site.docs if d.save_as}
    drafts = {d.save_as for d in site.docs if d.status == "draft"}
    page_checks = plan.get("page", [])
    asset_checks = plan.get("asset", [])
    findings: list[Finding] = []
    memos: dict = {}  # template regions repeat: their checks run once per distinct region
    # the home page first, so the site-wide notes are complete whatever the walk order
    paths = sorted(_walk(root), key=lambda rel: rel != "index.html")
    for rel in paths:
        out.files.add(rel)
        full = os.path.join(root, rel)
        if rel.endswith(".html"):
            if rel in drafts:
                continue
            with open(full, "rb") as handle:
                data = handle.read()
            doc = by_save_as.get(rel)
            kind = doc.kind if doc else ("home" if rel == "index.html" else "listing")
            result.pages += 1
            key = None
            # the home page, fixed pages and the site map also feed the site-wide checks
            if cache is not None and kind in _CACHED_KINDS and output_url(rel) != cfg.sitemap_url:
                key = cache.key(data, page_context(rel, kind, doc))
                hit = cache.get(key)
                if hit is not None:
                    findings += hit[0]
                    out.html_urls.add(output_url(rel))
                    checks_html.merge_notes(out, hit[1])
                    result.cached += 1
                    continue
            try:
                text, bad = data.decode("utf-8"), False
            except UnicodeDecodeError:
                text, bad = data.decode("utf-8", "replace"), True
            page = PageView(rel, text, kind, doc, cfg.selectors, cfg.siteurl, bad, memos)
            page_findings: list[Finding] = []
            for rule, fn in page_checks:
                page_findings += fn(page, site, rule)
            findings += page_findings
            notes = checks_html.collect(page, out, site)
            if key is not None:
                cache.put(key, page_findings, notes)
            continue
        asset = _CachedAsset(rel, full)
        for rule, fn in asset_checks:
            findings += fn(asset, site, rule)
        if rel.endswith(".xml") and (rel.startswith(("rss/", "atom/")) or "feed" in rel):
            out.feeds.append(rel)
        elif rel.endswith(".css") and b"@media print" in asset.read():
            out.css_print = True
        result.files += 1
    return findings


_CACHED_KINDS = ("article", "listing")


class _CachedAsset(Asset):
    _data: bytes | None = None

    def read(self) -> bytes:
        if self._data is None:
            self._data = super().read()
        return self._data


def _walk(root: str) -> Iterable[str]:
    root = root.rstrip(os.sep) or os.sep
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        rel_folder = folder[len(root) :].lstrip(os.sep).replace(os.sep, "/")
        prefix = rel_folder + "/" if rel_folder else ""
        for name in sorted(files):
            yield prefix + name


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
