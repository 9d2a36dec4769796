"""Findings of the HTML page checks, kept between builds (``COMPLIANCE_CACHE_PATH``).

A rendered page's findings depend only on its bytes, on what its post says about itself
(author, source, category, date: the page checks read them) and on the settings and
code of the checks. The entry for a page is keyed by a hash of its bytes and its post's
metadata; the whole file by a fingerprint of the pack, the agency level, the settings the
page checks read and the source of the check modules, so a change of rule code or
settings starts from empty. A rebuild where one post changed re-checks only the pages
whose bytes changed.

Only page checks are cached, and only for articles and listings (the home page, the fixed
pages and the site map also feed the site-wide checks, and are few). Metadata, site-wide
and output checks run on every build; waivers and aggregation are applied after, so the
report is the same with or without the cache. Each save keeps only this build's entries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from lxml import etree

from .model import Config, Doc, Finding

logger = logging.getLogger(__name__)

CACHE_NAME = "trang.json"
FORMAT = 1
_CODE = (
    "base.py",
    "cache.py",
    "checks_html.py",
    "checks_meta.py",
    "engine.py",
    "model.py",
    "rules.py",
    "selectors.py",
    "text.py",
)
#: Config fields the page checks never read (metadata checks run every build anyway).
_NOT_READ = {"today", "holidays", "waivers", "moved_urls", "maintenance"}


def code_version() -> str:
    """A hash of the check modules' source and the HTML parser's version."""
    digest = hashlib.sha256(etree.LIBXML_VERSION.__repr__().encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()


def fingerprint(config: Config, rule_ids: list[str]) -> str:
    """What every cached page depends on besides its own bytes and post."""
    settings = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name not in _NOT_READ
    }
    data = json.dumps(
        [FORMAT, code_version(), sorted(rule_ids), settings],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


#: The post fields a page's key includes: all but the body (the page shows what matters).
_DOC_META = tuple(f.name for f in dataclasses.fields(Doc) if f.name not in ("content", "summary"))


def page_context(rel: str, kind: str, doc: Doc | None) -> bytes:
    """What a page's checks read besides its bytes: its path, kind and post metadata (the
    fields as a list in their fixed order: a third of the cost of a sorted mapping)."""
    meta = None if doc is None else [getattr(doc, name) for name in _DOC_META]
    return json.dumps([rel, kind, meta], default=str).encode("utf-8")


class PageCache:
    """The page findings of the previous build, and this build's, by key."""

    def __init__(self, folder: str | None, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0
        if folder:
            try:
                with open(os.path.join(folder, CACHE_NAME), encoding="utf-8") as handle:
                    data = json.load(handle)
                if data.get("format") == FORMAT and data.get("fingerprint") == fingerprint:
                    self.old = data["entries"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.old = {}

    @staticmethod
    def key(data: bytes, context: bytes) -> str:
        digest = hashlib.sha1(data, usedforsecurity=False)
        digest.update(b"\0")
        digest.update(context)
        return digest.hexdigest()

    def lookup(self, key: str) -> tuple[Any, tuple[list[Finding], list[list[str]]] | None]:
        """The previous build's entry for ``key`` and its (findings, notes), or (None, None);
        no side effect (a forked process may call it: the parent ``keep``s what it used)."""
        entry = self.old.get(key)
        if entry is None:  # a miss (every page of a cold build): no exception to catch
            return None, None
        try:
            findings = [Finding(str(r), str(t), str(d), url=str(u)) for r, t, d, u in entry["f"]]
            notes = [[str(kind), str(note)] for kind, note in entry["n"]]
        except (TypeError, KeyError, ValueError):  # no entry, or a damaged one
            return None, None
        return entry, (findings, notes)

    def keep(self, key: str, entry: Any) -> None:
        """Carry a hit's entry over to this build's file."""
        self.hits += 1
        self.new[key] = entry

    def get(self, key: str) -> tuple[list[Finding], list[list[str]]] | None:
        entry, hit = self.lookup(key)
        if hit is None:
            self.misses += 1
            return None
        self.keep(key, entry)
        return hit

    def put(self, key: str, findings: list[Finding], notes: list[list[str]]) -> None:
        self.new[key] = {
            "f": [[f.rule_id, f.target, f.detail, f.url] for f in findings],
            "n": notes,
        }

    def save(self) -> None:
        """Write this build's entries (only them: the file does not grow with old pages)."""
        if not self.folder:
            return
        path = os.path.join(self.folder, CACHE_NAME)
        temporary = f"{path}.{os.getpid()}.tmp"
        data = {"format": FORMAT, "fingerprint": self.fingerprint, "entries": self.new}
        try:
            os.makedirs(self.folder, exist_ok=True)
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, path)
        except OSError as exc:  # a cache that cannot be written only makes the next build slower
            logger.warning("Không ghi được bộ nhớ đệm kiểm tra tuân thủ %s: %s", path, exc)
