"""The three outputs of a run: a console summary, a JSON report, an HTML page for editors."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from html import escape
from typing import Any

from plugins.portal_core.files import write_atomic

from . import jsontext
from .engine import Result
from .model import ERROR, INFO, WARNING, Config, Finding
from .rules import LEVEL_TITLES, PACK_TITLES

JSON_NAME = "bao-cao.json"
HTML_NAME = "bao-cao.html"
SEVERITY_VI = {ERROR: "lỗi", WARNING: "cảnh báo", INFO: "thông tin"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def _sorted(result: Result, findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER[result.rule(f.rule_id).severity], f.rule_id, f.target),
    )


def _where(f: Finding) -> str:
    if f.count > 1:
        return f"{f.count} trang, ví dụ {', '.join(f.examples[:3])}"
    if f.target == "site":
        return "toàn cổng"
    return f.target + (f" (/{f.url})" if f.url and not f.target.startswith("/") else "")


def headline(result: Result, config: Config) -> str:
    return (
        f"Kiểm tra tuân thủ {PACK_TITLES[config.pack]} ({LEVEL_TITLES[config.level]}): "
        f"{result.errors} lỗi, {result.warnings} cảnh báo, {result.infos} thông tin"
        + (f", {result.waived} được miễn trừ" if result.waived else "")
        + f"; {result.pages} trang HTML, {result.seconds:.1f} giây."
    )


def console_lines(result: Result, config: Config, limit: int = 8) -> list[str]:
    """One line per finding (errors first), at most ``limit`` per rule."""
    lines: list[str] = []
    per_rule: dict[str, int] = defaultdict(int)
    for f in _sorted(result, result.active()):
        rule = result.rule(f.rule_id)
        per_rule[f.rule_id] += 1
        if per_rule[f.rule_id] > limit:
            if per_rule[f.rule_id] == limit + 1:
                lines.append(f"  … {f.rule_id}: còn nữa, xem báo cáo")
            continue
        detail = f": {f.detail}" if f.detail else ""
        lines.append(
            f"  [{SEVERITY_VI[rule.severity].upper()}] {f.rule_id} ({rule.ref}) {_where(f)}: "
            f"{rule.message}{detail}\n      → {rule.hint}"
        )
    return lines


def to_json(result: Result, config: Config) -> dict[str, Any]:
    counts = defaultdict(int)
    for f in result.active():
        counts[f.rule_id] += 1
    return {
        "tool": "plugins.compliance",
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pack": config.pack,
        "pack_title": PACK_TITLES[config.pack],
        "agency_level": config.level,
        "siteurl": config.siteurl,
        "summary": {
            "error": result.errors,
            "warning": result.warnings,
            "info": result.infos,
            "waived": result.waived,
            "pages": result.pages,
            "files": result.files,
            "seconds": round(result.seconds, 2),
        },
        "notes": result.notes,
        "rules": [
            {
                "id": r.id,
                "ref": r.ref,
                "scope": r.scope,
                "severity": r.severity,
                "message": r.message,
                "hint": r.hint,
                "needs_theme": r.needs_theme,
                "source": r.source,
                "findings": counts[r.id],
                "status": "fail" if counts[r.id] else "pass",
            }
            for r in result.rules
        ],
        "findings": [
            {
                "rule": f.rule_id,
                "severity": result.rule(f.rule_id).severity,
                "ref": result.rule(f.rule_id).ref,
                "target": f.target,
                "url": f.url,
                "detail": f.detail,
                "message": result.rule(f.rule_id).message,
                "hint": result.rule(f.rule_id).hint,
                "count": f.count,
                "examples": f.examples,
                "waived": f.waived or None,
            }
            for f in _sorted(result, result.findings)
        ],
    }


_CSS = """
body{font-family:system-ui,Arial,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;
color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ccc}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #bbb;
padding:.4rem .6rem;text-align:left;vertical-align:top}th{background:#eee}
.error{color:#a40000;font-weight:bold}.warning{color:#7a4b00;font-weight:bold}
.info{color:#004a7a}.waived{color:#555;font-style:italic}.ref{color:#444;font-size:.9em}
.hint{color:#333}.pass{color:#1d6b1d}code{background:#f3f3f3;padding:0 .2rem}
"""


def to_html(result: Result, config: Config) -> str:
    """The editors' report: by rule, by post, waivers, and the rules that passed."""
    e = escape
    title = "Báo cáo kiểm tra tuân thủ"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p>{e(headline(result, config))}</p>",
        f"<p>Cổng: {e(config.siteurl)}. Lập lúc "
        f"{dt.datetime.now().strftime('%H:%M %d/%m/%Y')}. Mỗi phát hiện ghi rõ căn cứ pháp lý; "
        "cách sửa xem docs/kiem-tra-tuan-thu.md.</p>",
    ]
    for note in result.notes:
        parts.append(f"<p class='info'>{e(note)}</p>")
    active = _sorted(result, result.active())

    parts.append("<h2 id='theo-quy-tac'>Theo quy tắc</h2>")
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in active:
        by_rule[f.rule_id].append(f)
    if not by_rule:
        parts.append("<p class='pass'>Không có phát hiện nào.</p>")
    for rule_id, items in by_rule.items():
        rule = result.rule(rule_id)
        parts.append(
            f"<h3 id='{e(rule_id)}'><span class='{rule.severity}'>"
            f"{e(SEVERITY_VI[rule.severity].capitalize())}</span> {e(rule_id)}: "
            f"{e(rule.message)}</h3>"
            f"<p class='ref'>Căn cứ: {e(rule.ref)}"
            + (" (nguồn thứ cấp, cần đối chiếu văn bản gốc)" if rule.source == "S" else "")
            + (" · phụ thuộc giao diện" if rule.needs_theme else "")
            + f"</p><p class='hint'>Cách sửa: {e(rule.hint)}</p>"
            "<table><tr><th>Ở đâu</th><th>Chi tiết</th></tr>"
        )
        for f in items:
            parts.append(f"<tr><td>{_where_html(f, config)}</td><td>{e(f.detail)}</td></tr>")
        parts.append("</table>")

    parts.append("<h2 id='theo-bai'>Theo bài, trang</h2>")
    by_target: dict[str, list[Finding]] = defaultdict(list)
    for f in active:
        if f.target != "site" and not f.target.startswith("/"):
            by_target[f.target].append(f)
    if not by_target:
        parts.append("<p class='pass'>Không bài nào có phát hiện.</p>")
    else:
        parts.append("<table><tr><th>Tệp</th><th>Phát hiện</th></tr>")
        for target in sorted(by_target):
            rows = "".join(
                f"<li><span class='{result.rule(f.rule_id).severity}'>{e(f.rule_id)}</span> "
                f"({e(result.rule(f.rule_id).ref)}): {e(result.rule(f.rule_id).message)}"
                + (f": {e(f.detail)}" if f.detail else "")
                + "</li>"
                for f in by_target[target]
            )
            parts.append(f"<tr><td><code>{e(target)}</code></td><td><ul>{rows}</ul></td></tr>")
        parts.append("</table>")

    waived = [f for f in result.findings if f.waived]
    parts.append("<h2 id='mien-tru'>Miễn trừ</h2>")
    if not waived:
        parts.append("<p>Không có miễn trừ.</p>")
    else:
        parts.append("<table><tr><th>Quy tắc</th><th>Ở đâu</th><th>Lý do</th></tr>")
        for f in _sorted(result, waived):
            parts.append(
                f"<tr><td>{e(f.rule_id)} ({e(result.rule(f.rule_id).ref)})</td>"
                f"<td>{_where_html(f, config)}</td><td class='waived'>{e(f.waived)}</td></tr>"
            )
        parts.append("</table>")

    failing = {f.rule_id for f in active}
    parts.append("<h2 id='dat'>Quy tắc đạt</h2><ul>")
    for rule in result.rules:
        if rule.id not in failing:
            parts.append(
                f"<li class='pass'>{e(rule.id)} ({e(rule.ref)}): <span class='hint'>"
                f"{e(rule.message)}</span></li>"
            )
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def _where_html(f: Finding, config: Config) -> str:
    def link(url: str) -> str:
        href = f"{config.siteurl}/{url.lstrip('/')}"
        return f"<a href='{escape(href)}'>{escape(url)}</a>"

    if f.count > 1:
        return f"{f.count} trang, ví dụ: " + ", ".join(link(u) for u in f.examples)
    if f.target == "site":
        return "toàn cổng"
    text = f"<code>{escape(f.target)}</code>"
    if f.url and not f.target.startswith("/"):
        text += " " + link("/" + f.url)
    return text


def write(result: Result, config: Config, folder: str) -> tuple[str, str]:
    """Write bao-cao.json and bao-cao.html into ``folder``; returns their paths."""
    json_path = os.path.join(folder, JSON_NAME)
    html_path = os.path.join(folder, HTML_NAME)
    write_atomic(json_path, jsontext.dumps(to_json(result, config), indent=2) + "\n")
    write_atomic(html_path, to_html(result, config))
    return json_path, html_path
