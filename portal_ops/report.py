"""Build and deploy summaries: what a long operation did, on one screen.

Dependency-free on purpose: the box is plain text, so it reads the same in a
terminal, in a CI log and in a test.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_LEVEL = re.compile(r"^(?:\[[\d:]+\])?\s*(WARNING|ERROR|CRITICAL)\s", re.MULTILINE)
_DONE = re.compile(
    r"Done:\s+Processed\s+(\d+)\s+articles?,\s+(\d+)\s+drafts?,\s+(\d+)\s+hidden\s+articles?,"
    r"\s+(\d+)\s+pages?,\s+(\d+)\s+hidden\s+pages?\s+and\s+(\d+)\s+draft\s+pages?"
    r"\s+in\s+([\d.]+)\s+seconds",
)


@dataclass(frozen=True)
class LogStats:
    """What Pelican's own output says about a build."""

    articles: int | None = None
    drafts: int | None = None
    pages: int | None = None
    warnings: int = 0
    errors: int = 0


def parse_pelican_log(text: str) -> LogStats:
    """Counts from Pelican's log lines (rich may wrap them; only line starts matter)."""
    levels = _LEVEL.findall(text)
    done = _DONE.search(" ".join(text.split()))
    counts = dict(
        warnings=levels.count("WARNING"), errors=levels.count("ERROR") + levels.count("CRITICAL")
    )
    if not done:
        return LogStats(**counts)
    articles, drafts, _hidden, pages, _hidden_pages, _draft_pages, _secs = done.groups()
    return LogStats(int(articles), int(drafts), int(pages), **counts)


#: (inode, size, mtime) -> digest: a file the incremental build linked unchanged is
#: the same inode, so the comparison after a build reads only the files it wrote.
_digest_by_identity: dict[tuple[int, int, int, int], str] = {}


def stamps(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its inode, size and time, read without opening it:
    what a build's summary compares (a file the build did not write again is a hard link
    to the previous one; reading every byte of 40,000 files cost seconds per build)."""
    folder = Path(folder)
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    root = str(folder)
    for parent, _dirs, names in os.walk(root):
        prefix = parent[len(root) + 1 :].replace(os.sep, "/")
        for name in names:
            status = os.stat(os.path.join(parent, name))
            rel = f"{prefix}/{name}" if prefix else name
            found[rel] = f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
    return found


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a content digest: mtimes change on every build."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    digests: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
            digest = _digest_by_identity.get(identity)
            if digest is None:
                digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                _digest_by_identity[identity] = digest
            digests[path.relative_to(folder).as_posix()] = digest
    return digests


@dataclass(frozen=True)
class OutputDiff:
    added: list[str]
    changed: list[str]
    removed: list[str]
    total: int
    html_pages: int = 0


def diff(before: dict[str, str], after: dict[str, str]) -> OutputDiff:
    """Which files a build added, changed or removed, compared with the previous output."""
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(after) & set(before) if after[p] != before[p])
    html = sum(1 for p in after if p.endswith(".html"))
    return OutputDiff(added, changed, removed, len(after), html)


def _width(text: str) -> int:
    """Display width: combining marks take no column (Vietnamese NFD text)."""
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def box(title: str, rows: list[tuple[str, str]], ok: bool = True) -> str:
    """A framed summary: a title line, then ``label  value`` rows aligned."""
    label_width = max((_width(label) for label, _ in rows), default=0)
    lines = [f"{label}{' ' * (label_width - _width(label))}  {value}" for label, value in rows]
    heading = f"{'✔' if ok else '✘'} {title}"
    inner = max([_width(heading), *(_width(line) for line in lines)])
    top = "┌" + "─" * (inner + 2) + "┐"
    sep = "├" + "─" * (inner + 2) + "┤"
    bottom = "└" + "─" * (inner + 2) + "┘"

    def framed(text: str) -> str:
        return f"│ {text}{' ' * (inner - _width(text))} │"

    return "\n".join([top, framed(heading), sep, *map(framed, lines), bottom])


def seconds(value: float) -> str:
    """``3,2 giây`` / ``1 phút 05 giây``: Vietnamese decimal comma, as the portal writes."""
    if value < 60:
        return f"{value:.1f}".replace(".", ",") + " giây"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} phút {rest:02d} giây"


def build_summary(
    title: str, stats: LogStats, changes: OutputDiff | None, elapsed: float, ok: bool, output: str
) -> str:
    """The one-screen end of ``invoke build``/``publish``/``check``."""
    rows: list[tuple[str, str]] = []
    if stats.articles is not None:
        rows.append(("Bài viết", f"{stats.articles} (bản nháp: {stats.drafts})"))
        rows.append(("Trang tĩnh", str(stats.pages)))
    if changes is not None and ok:
        rows.append(("Số trang HTML", str(changes.html_pages)))  # in the site, written or kept
        rows.append(
            (
                "Tệp",
                f"{changes.total} (mới {len(changes.added)}, ghi lại {len(changes.changed)}, "
                f"xóa {len(changes.removed)})",
            )
        )
    rows.append(("Cảnh báo", str(stats.warnings)))
    rows.append(("Lỗi", str(stats.errors) if ok else "có, xem danh sách ở trên"))
    rows.append(("Thời gian", seconds(elapsed)))
    rows.append(("Thư mục", output))
    return box(title, rows, ok)
