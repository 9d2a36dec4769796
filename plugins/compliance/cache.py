"""Findings kept between builds (``COMPLIANCE_CACHE_PATH``): HTML pages' and posts'.

A rendered page's findings depend only on its bytes, on what its post says about itself
(author, source, category, date: the page checks read them) and on the settings and
code of the checks. The entry for a page is keyed by the digest of its bytes
(``portal_core.pages.digest_bytes``: the one the build engine recorded, so a recorded
page with an entry is not even read) with its path, kind and post key; the whole file by
a fingerprint of the pack, the agency level, the settings the page checks read and the
source of the check modules, so a change of rule code or settings starts from empty. A
rebuild where one post changed re-checks only the pages whose bytes changed.

Only page checks are cached, and only for articles and listings (the home page, the fixed
pages and the site map also feed the site-wide checks, and are few). Site-wide and output
checks, the metadata checks that read more than their post (``registry.POST_ONLY``), waivers
and aggregation run on every build, so the report is the same with or without the cache.

The post ("doc") checks that read only their post, the rule and the settings
(``registry.POST_ONLY``) are memoized the same way (``PostMemo``): an entry per post keyed by
a digest of every field of its ``Doc``, the file by a fingerprint of the pack, the rules,
the settings (holidays included; not today, the waivers or moved URLs, which no such
check reads) and the code. Each save keeps only this build's entries, and a file is
written only when its content changed.

The files are pickles of plain data (dicts, lists, tuples, strings, numbers) read by an
unpickler that refuses anything else; a file that cannot be read is an empty cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import operator
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from plugins.front_matter import dates
from plugins.portal_core import plainpickle
from plugins.portal_core import text as portal_text
from plugins.portal_core.files import digest_files

from .manifest import content_digest
from .model import Config, Doc, Finding
from .rules import Rule

logger = logging.getLogger(__name__)

CACHE_NAME = "trang.pickle"
POSTS_NAME = "bai.pickle"
#: written by earlier versions; removed by the first save
_OLD_NAMES = ("trang.json",)
FORMAT = 2
_CODE = (
    "cache.py",
    "checks_html.py",
    "checks_meta.py",
    "engine.py",
    "htmlcut.py",
    "model.py",
    "output.py",
    "registry.py",
    "rules.py",
    "sections.py",
    "selectors.py",
    "text.py",
)
#: Modules outside this folder whose code the checks run (dates, text folding).
_SHARED_CODE = (dates, portal_text)
#: Config fields the page checks never read (metadata checks run every build anyway).
_NOT_READ = {"today", "holidays", "waivers", "moved_urls", "maintenance"}
#: Config fields no ``POST_ONLY`` check reads; holidays are read (working days).
_NOT_READ_BY_POSTS = {"today", "waivers", "moved_urls", "maintenance"}


def code_version() -> str:
    """A hash of the check modules' source, the Python and HTML parser versions."""
    here = Path(__file__).parent
    code = digest_files(
        [(name, here / name) for name in _CODE]
        + [(module.__name__, module.__file__) for module in _SHARED_CODE]
    )
    return f"{etree.LIBXML_VERSION}-{sys.version_info[:2]}-{code}"


def _plain(value: Any) -> Any:
    """JSON for what json cannot write: sets sorted (their order varies between
    processes), anything else by its type and text."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    return f"{type(value).__qualname__}:{value}"


def _settings_digest(config: Config, skip: set[str], extra: list[Any]) -> str:
    settings = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    for name in skip:
        settings.pop(name, None)
    data = json.dumps(
        [FORMAT, code_version(), extra, settings],
        sort_keys=True,
        default=_plain,
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def fingerprint(config: Config, rule_ids: list[str]) -> str:
    """What every cached page depends on besides its own bytes and post."""
    return _settings_digest(config, _NOT_READ, sorted(rule_ids))


def post_fingerprint(config: Config, rules: Iterable[Rule]) -> str:
    """What every memoized post depends on besides its own ``Doc``: the settings, the
    code, and the rules with their checks in order (entries number the post checks)."""
    plan = [[r.id, list(r.checks), sorted(r.params.items(), key=repr)] for r in rules]
    return _settings_digest(config, _NOT_READ_BY_POSTS, ["posts", plan])


def _load(path: str, fingerprint: str) -> dict[str, Any]:
    """The entries of a cache file written with ``fingerprint``; {} if it is missing,
    damaged, or written for other settings or code."""
    data = plainpickle.load(path)
    if (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and data.get("fingerprint") == fingerprint
        and isinstance(data.get("entries"), dict)
    ):
        return data["entries"]
    return {}


def _save(folder: str, name: str, fingerprint: str, entries: dict[str, Any]) -> None:
    """Write a cache file atomically; a failure only makes the next build slower."""
    path = os.path.join(folder, name)
    data = {"format": FORMAT, "fingerprint": fingerprint, "entries": entries}
    try:
        plainpickle.save(path, data)
        for old in _OLD_NAMES:
            Path(folder, old).unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, ValueError) as exc:
        logger.warning("Không ghi được bộ nhớ đệm kiểm tra tuân thủ %s: %s", path, exc)


def page_context(rel: str, kind: str, doc: Doc | None, key: str | None = None) -> str:
    """What a page's checks read besides its bytes: its path, kind and post, the post by
    its ``post_key`` (``key``, when the caller has it already)."""
    if doc is not None and key is None:
        key = post_key(doc)
    return f"{rel}\0{kind}\0{key or ''}"


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
            self.old = _load(os.path.join(folder, CACHE_NAME), fingerprint)

    @staticmethod
    def key(digest: str, context: str) -> str:
        """A page's key from the digest of its bytes (``portal_core.pages.digest_bytes``,
        the build engine's records) and its ``page_context``."""
        data = f"{digest}\0{context}".encode("utf-8", "surrogatepass")
        return hashlib.sha1(data, usedforsecurity=False).hexdigest()

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

    def put(self, key: str, findings: list[Finding], notes: list[list[str]]) -> None:
        self.new[key] = {
            "f": [[f.rule_id, f.target, f.detail, f.url] for f in findings],
            "n": notes,
        }

    def save(self) -> None:
        """Write this build's entries (only them: the file does not grow with old pages),
        unless they are the previous build's."""
        if self.folder and (self.new != self.old or not self._on_disk()):
            _save(self.folder, CACHE_NAME, self.fingerprint, self.new)

    def _on_disk(self) -> bool:
        return bool(self.old) and os.path.exists(os.path.join(self.folder or "", CACHE_NAME))


#: Every field of a Doc but its body (``post_key`` reads the body through its digest).
_doc_values = operator.attrgetter(*(f.name for f in dataclasses.fields(Doc) if f.name != "content"))


def post_key(doc: Doc) -> str:
    """A digest of every field of a post's ``Doc`` (what a ``POST_ONLY`` check may read).

    The body goes in through the digest the manifest needs anyway; the other fields by
    ``repr``, exact for the plain values a ``Doc`` holds (strings, dates, lists: a value
    whose text is not stable between builds only makes its post a miss)."""
    data = (
        repr(_doc_values(doc)).encode("utf-8", "surrogatepass")
        + b"\0"
        + content_digest(doc).encode()
    )
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


#: One finding of a memoized post: (position of the check in the run's "doc" plan,
#: rule id, target, detail, url, count, examples).
Row = tuple[int, str, str, str, str, int, tuple[str, ...]]


class PostMemo:
    """The ``POST_ONLY`` checks' findings of each post, by ``post_key``: last build's
    and this build's. ``folder`` None: a memo that forgets (every post is checked)."""

    def __init__(self, folder: str | None, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.old: dict[str, Any] = (
            _load(os.path.join(folder, POSTS_NAME), fingerprint) if folder else {}
        )
        self.new: dict[str, tuple[Row, ...]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str, size: int) -> dict[int, list[Finding]] | None:
        """The findings of the post ``key`` by position of the check among the run's
        ``size`` post checks, or None (not memoized, or a damaged entry: the caller
        checks the post)."""
        entry = self.old.get(key)
        if entry is None:
            self.misses += 1
            return None
        found: dict[int, list[Finding]] = {}
        try:
            for position, rule_id, target, detail, url, count, examples in entry:
                if not 0 <= position < size:
                    raise IndexError(position)
                found.setdefault(position, []).append(
                    Finding(
                        str(rule_id),
                        str(target),
                        str(detail),
                        url=str(url),
                        count=int(count),
                        examples=[str(e) for e in examples],
                    )
                )
        except (TypeError, ValueError, IndexError):
            self.misses += 1
            return None
        self.hits += 1
        self.new[key] = entry
        return found

    def put(self, key: str, found: dict[int, list[Finding]]) -> None:
        """Keep a post's findings by check position (findings are copied: waivers are
        written into the run's own objects later)."""
        self.new[key] = tuple(
            (position, f.rule_id, f.target, f.detail, f.url, f.count, tuple(f.examples))
            for position in sorted(found)
            for f in found[position]
        )

    def save(self) -> None:
        """Write this build's entries, unless they are the previous build's."""
        if self.folder and (self.new != self.old or not self._on_disk()):
            _save(self.folder, POSTS_NAME, self.fingerprint, self.new)

    def _on_disk(self) -> bool:
        return bool(self.old) and os.path.exists(os.path.join(self.folder or "", POSTS_NAME))
