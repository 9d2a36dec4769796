"""The build's view of the last one: which pages may be linked instead of rendered.

A page's key is a digest of the build's global key (settings, theme, plugin code,
library versions) and of the values of the context names the page read last time.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import os
import queue
import shutil
import threading
import types
from collections import Counter
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from . import paging
from . import state as build_state
from .signature import Signer, digest_bytes, digest_text

#: settings that name this build's own staging folder: never part of the key
VOLATILE_SETTINGS = {
    "OUTPUT_PATH",
    "INCREMENTAL_BUILD",
    "INCREMENTAL_RENDER_WORKERS",
    "INCREMENTAL_READ_WORKERS",
}
#: code and files whose change means every page must be rendered again
CODE_FOLDERS = ("plugins", "counter")
LIBRARIES = ("pelican", "jinja2", "markupsafe", "markdown", "babel", "nh3", "pillow")
ROOT = Path(__file__).resolve().parent.parent.parent
_MISSING = object()


def cache_dir(settings) -> Path:
    path = Path(settings["INCREMENTAL_CACHE_PATH"])
    if not path.is_absolute():
        path = Path(os.path.abspath(settings.get("PATH") or "content")).parent / path
    return path


def files_digest(folders: list[Path], suffixes: tuple[str, ...] | None = None) -> str:
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
                continue
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    """The plugins' and the counter's Python code, hashed once per process: the code
    running is the code that was imported (an edit takes effect in the next process)."""
    return files_digest([ROOT / name for name in CODE_FOLDERS], (".py",))


@functools.cache
def library_versions() -> dict[str, str]:
    versions = {}
    for library in LIBRARIES:
        try:
            versions[library] = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            versions[library] = "-"
    return versions


class Session:
    """One build's view of the last one: which pages may be linked instead of rendered."""

    def __init__(self, settings, staging: str) -> None:
        self.settings = settings
        self.final_output = Path(settings.get("PORTAL_FINAL_OUTPUT_PATH") or staging)
        self.staging = Path(staging)
        self.state_path = build_state.state_file(cache_dir(settings), self.final_output)
        self.signer = make_signer()
        self.parts = self._global_parts()
        self.global_key = digest_text(repr(sorted(self.parts.items()))).hex()
        previous = build_state.load(self.state_path)
        self.new = build_state.BuildState(self.global_key, self.parts)
        self.outcome: Counter[str] = Counter()
        self.linker = Linker()
        # INCREMENTAL_EXPLAIN=1 in the environment: say which names made pages change
        self.explain: dict | None = None
        self.explain_path = self.state_path.with_name("explain-" + self.state_path.name)
        self.changed_names: Counter[str] = Counter()
        if os.environ.get("INCREMENTAL_EXPLAIN"):
            try:
                self.explain = {"old": json.loads(self.explain_path.read_text()), "new": {}}
            except (OSError, ValueError):
                self.explain = {"old": {}, "new": {}}
        if not settings["INCREMENTAL_BUILD"]:
            self.previous = build_state.BuildState()
            self.reason = "INCREMENTAL_BUILD = False: mọi trang được dựng lại"
        elif not previous.pages:
            self.previous = previous
            self.reason = "chưa có bản dựng trước: mọi trang được dựng"
        elif previous.global_key != self.global_key:
            changed = sorted(
                k
                for k in set(self.parts) | set(previous.parts)
                if self.parts.get(k) != previous.parts.get(k)
            )
            self.previous = build_state.BuildState()
            self.reason = "đã thay đổi " + ", ".join(changed[:8]) + ": mọi trang được dựng lại"
        else:
            self.previous = previous
            self.reason = ""

    def _global_parts(self) -> dict[str, str]:
        parts = {}
        for key in sorted(self.settings):
            if key in VOLATILE_SETTINGS or not key.isupper():
                continue
            parts[f"setting {key}"] = self.signer.sign(self.settings[key]).hex()
        theme = Path(self.settings.get("THEME") or "")
        if theme.is_dir():
            parts["theme"] = files_digest([theme / "templates", theme / "translations"])
        parts["code"] = code_digest()
        parts.update({f"library {n}": v for n, v in library_versions().items()})
        return parts

    def page_key(self, template, localcontext, names) -> str:
        sign = self.signer.sign
        parts = [self.global_key.encode(), template.name.encode()]
        for name in names:
            value = localcontext.get(name, _MISSING)
            parts.append(name.encode())
            parts.append(b"-" if value is _MISSING else sign(value))
        return digest_bytes(*parts).hex()

    def key_for(self, name: str, template, localcontext) -> str | None:
        """The page's key over the names it read last build; None for a page new to it."""
        before = self.previous.pages.get(name)
        return None if before is None else self.page_key(template, localcontext, before.names)

    def reuse(self, name: str, template, localcontext, path: str, key=_MISSING) -> bool:
        """Link last build's file at ``path`` if nothing the page read changed (``key``:
        its ``key_for``, when computed elsewhere)."""
        before = self.previous.pages.get(name)
        if before is None:
            self.outcome["new"] += 1
            return False
        if key is _MISSING:
            key = self.page_key(template, localcontext, before.names)
        if key != before.key:
            self.outcome["changed"] += 1
            if self.explain is not None:
                self._explain_change(name, localcontext, before.names)
            return False
        live = self.final_output / name
        try:
            stat = live.stat()
        except OSError:
            self.outcome["missing"] += 1
            return False
        if (stat.st_size, stat.st_mtime_ns) != (before.size, before.mtime_ns):
            # the same bytes with another time: restored from a CI cache; else edited
            if stat.st_size != before.size or _file_digest(live) != before.digest:
                self.outcome["edited by hand"] += 1
                return False
            before = dataclasses.replace(before, mtime_ns=stat.st_mtime_ns)
            self.outcome["reused with a new time"] += 1
        if not self.linker.add(str(live), path):
            self.outcome["not linkable"] += 1
            return False
        self.new.pages[name] = before
        self.outcome["reused"] += 1
        return True

    def record(
        self,
        name: str,
        template,
        localcontext,
        names: set[str],
        path: str,
        key=None,
        digest: str = "",
    ) -> None:
        """Note what a rendered page read (``key``: computed where it was rendered) and
        the file it became (``digest`` of its bytes: computed here when not given)."""
        ordered = tuple(sorted(names))
        stat = os.stat(path)
        if key is None:
            key = self.page_key(template, localcontext, ordered)
        self.new.pages[name] = build_state.Written(
            key, ordered, stat.st_size, stat.st_mtime_ns, digest or _file_digest(Path(path)) or ""
        )
        if self.explain is not None:
            self.explain["new"][name] = self._digests(localcontext, ordered)

    def _digests(self, localcontext, names) -> dict[str, str]:
        return {
            n: self.signer.sign(localcontext[n]).hex() if n in localcontext else "-" for n in names
        }

    def _explain_change(self, name: str, localcontext, names) -> None:
        old = self.explain["old"].get(name, {})
        now = self._digests(localcontext, names)
        self.changed_names.update(n for n in names if old.get(n) != now[n])

    def save_explanation(self) -> None:
        if self.explain is None:
            return
        merged = {**self.explain["old"], **self.explain["new"]}
        self.explain_path.write_text(json.dumps(merged), encoding="utf-8")
        if self.changed_names:
            print(
                "Dựng tăng dần, các trang được dựng lại vì đổi: "
                + ", ".join(f"{n} ({c})" for n, c in self.changed_names.most_common(12)),
                flush=True,
            )

    def summary(self) -> str:
        done = ", ".join(f"{count} {what}" for what, count in sorted(self.outcome.items()))
        return done + (f" ({self.reason})" if self.reason else "")


class Linker:
    """Hard-links unchanged pages into the staging folder on a thread of its own.

    A new staging folder needs a folder per post and a link per page (~35,000 system
    calls at 10,000 posts, seconds of kernel time); they release the GIL, so the thread
    runs them on another core while the build goes on. The first link is made at once,
    to learn whether the two folders can share files (one file system). A link that
    fails later (the live file removed meanwhile) becomes a copy; ``wait`` raises if
    even that fails. Nothing may read the staging folder before ``wait`` returns.
    """

    def __init__(self) -> None:
        self.works: bool = True
        self._queue: queue.SimpleQueue[tuple[str, str] | None] | None = None
        self._thread: threading.Thread | None = None
        self._made: set[str] = set()
        self._errors: list[str] = []

    def add(self, live: str, path: str) -> bool:
        """Link ``live`` at ``path`` (now or soon); False: the page must be rendered."""
        if self._queue is not None:
            self._queue.put((live, path))
            return True
        if not self.works:
            return False
        try:
            self._link(live, path, copy=False)
        except OSError:
            self.works = False
            return False
        self._queue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="incremental-links", daemon=True)
        self._thread.start()
        return True

    def _link(self, live: str, path: str, copy: bool) -> None:
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        try:
            os.link(live, path)
        except OSError:
            if not copy:
                raise
            shutil.copy2(live, path)

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._link(*job, copy=True)
            except Exception as error:  # reported by wait(): never a page silently missing
                self._errors.append(f"{job[1]}: {error}")

    def wait(self) -> None:
        """Every queued link made (or the reason it could not be)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = self._queue = None
        if self._errors:
            errors, self._errors = self._errors, []
            raise RuntimeError(
                f"plugins.incremental: {len(errors)} trang không chép được vào thư mục dựng "
                f"({'; '.join(errors[:3])}). Chạy lại với --full."
            )


def _content_view(obj: Content, nested: bool, refs: dict[int, object]) -> dict:
    fields = {k: v for k, v in vars(obj).items() if k not in ("_context", "settings")}
    # Pelican copies every metadata field to an attribute: sign each value once
    metadata = fields.get("metadata")
    if isinstance(metadata, dict):
        fields["metadata"] = {k: v for k, v in metadata.items() if fields.get(k) is not v}
    # url, save_as and summary follow from the fields and the settings (in the global
    # key); the rendered content also from other posts' addresses when it links to them
    raw = fields.get("_content") or ""
    if "{" in raw or "|" in raw:
        try:
            fields["@content"] = obj.content
        except Exception:  # a broken link: the page renders (and reports it) anyway
            fields["@content"] = object()

    def cut(value):
        if isinstance(value, Content):
            return _ref(value, refs) if nested else None
        if isinstance(value, (list, tuple)) and any(isinstance(v, Content) for v in value):
            return [cut(v) for v in value]
        return value

    # A post seen from another one (related, neighbour, listed) is known by its own
    # fields: a new post that enters its related list does not change the pages that
    # merely link to it. Templates must not show a linked post's own links.
    return {k: cut(v) for k, v in fields.items()}


def _ref(content: Content, refs: dict[int, object]) -> _ContentRef:
    ref = refs.get(id(content))
    if ref is None:
        ref = refs[id(content)] = _ContentRef(content)
    return ref


class _ContentRef:
    """A post seen from another post (related, neighbour): its own fields, not its links'."""

    def __init__(self, content: Content) -> None:
        self.content = content


_WRAPPER_DERIVED = {"settings", "_slug", "name", "slug"}


def make_signer() -> Signer:
    signer = Signer()
    refs: dict[int, object] = {}
    signer.exclude_attributes(["settings", "_context"])
    signer.register(types.ModuleType, lambda m, depth: m.__name__)
    signer.register(_ContentRef, lambda r, depth: _content_view(r.content, False, refs))
    signer.register(Content, lambda c, depth: _content_view(c, True, refs))
    # a listing shows its posts' own fields, not their related posts
    signer.register(
        paging.StablePage,
        lambda p, depth: {
            **vars(p),
            "object_list": [_ref(c, refs) if isinstance(c, Content) else c for c in p.object_list],
        },
    )
    # a category, tag, author or unit: its url and save_as follow from its name and the
    # settings (in the global key), so they are not computed again here
    signer.register(
        URLWrapper,
        lambda w, depth: {
            "@slug": w.slug,  # computed on first use: read it so it is always the same
            # Pelican's as_dict() copies name and slug into the object when its URL is
            # first computed: leave them out, or the digest depends on what ran before
            **{k: v for k, v in vars(w).items() if k not in _WRAPPER_DERIVED},
        },
    )
    return signer


def _file_digest(path: Path) -> str | None:
    """The hex digest of a file's bytes, as the writer records it; None if unreadable."""
    try:
        return digest_bytes(path.read_bytes()).hex()
    except OSError:
        return None
