"""What was published last time, kept next to the report, for the archive and update rules."""

from __future__ import annotations

import hashlib
import json
import os

from .model import Doc

MANIFEST_NAME = "xuat-ban-truoc.json"


def content_hash(doc: Doc) -> str:
    return hashlib.sha1((doc.title + "\n" + doc.content).encode("utf-8")).hexdigest()[:16]


def stamp(doc: Doc) -> str:
    return doc.modified.isoformat() if doc.modified else ""


def build(docs: list[Doc]) -> dict[str, dict[str, str]]:
    return {
        d.url: {"hash": content_hash(d), "modified": stamp(d), "source": d.path}
        for d in docs
        if d.status != "draft" and d.url
    }


def load(folder: str) -> dict[str, dict[str, str]] | None:
    """The previous publish build's manifest, or None on the first build."""
    path = os.path.join(folder, MANIFEST_NAME)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(folder: str, manifest: dict[str, dict[str, str]]) -> None:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, MANIFEST_NAME)
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=0, sort_keys=True)
    os.replace(path + ".tmp", path)
