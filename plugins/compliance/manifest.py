"""What was published last time, kept next to the report, for the archive and update rules."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os

from plugins.portal_core.files import write_atomic

from . import jsontext
from .model import Doc

MANIFEST_NAME = "xuat-ban-truoc.json"
#: a manifest written before the swap (``prepare``), beside its place: ``<name>.<pid>.pending``
_PENDING = ".pending"


def content_digest(doc: Doc) -> str:
    """SHA-1 of the title and body, computed once per post (the update rule, the
    manifest and the post memo's key read it)."""
    cached = doc.__dict__.get("_content_digest")
    if cached is None:
        text = doc.title + "\n" + doc.content
        cached = doc.__dict__["_content_digest"] = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return cached


def content_hash(doc: Doc) -> str:
    return content_digest(doc)[:16]


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


def prepare(
    folder: str,
    manifest: dict[str, dict[str, str]],
    previous: dict[str, dict[str, str]] | None = None,
) -> str | None:
    """Write the manifest (the text ``json.dump(indent=0, sort_keys=True)`` writes) beside
    its place, to be put there by :func:`commit` once the site is published: a build
    writes it while it waits for its search index, not after the swap. None when it
    equals ``previous``, the one read from the file at the start. What a build that
    stopped left beside it is removed."""
    path = os.path.join(folder, MANIFEST_NAME)
    for stale in glob.glob(glob.escape(path) + ".*" + _PENDING):
        with contextlib.suppress(OSError):
            os.unlink(stale)
    if previous is not None and manifest == previous and os.path.exists(path):
        return None
    pending = f"{path}.{os.getpid()}{_PENDING}"
    write_atomic(pending, jsontext.dumps(manifest, indent=0, sort_keys=True))
    return pending


def commit(folder: str, pending: str) -> None:
    """Put a manifest :func:`prepare` wrote in its place in ``folder`` (atomic)."""
    os.replace(pending, os.path.join(folder, MANIFEST_NAME))
