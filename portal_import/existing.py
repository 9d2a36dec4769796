"""What is already in content/posts: imported posts by old id, and every taken address."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from plugins.front_matter.dates import DateError, parse_date
from portal_ops.scaffold import ScaffoldError, slug_for

DIGEST_PLACEHOLDER = "0" * 16
_DIGEST_LINE = re.compile(r'^(\s+digest:\s*)"?([0-9a-f]{16})"?\s*$', re.M)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_HEADER = re.compile(r"\A---\s*\n(.*?)\n(?:---|\.\.\.)\s*\n", re.S)


def digest_of(text: str) -> str:
    """The digest an imported file records of itself (its own digest line blanked)."""
    blank = _DIGEST_LINE.sub(lambda m: f'{m.group(1)}"{DIGEST_PLACEHOLDER}"', text, count=1)
    return hashlib.sha256(blank.encode("utf-8")).hexdigest()[:16]


def with_digest(text: str) -> str:
    return text.replace(f'"{DIGEST_PLACEHOLDER}"', f'"{digest_of(text)}"', 1)


@dataclass
class ImportedPost:
    path: Path
    recorded: str  # the digest written at import
    actual: str  # the digest of the file as it is now
    address: str | None = None  # "YYYY/MM/slug" as the file says now

    @property
    def edited(self) -> bool:
        return self.recorded != self.actual


@dataclass
class Existing:
    imported: dict[tuple[str, str], ImportedPost] = field(default_factory=dict)
    addresses: dict[str, Path] = field(default_factory=dict)  # "YYYY/MM/slug" -> file
    files: set[Path] = field(default_factory=set)


def _header(text: str) -> dict:
    match = _YAML_HEADER.match(text)
    if match:
        try:
            data = yaml.load(match.group(1), Loader=_LOADER)
        except yaml.YAMLError:
            return {}
        return {str(k).lower(): v for k, v in data.items()} if isinstance(data, dict) else {}
    header: dict = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() and " " not in name.strip():
            header.setdefault(name.strip().lower(), value.strip())
    return header


def scan(content: Path) -> Existing:
    found = Existing()
    posts = content / "posts"
    for path in sorted(posts.rglob("*.md")) if posts.is_dir() else []:
        found.files.add(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        header = _header(text)
        address = _address(header)
        origin = header.get("imported_from")
        if isinstance(origin, dict) and origin.get("source") and origin.get("id") is not None:
            key = (str(origin["source"]), str(origin["id"]))
            found.imported[key] = ImportedPost(
                path, str(origin.get("digest") or ""), digest_of(text), address
            )
        if address:
            found.addresses.setdefault(address, path)
    return found


def _address(header: dict) -> str | None:
    try:
        date = parse_date(header.get("date"))
    except (DateError, TypeError, ValueError):
        return None
    slug = str(header.get("slug") or "").strip()
    if not slug:
        try:
            slug = slug_for(str(header.get("title") or ""))
        except ScaffoldError:
            return None
    return f"{date:%Y/%m}/{slug}"
