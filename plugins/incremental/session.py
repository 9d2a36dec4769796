"""The build's view of the last one: which pages may be linked instead of rendered.

A page's key is a digest of the build's global key (settings, theme, plugin code,
library versions) and of what the page declares it shows (``declared``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import importlib.metadata
import os
import subprocess
import sys
import types
from collections import Counter
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from plugins.portal_core import pages
from plugins.portal_core.files import beside_content, digest_files

from . import state as build_state
from .declared import Declarations
from .model import ModelRecorder, Recipe
from .signature import Signer, digest_bytes, digest_text

#: settings that name this build's own staging folder: never part of the key
VOLATILE_SETTINGS = {
    "OUTPUT_PATH",
    "PORTAL_FINAL_OUTPUT_PATH",
    "PORTAL_LIVE_PREVIEW",
    "DEBUG",
    "INCREMENTAL_BUILD",
    "INCREMENTAL_RENDER_WORKERS",
    "INCREMENTAL_PARALLEL_READ_FROM",
}
#: code and files whose change means every page must be rendered again
CODE_FOLDERS = ("plugins", "counter")
LIBRARIES = ("pelican", "jinja2", "markupsafe", "markdown", "babel", "nh3", "pillow")
ROOT = Path(__file__).resolve().parent.parent.parent


def cache_dir(settings) -> Path:
    return Path(beside_content(settings, settings["INCREMENTAL_CACHE_PATH"]))


def files_digest(folders: list[Path], suffixes: tuple[str, ...] | None = None) -> str:
    return digest_files(
        (str(path.relative_to(folder)), path)
        for folder in folders
        for path in sorted(p for p in folder.rglob("*") if p.is_file())
        if "__pycache__" not in path.parts and (not suffixes or path.suffix in suffixes)
    )


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

    def __init__(self, settings, staging: str, store=None) -> None:
        self.settings = settings
        self.final_output = Path(settings.get("PORTAL_FINAL_OUTPUT_PATH") or staging)
        self.staging = Path(staging)
        self.state_path = build_state.state_file(cache_dir(settings), self.final_output)
        self.signer = make_signer()
        self.declarations = Declarations(self.signer, store)
        self.signer.register(Content, lambda post, depth: self.declarations.own(post))
        self.parts = self._global_parts()
        self.global_key = digest_text(repr(sorted(self.parts.items()))).hex()
        previous = build_state.load(self.state_path)
        #: the last build's pages and their digests, whatever this build may reuse
        self.previous_digests = {
            name: page.digest for name, page in previous.pages.items() if page.digest
        }
        self.rendered: set[str] = set()
        self.recorder = ModelRecorder()
        self.new = build_state.BuildState(self.global_key, self.parts)
        self.outcome: Counter[str] = Counter()
        self.linker = Linker()
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

    def page_key(self, template, context: dict, page: dict, relative_urls: bool) -> str:
        """The key of one page from what it declares (``page``: what it is given)."""
        name = f"{template.name}{'@relative' if relative_urls else ''}"
        return self.declarations.page_key(self.global_key, name, context, page)

    def note_recipe(self, name: str, template, context: dict, page: dict, relative_urls: bool):
        """What the page is rendered from, for the site model (``model``)."""
        inputs = self.declarations.page_inputs(template.name, context, page)
        self.recorder.note(name, Recipe(template.name, context, page, relative_urls, inputs))

    def reuse(self, name: str, key: str, path: str) -> bool:
        """Link last build's file at ``path`` if the page's key is the one it had."""
        before = self.previous.pages.get(name)
        if before is None:
            self.outcome["new"] += 1
            return False
        if key != before.key:
            self.outcome["changed"] += 1
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

    def record(self, name: str, key: str, path: str, digest: str) -> None:
        """Note a rendered page: its key and the file it became."""
        stat = os.stat(path)
        self.new.pages[name] = build_state.Written(key, stat.st_size, stat.st_mtime_ns, digest)
        self.rendered.add(name)

    def page_records(self) -> pages.PageRecords:
        """Every page of the staging folder with its digest, for the plugins that read
        pages (``portal_core.pages``)."""
        return pages.PageRecords(
            digests={name: page.digest for name, page in self.new.pages.items()},
            rendered=frozenset(self.rendered),
            previous=self.previous_digests,
        )

    def summary(self) -> str:
        done = ", ".join(f"{count} {what}" for what, count in sorted(self.outcome.items()))
        return done + (f" ({self.reason})" if self.reason else "")


class Linker:
    """Hard-links unchanged pages into the staging folder in a process of its own.

    A new staging folder needs a folder per post and a link per page (~35,000 system
    calls at 10,000 posts, seconds of kernel time). A thread of the build's own process
    made them at a fraction of the speed (it waited for the interpreter's lock between
    every two calls, while the build computed page keys) and the build then waited
    seconds for it; ``link_worker`` makes them on another core, fed through a pipe.
    The first link is made here, at once, to learn whether the two folders can share
    files (one file system). A link that fails later (the live file removed meanwhile)
    becomes a copy; ``wait`` raises if even that fails. Nothing may read the staging
    folder before ``wait`` returns.
    """

    #: the pipe to the worker holds this many bytes (Linux): ~7,000 pages queued before
    #: the build would wait for the worker
    PIPE_SIZE = 1 << 20

    def __init__(self) -> None:
        self.works: bool = True
        self._worker: subprocess.Popen | None = None

    def add(self, live: str, path: str) -> bool:
        """Link ``live`` at ``path`` (now or soon); False: the page must be rendered."""
        if self._worker is not None:
            try:
                self._worker.stdin.write(os.fsencode(live) + b"\0" + os.fsencode(path) + b"\0")
            except OSError:  # the worker is gone (``wait`` says why): this page is rendered
                return False
            return True
        if not self.works:
            return False
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.link(live, path)
        except OSError:
            self.works = False
            return False
        self._worker = subprocess.Popen(
            [sys.executable, "-I", "-S", str(Path(__file__).with_name("link_worker.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=1 << 16,
        )
        with contextlib.suppress(OSError, AttributeError):  # a larger pipe where allowed
            fcntl.fcntl(self._worker.stdin, fcntl.F_SETPIPE_SZ, self.PIPE_SIZE)
        return True

    def wait(self) -> None:
        """Every queued link made (or the reason it could not be)."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        report, _ = worker.communicate()
        errors = report.decode(errors="replace").splitlines()
        if worker.returncode != 0:
            errors.append(f"link_worker: exit status {worker.returncode}")
        if errors:
            raise RuntimeError(
                f"plugins.incremental: {len(errors)} trang không chép được vào thư mục dựng "
                f"({'; '.join(errors[:3])}). Chạy lại với --full."
            )


_WRAPPER_DERIVED = {"settings", "_slug", "name", "slug"}


def make_signer() -> Signer:
    signer = Signer()
    signer.exclude_attributes(["settings", "_context"])
    signer.register(types.ModuleType, lambda m, depth: m.__name__)
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
