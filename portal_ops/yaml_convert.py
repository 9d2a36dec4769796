"""``invoke yaml-front-matter``: posts and pages rewritten with YAML front-matter.

A file is rewritten only when the build reads the same post from the new text as from
the old (same body, same fields, same values): the portal's own reader reads both, so
a conversion can never change what is published. Files are replaced atomically; the
dry run writes nothing. Messages are for editors, in Vietnamese.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.front_matter.yaml_header import ConversionError, convert
from plugins.portal_core.files import write_atomic


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: str  # "converted", "unchanged" or "error"
    message: str = ""


def portal_settings(root: Path, content: Path) -> dict[str, Any]:
    """The settings the build reads posts with, including the fields plugins add at
    start-up (the compliance rules' document fields)."""
    from pelican.settings import read_settings

    settings = read_settings(str(root / "pelicanconf.py"), override={"PATH": str(content)})
    if "plugins.compliance" in settings.get("PLUGINS", []):
        from plugins.compliance.settings import apply_defaults

        apply_defaults(settings)
    return settings


def _read(path: Path, settings: dict[str, Any]) -> tuple[str, dict[str, Any]] | str:
    """What the build reads from ``path``: (HTML, fields), or its first problem."""
    from plugins.front_matter.reader import PortalMarkdownReader
    from plugins.portal_core import problems

    problems.reset()
    content, metadata = PortalMarkdownReader(settings).read(str(path))
    errors = problems.current().errors
    if metadata.get("status") == "skip" or errors:
        return errors[0].message if errors else "không đọc được"
    metadata.pop("source_file", None)
    return content, metadata


def _reads_the_same(path: Path, new_text: str, settings: dict[str, Any]) -> str:
    """'' when the build reads ``new_text`` as it reads ``path``, else what differs."""
    before = _read(path, settings)
    if isinstance(before, str):
        return f"bản dựng đang báo lỗi ở tệp này ({before}); sửa lỗi trước (invoke check)"
    handle, temporary = tempfile.mkstemp(prefix=".yaml-", suffix=".md", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(new_text)
        after = _read(Path(temporary), settings)
    finally:
        os.unlink(temporary)
    if isinstance(after, str):
        return f"bản chuyển đổi không đọc được ({after}); tệp giữ nguyên"
    if after[0] != before[0]:
        return "nội dung bài sẽ khác sau khi chuyển; tệp giữ nguyên"
    old, new = before[1], after[1]
    changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    if changed:
        return f"trường {', '.join(changed)} sẽ khác sau khi chuyển; tệp giữ nguyên"
    return ""


def convert_file(path: Path, settings: dict[str, Any], dry_run: bool = False) -> Outcome:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return Outcome(path, "error", "tệp không lưu theo bảng mã UTF-8; lưu lại rồi chạy lại")
    try:
        new_text = convert(text.replace("\r\n", "\n"))
    except ConversionError as exc:
        return Outcome(path, "error", str(exc))
    if new_text is None:
        return Outcome(path, "unchanged")
    difference = _reads_the_same(path, new_text, settings)
    if difference:
        return Outcome(path, "error", difference)
    if not dry_run:
        write_atomic(path, new_text, path.stat().st_mode & 0o777)
    return Outcome(path, "converted")


def markdown_files(content: Path, folders: tuple[str, ...] = ("posts", "pages")) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        files.extend(sorted((content / folder).rglob("*.md")))
    return files


def convert_tree(content: Path, settings: dict[str, Any], dry_run: bool = False) -> list[Outcome]:
    return [convert_file(path, settings, dry_run) for path in markdown_files(content)]
