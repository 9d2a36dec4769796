"""Incremental builds from a site model: read only changed posts, render only the pages
whose declared inputs changed.

Every build saves its model in the cache folder: each post as the reader made it, keyed
by its source key (``posts``: the post store), and each page's key over what it
**declares** it shows (``declared``: its post and the posts it links to, its slice of a
listing, the site-wide values) with the file it became (``state``). The next build takes
unchanged posts from the store instead of reading them and, when a page's key and the
build's global key (settings, theme, plugin code, library versions) are unchanged and
its live file is intact, hard-links last build's file into the staging folder instead of
rendering it. The result is the same bytes a full build writes (tests/incremental
asserts it over a suite of changes; ``invoke build --verify`` checks a real site).

Listings use stable pages (``paging``): page numbers count from the oldest post, so
a new post does not move every other post to another page.

Settings: docs/settings.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections import Counter
from pathlib import Path

from pelican import signals

from plugins import build_guard
from plugins.portal_core import files, memory, pages, registry
from plugins.portal_core.failure import fail
from plugins.portal_core.settings import Plugin, Settings, flag, folder, number
from plugins.portal_core.signals import unchanged
from plugins.scheduling.core import current_time

from . import model as site_model
from . import seed
from . import state as build_state
from .filedigests import FileDigests
from .patch import try_patch
from .posts import PostStore
from .session import (
    VOLATILE_SETTINGS,
    Session,
    cache_dir,
    code_digest,
    files_digest,
    library_versions,
    make_signer,
)
from .signature import digest_bytes, digest_text
from .templates import TemplateCache, prune_templates
from .writer import IncrementalWriter

logger = logging.getLogger(__name__)

# -- nothing changed: no build at all -------------------------------------------------


def _now(settings) -> dt.datetime:
    return current_time(settings)  # the scheduling plugin's clock (SCHEDULING_NOW in tests)


def _damaged_pages(output: Path, last: build_state.BuildState) -> list[str]:
    """Pages of the last build whose live file is gone or not the size and time it was
    written with (the writer then compares bytes: a file restored with a new time is
    reused, one edited by hand is rendered again)."""
    damaged = []
    folder = str(output)
    for name, page in last.pages.items():
        try:
            stat = os.stat(f"{folder}/{name}")
        except OSError:
            damaged.append(name)
            continue
        if (stat.st_size, stat.st_mtime_ns) != (page.size, page.mtime_ns):
            damaged.append(name)
    return damaged


def _files_under(root: str) -> list[str]:
    """Every file under ``root`` (following links to folders, as ``Path.rglob`` does),
    relative, in the order of ``sorted(Path.rglob(...))``: by path components."""
    found = [
        relative
        for relative in files.relative_files(root, follow_links=True)
        if os.path.isfile(f"{root}/{relative}")
    ]
    return sorted(found, key=lambda relative: relative.split("/"))


def read_key(settings) -> bytes:
    """Everything besides a file's bytes that reading it depends on: settings, plugin code,
    the registries names are resolved against (``portal_core.registry``: every registry
    file read by this build, whatever plugin reads it) and library versions."""
    signer = make_signer()
    parts = [
        f"{key}={signer.sign(settings[key]).hex()}"
        for key in sorted(settings)
        if key.isupper() and key not in VOLATILE_SETTINGS
    ]
    parts.append("code=" + code_digest())
    for path, text in sorted(registry.loaded_files().items()):
        parts.append(f"{os.path.basename(path)}={digest_text(text).hex()}")
    parts += [f"library {name}={version}" for name, version in library_versions().items()]
    return digest_text("\n".join(parts))


def fix_sitemap_clock(generators) -> None:
    """pelican-sitemap dates listing pages with the build's clock; use the newest post's.

    The same content then gives the same sitemap.xml, whenever it is built."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    dates = [
        getattr(item, "modified", None) or item.date
        for generator in generators
        for item in [*getattr(generator, "articles", []), *getattr(generator, "pages", [])]
        if getattr(item, "date", None)
    ]
    if dates:
        sitemap.generator.now = max(dates)


def cache_templates(generator) -> None:
    """Load the theme's compiled templates from the last build (a --full build compiles)."""
    if generator.settings.get("INCREMENTAL_BUILD") and getattr(generator, "env", None):
        code = code_digest() + repr(sorted(library_versions().items()))  # the filters' code
        folder = cache_dir(generator.settings) / "templates"
        generator.env.bytecode_cache = TemplateCache(folder, code)


class Incremental(Plugin):
    """Incremental builds: unchanged posts not read again, unchanged pages not rendered again."""

    settings = Settings(
        INCREMENTAL_BUILD=flag(
            True,
            "reuse unchanged pages of the last build; False (pelican -e INCREMENTAL_BUILD=false, "
            "invoke build --full) renders every page and starts the record afresh",
        ),
        INCREMENTAL_CACHE_PATH=folder(
            "cache/build",
            "where the record of the last build is kept; relative to the folder holding PATH",
        ),
        INCREMENTAL_RENDER_WORKERS=number(
            0, "processes that render pages; 0 = one per core, 1 = in the build's own process"
        ),
        INCREMENTAL_PARALLEL_READ_FROM=number(
            400,
            "posts to read (not in the post store) from which a second process reads half "
            "of them, on a machine with two cores or more; 0 = never",
        ),
    )

    def __init__(self) -> None:
        self.session: Session | None = None
        self.store: PostStore | None = None
        self.inputs = ""
        self.other_inputs = ""  # ``inputs`` without the content files
        self.inputs_fresh = False  # computed at start-up, for the process's first build
        self.patch_from: build_state.BuildState | None = None  # the last build, to patch
        self.patched_state: build_state.BuildState | None = None  # a patch build's, once published
        self.next_due = ""
        self.file_digests: dict[str, bytes] = {}

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        self.skip_unchanged_build(pelican)

    def generator_init(self, generator) -> None:
        cache_templates(generator)
        self.use_post_store(generator)

    def all_generators_finalized(self, generators) -> None:
        fix_sitemap_clock(generators)

    def inputs_digest(self, settings) -> str:
        """Every input of a build: content files, settings, theme, code, libraries, the
        counter snapshot and today's date (timeliness checks and the footer depend on it)."""
        h = hashlib.blake2b(digest_size=16)
        other = hashlib.blake2b(digest_size=16)  # everything but the content files
        signer = make_signer()
        for key in sorted(settings):
            if key.isupper() and key not in VOLATILE_SETTINGS:
                other.update(key.encode() + signer.sign(settings[key]))
        content = Path(settings["PATH"])
        file_digests = {}
        known = FileDigests(
            cache_dir(settings) / "file-digests.json", digest_bytes, settings["INCREMENTAL_BUILD"]
        )
        root = os.path.abspath(content)
        for relative in _files_under(root):
            absolute = f"{root}/{relative}"
            file_digests[absolute] = digest = known.digest(absolute)
            h.update(relative.encode() + b"\0" + digest)
        known.save()
        self.file_digests = file_digests  # the post store keys posts by the same digests
        theme = Path(settings.get("THEME") or "")
        if theme.is_dir():
            other.update(files_digest([theme]).encode())
        other.update(code_digest().encode())
        other.update(repr(sorted(library_versions().items())).encode())
        snapshot = Path(str(settings.get("COUNTER_SNAPSHOT") or ""))
        if snapshot.is_file():
            stat = snapshot.stat()
            other.update(f"snapshot {stat.st_size} {stat.st_mtime_ns}".encode())
        other.update(_now(settings).date().isoformat().encode())
        self.other_inputs = other.hexdigest()
        h.update(other.digest())
        return h.hexdigest()

    def skip_unchanged_build(self, pelican) -> None:
        """Stop here, successfully, when nothing the build reads changed since the live output
        was built and no scheduled post has come due: the live output is already this build's."""
        settings = pelican.settings
        self.inputs = self.inputs_digest(settings)
        self.inputs_fresh = True
        if not settings["INCREMENTAL_BUILD"] or settings.get("PORTAL_LIVE_PREVIEW"):
            return  # the live preview builds in the process that serves: it never stops here
        output = Path(pelican.output_path)
        last = build_state.load(build_state.state_file(cache_dir(settings), output))
        if not last.inputs or not output.is_dir():
            return
        if last.next_due and _now(settings) >= dt.datetime.fromisoformat(last.next_due):
            return
        damaged = _damaged_pages(output, last)
        if last.inputs != self.inputs:
            if not damaged:  # perhaps only post bodies changed: tried once every plugin is ready
                self.patch_from = last
                signals.get_generators.connect(self.patch_if_bodies_only, weak=False)  # after all
            return
        if damaged:
            print(
                f"Không có nội dung nào thay đổi, nhưng {len(damaged)} trang trong {output} đã bị "
                f"sửa hoặc xoá (ví dụ {damaged[0]}): dựng lại các trang đó.",
                flush=True,
            )
            return
        print(
            f"Không có gì thay đổi kể từ lần dựng trước; {output} giữ nguyên "
            f"({len(last.pages)} trang). Dựng lại toàn bộ: invoke build --full.",
            flush=True,
        )
        unchanged.send(pelican, settings=settings)
        raise SystemExit(0)

    def patch_if_bodies_only(self, pelican) -> None:
        """The build starts (the staging folder ready, the registries read): if only post
        bodies changed, build by patching them into the site model and stop here."""
        last, self.patch_from = self.patch_from, None
        if last is not None and not try_patch(pelican, last, cache_dir(pelican.settings), self):
            raise SystemExit(0)  # published by patching post bodies into the site model

    def get_generators(self, pelican) -> None:
        """Every build after the first in one process (the live preview): its own inputs."""
        if not self.inputs_fresh:
            self.inputs = self.inputs_digest(pelican.settings)
        self.inputs_fresh = False

    def article_generator_pretaxonomy(self, generator) -> None:
        """The next scheduled post's time: the build after it must not be skipped."""
        times = [
            a.scheduled_at
            for a in [*generator.articles, *generator.drafts]
            if getattr(a, "scheduled_at", None)
        ]
        now = _now(generator.settings)
        future = sorted(t for t in times if t > now)
        self.next_due = future[0].isoformat() if future else ""

    def get_writer(self, pelican):
        self.session = Session(pelican.settings, pelican.output_path, self.store)
        # the last build's model saved before this one publishes (it lists the live files)
        site_model.wait_saved(
            site_model.model_file(cache_dir(pelican.settings), self.session.final_output)
        )
        IncrementalWriter.session = self.session
        return IncrementalWriter

    def use_post_store(self, generator) -> None:
        """Put the post store in front of the reads of the generators that cache (articles,
        pages)."""
        if not hasattr(generator, "cache_data"):
            return
        settings = generator.settings
        if self.store is None or self.store.settings is not settings:
            self.store = PostStore(
                cache_dir(settings) / "posts.sqlite3",
                settings,
                read_key(settings),
                dict(self.file_digests),
                trusted=settings["INCREMENTAL_BUILD"],
            )
        self.store.install(generator)

    def page_generator_finalized(self, generator) -> None:
        """After the pages (the last content read): kept even if the build stops later."""
        if self.store is not None:
            self.store.close()
            print(f"Mô hình trang: {self.store.summary()}.", flush=True)

    def published(self, sender, output_path: str, settings) -> None:
        if self.patched_state is not None:  # a patch build's record of the live output
            state, self.patched_state = self.patched_state, None
            build_state.save(build_state.state_file(cache_dir(settings), Path(output_path)), state)
            return
        session = self.session
        if session is None:
            return
        session.new.inputs = self.inputs
        session.new.next_due = self.next_due
        session.new.output = str(Path(output_path).resolve())
        build_state.save(session.state_path, session.new)
        build_state.prune(session.state_path.parent)
        self._save_model(session, output_path)
        prune_templates(cache_dir(settings) / "templates")
        print(f"Dựng tăng dần: {session.summary()}.", flush=True)
        if session.signer.opaque:
            logger.debug(
                "incremental: values without a stable digest: %s", sorted(session.signer.opaque)
            )
        self.session = None
        self.store = None
        IncrementalWriter.session = None
        pages.clear()

    def _save_model(self, session: Session, output_path: str) -> None:
        """The recipes of every page, for the next build that only patches post bodies:
        saved by a detached process once the site is published (``model.save_detached``)."""
        path = site_model.model_file(cache_dir(session.settings), Path(output_path))
        if session.settings.get("PORTAL_LIVE_PREVIEW"):
            # the live preview never patches (its first renders change live pages between
            # builds): no model to save, no copy of the output to make in the background
            site_model.forget(path)
            return
        recorder = session.recorder
        store = self.store
        early = pages.staged_files()  # what the staging folder held at pages_ready
        if store is None or early is None or set(recorder.recipes) != set(session.new.pages):
            site_model.forget(path)  # pages written outside the writer: no recipe for them
            return
        other_inputs, file_digests = self.other_inputs, dict(self.file_digests)

        def save() -> None:
            source_keys = {}
            for source, post in session.declarations.posts.items():
                known = store.key_of(post)
                if known is not None:
                    source_keys[source] = known[0]
            contexts = Counter(id(r.context) for r in recorder.recipes.values())
            most_used = contexts.most_common(1)[0][0] if contexts else None
            shared = next(
                (r.context for r in recorder.recipes.values() if id(r.context) == most_used), {}
            )
            early_tops = sorted({name.split("/", 1)[0] for name in early})
            late_files = sorted(build_guard.files_in(output_path) - early)
            saved = site_model.save(
                path,
                session.settings,
                recorder.recipes,
                {
                    "global_key": session.global_key,
                    "other_inputs": other_inputs,
                    "files": file_digests,
                    "source_keys": source_keys,
                    "context": shared,
                    # what before_publish's receivers wrote: a patch build has them write it
                    "late_files": late_files,
                    "early_tops": early_tops,
                    # the other files a patch build's staging folder holds (statics…)
                    "other_early_files": sorted(early - set(recorder.recipes)),
                },
                version_of=lambda post: hashlib.blake2b(
                    session.global_key.encode() + session.declarations.full(post),
                    digest_size=16,
                ).digest(),
                posts_of_build=store.known_posts(),
                reuse_rows=store.trusted,  # not by --full
            )
            if saved:  # the next build may patch: its staging folder, made in the background
                seed.start(output_path, early_tops, seed.late_folders(late_files, early_tops))

        site_model.save_detached(path, save)

    def finalized(self, pelican) -> None:
        """Pages queued for rendering on every core, and unchanged pages linked; before
        pelican-sitemap lists them and the checks read them."""
        writers, IncrementalWriter.instances = IncrementalWriter.instances, []
        for writer in writers:
            writer.flush()
        del writers
        # what rendering freed (every page's context) back to the system before the
        # checks, the search index and the model save grow the process again
        memory.release_freed()
        if self.session is not None:
            try:
                self.session.linker.wait()  # the staging folder complete before it is read
            except RuntimeError as error:
                fail(str(error))
            pages.publish(self.session.page_records())


register = Incremental.register
