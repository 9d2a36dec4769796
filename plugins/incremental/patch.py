"""A build that patches post bodies into the site model, without Pelican's generators.

When the only inputs that changed since the live output was built are the Markdown
files of some posts, and each changed only in its body (its front-matter as read is
the same, no plugin rewrites the body after reading, its links to other files are the
same), the site's structure did not change: no post moved, no list changed order, no
count changed. The build then

1. loads the site model the last full pass saved (``model``) and the bodies patched
   into it since;
2. reads the changed posts with the project's readers; a read that reports anything
   (a problem, a warning) is left to the full pass, which reports it as always;
3. links the live output into a staging folder (or takes the copy the last build made
   for it in the background, ``seed``), renders again the pages the model's
   reverse index names (each post's own page, the listings that show it, the pages
   that show every collection), and lets the plugins whose files depend on bodies
   bring them up to date (``portal_core.signals.posts_patched``);
4. publishes the staging folder like any build and records the new state.

Anything else (a new, deleted or moved post, a title, a date, a registry, a template,
a setting, a photo) runs the generators, and so does any doubt: ``try_patch`` returns
the reason and the build goes on the full way. ``invoke build --verify`` and
tests/incremental compare both ways byte for byte.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.log import LimitFilter

from plugins import build_guard
from plugins.build_guard import staging as build_staging
from plugins.portal_core import bodies, pages, problems
from plugins.portal_core.forkpool import processes
from plugins.portal_core.signals import posts_patched

from . import model as site_model
from . import seed
from . import state as build_state
from .posts import LogCapture, PostStore, read_post
from .session import make_signer
from .writer import _Job, local_context, render_jobs

logger = logging.getLogger(__name__)

#: plugins that are not the portal's own and whose files never depend on a post's body
#: (the portal's own plugins follow ``posts_patched``; any other plugin: the full pass)
BODY_INDEPENDENT_PLUGINS = frozenset({"pelican.plugins.sitemap"})
#: fields a body edit changes; any other difference is a change of place
_BODY_FIELDS = frozenset({"_content"})
_NOT_COMPARED = frozenset({"_context", "settings"})


@dataclass
class _Changed:
    source: str  # absolute path of the Markdown file
    post: Any  # the model's post: the object every recipe shares
    body: str  # ``_content`` as now read
    as_read: Any  # the post as now read
    source_key: str
    file_digest: bytes


class PatchBuild:
    """One build by patching; ``run`` returns why it cannot, or publishes and returns ""."""

    def __init__(self, pelican, last: build_state.BuildState, cache: Path, build) -> None:
        self.pelican = pelican
        self.settings = pelican.settings
        self.last = last
        self.cache = cache
        self.build = build  # the engine's ``_Build``: inputs, file digests
        # the live output (at this point Pelican's own is build_guard's staging folder)
        final = pelican.settings.get("PORTAL_FINAL_OUTPUT_PATH") or pelican.output_path
        self.output = Path(final).resolve()
        self.started = time.monotonic()
        self.model: site_model.LazyModel | None = None  # closed once the build is done
        #: the live late folders, linked (``seed.take_late``); removed once the build is done
        self.late_links: Path | None = None

    def run(self) -> str:
        plugins = [getattr(p, "__name__", str(p)) for p in self.settings.get("PLUGINS") or []]
        foreign = [p for p in plugins if not p.startswith("plugins.")]
        if set(foreign) - BODY_INDEPENDENT_PLUGINS:
            return "plugins the patch build does not know: " + ", ".join(foreign)
        model_path = site_model.model_file(self.cache, self.output)
        model = self.model = site_model.load(model_path, self.settings)
        if model is None:
            return "no site model, or one that cannot be read"
        if (
            model.global_key != self.last.global_key
            or model.other_inputs != self.build.other_inputs
        ):
            return "settings, theme, code, libraries, snapshot or date changed"
        if set(model.page_names) != set(self.last.pages):
            return "the model does not describe the live output"
        missing = [n for n in model.other_early_files or () if not os.path.lexists(self.output / n)]
        if missing:  # (the pages were checked before) a file deleted by hand: made again
            return f"not in the live output: {missing[0]}"
        patches = site_model.load_patches(site_model.patches_file(self.cache, self.output))
        # what the live output was built from: the model's files and the patches since
        files = dict(model.files)
        current = self.build.file_digests
        for source, patch in patches.items():
            files[source] = patch.file_digest
        changed = sorted(p for p in set(files) | set(current) if files.get(p) != current.get(p))
        if not changed:
            return "no content file changed"
        for source in changed:
            if source not in files or source not in current:
                return f"added or deleted: {source}"
        # known now to be a patch build or close to one: the model's posts (unpickled
        # once asked for, 0.7 s at 10,000 posts) get the bodies patched in since
        for source, patch in patches.items():
            if current.get(source) == patch.file_digest:  # (a post changed again: read below)
                post = model.post(source)
                if post is not None:
                    post._content = patch.content
                    model.source_keys[source] = patch.source_key
        for source in changed:
            post = model.post(source)
            if not isinstance(post, Article) or source not in model.source_keys:
                return f"not a post every build shows: {source}"
        staging = Path(self.pelican.output_path)  # build_guard's, empty
        generator = ArticlesGenerator(
            context=model.context,
            settings=self.settings,
            path=self.pelican.path,
            theme=self.pelican.theme,
            output_path=str(staging),
        )
        found = []
        for source in changed:
            result = self._read(generator, model, source)
            if isinstance(result, str):
                return result
            found.append(result)
        late = set(model.late_files)
        ready = seed.take(self.output)  # the live output, linked after it was published
        if ready is not None:
            staging.rmdir()  # build_guard's, empty
            ready.rename(staging)
            self.late_links = seed.take_late(staging)
        else:
            linking = self._link_live(staging, set(model.early_tops))
            _, error = linking.communicate()  # (cp -al: one process, kernel time)
            if linking.returncode != 0:
                message = error.decode(errors="replace")[:200]
                return "the live output could not be linked: " + message
        for name in late:  # what before_publish writes, it writes again below
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                os.unlink(staging / name)
        for item in found:
            item.post._content = item.body
        names = model.pages_showing({item.source for item in found})
        digests = self._render(generator, model, names, staging)
        records = {name: page.digest for name, page in self.last.pages.items()}
        records.update(digests)
        pages.publish(
            pages.PageRecords(
                digests=records,
                rendered=frozenset(digests),
                previous={name: page.digest for name, page in self.last.pages.items()},
                late_links=str(self.late_links) if self.late_links else None,
            )
        )
        answers = posts_patched.send(
            self.pelican,
            output_path=str(staging),
            settings=self.settings,
            context=model.context,
            posts=[item.post for item in found],
            pages=sorted(digests),
            post_of=model.post,
        )
        refused = [receiver.__module__ for receiver, answer in answers if answer is False]
        if refused:
            pages.clear()
            return "the full pass is needed by " + ", ".join(refused)
        # saved by the engine once published (``save_state``)
        self.build.patched_state = self._new_state(staging, digests)
        # then as any build ends: the checks, the search index and the files the plugins
        # write last, into the staging folder; the swap; ``published``
        build_guard.finish_build(self.pelican, self._staged_files(model))
        # for the next build, in the background
        seed.start(
            self.output, model.early_tops, seed.late_folders(model.late_files, model.early_tops)
        )
        self._keep(found, patches, generator)
        pages.clear()
        print(
            f"Dựng nhanh: chỉ nội dung của {len(found)} bài thay đổi; {len(digests)} trang "
            f"dựng lại, {len(self.last.pages) - len(digests)} trang giữ nguyên "
            f"({time.monotonic() - self.started:.1f} giây). Dựng đầy đủ: invoke build --full.",
            flush=True,
        )
        return ""

    def _read(self, generator, model: site_model.LazyModel, source: str) -> _Changed | str:
        """The post read again, if only its body changed; else why not."""
        relative = os.path.relpath(source, generator.path)
        capture = LogCapture()
        root = logging.getLogger()
        quiet = list(root.handlers)
        for handler in quiet:  # a read that reports anything is read again by the full pass
            root.removeHandler(handler)
        root.addHandler(capture)
        seen = len(problems.current().problems)
        # Pelican logs a message once per process: what this read logs, the full pass
        # that reads the post again must still be able to log
        raised = set(LimitFilter._raised_messages)
        counts = dict(LimitFilter._group_count)
        try:
            post = read_post(generator, relative)
        except Exception as exc:
            return f"{relative}: {exc}"
        finally:
            root.removeHandler(capture)
            for handler in quiet:
                root.addHandler(handler)
            LimitFilter._raised_messages.clear()
            LimitFilter._raised_messages.update(raised)
            LimitFilter._group_count.clear()
            LimitFilter._group_count.update(counts)
        if capture.lines or len(problems.current().problems) != seen:
            del problems.current().problems[seen:]
            return f"{relative}: reading reported something"
        if not isinstance(post, Article) or not post.is_valid():
            return f"{relative}: not a valid post"
        store = self._store(generator)
        store.eager = False  # one post or a few: each asked for by its key
        stored = store._open(generator.context).get(model.source_keys[source])
        if stored is None:
            return f"{relative}: its last reading is not in the post store"
        before = stored[0]
        shown = model.post(source)
        if getattr(shown, "_content", None) != getattr(before, "_content", None):
            return f"{relative}: a plugin changed its body after reading"
        signer = make_signer()
        for name in (set(vars(post)) | set(vars(before))) - _BODY_FIELDS - _NOT_COMPARED:
            if signer.sign(getattr(post, name, None)) != signer.sign(getattr(before, name, None)):
                return f"{relative}: {name} changed"
        body = post._content or ""
        rewriters = bodies.rewritten_by(body)
        if rewriters:
            return f"{relative}: its body is rewritten by {', '.join(rewriters)}"
        readers = bodies.read_differently(before._content or "", body)
        if readers:
            return f"{relative}: what {', '.join(readers)} reads in its body changed"
        if _links(post, body) != _links(post, before._content or ""):
            return f"{relative}: its links to other files changed"
        key = store.source_key(generator, relative)
        return _Changed(
            source, shown, body, post, key or "", self.build.file_digests.get(source, b"")
        )

    def _link_live(self, staging: Path, early_tops: set[str]) -> subprocess.Popen:
        """Hard-link the live output into the staging folder (one ``cp -al``, on another
        core while this process reads), leaving out the top-level entries that only
        ``before_publish`` writes (the search index, /admin/): they are made again."""
        entries = [
            str(self.output / entry) for entry in os.listdir(self.output) if entry in early_tops
        ]
        return subprocess.Popen(
            ["cp", "-al", "--", *sorted(entries), str(staging)],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def _store(self, generator) -> PostStore:
        store = getattr(generator, "_portal_store", None)
        if store is None:
            raise RuntimeError("the post store is not installed")
        return store

    def _render(self, generator, model, names: list[str], staging: Path) -> dict[str, str]:
        jobs = []
        for name in names:
            recipe = model.recipe(name)
            path = str(staging / name)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # a link to the live file: never written through
            template = generator.env.get_template(recipe.template)
            context = local_context(recipe.context, name, recipe.page, recipe.relative_urls)
            jobs.append(_Job(template, context, name, path, None))
        workers = processes(self.settings.get("INCREMENTAL_RENDER_WORKERS"))
        digests = render_jobs(jobs, workers)
        return {job.name: digest for job, digest in zip(jobs, digests, strict=True)}

    def _new_state(self, staging: Path, digests: dict[str, str]) -> build_state.BuildState:
        """The last build's record with the pages rendered here (their files keep their
        inode and times through the swap)."""
        new = build_state.BuildState(
            self.last.global_key,
            self.last.parts,
            dict(self.last.pages),
            self.build.inputs,
            self.last.next_due,
            str(self.output),
        )
        for name, digest in digests.items():
            stat = os.stat(staging / name)
            # never a key of the full pass: the next full pass renders these pages again
            new.pages[name] = build_state.Written("patched", stat.st_size, stat.st_mtime_ns, digest)
        return new

    def _staged_files(self, model: site_model.LazyModel) -> frozenset[str] | None:
        """The staging folder's files, as the last full pass listed them (the live
        output's were checked above), or None: the build guard lists them."""
        if model.other_early_files is None:
            return None
        return frozenset(model.page_names).union(model.other_early_files)

    def _keep(self, found: list[_Changed], patches: dict, generator) -> None:
        """The patches beside the model, and each post as read in the post store."""
        for item in found:
            patches[item.source] = site_model.Patch(item.body, item.file_digest, item.source_key)
        site_model.save_patches(site_model.patches_file(self.cache, self.output), patches)
        store = self._store(generator)
        memo = store._open(generator.context)
        for item in found:
            if item.source_key:
                memo.put(item.source_key, (item.as_read, [], []))
        store.close()


def _links(post, body: str) -> list[tuple[str, str]]:
    """The post's links to other files of the site ({filename}, {static}…), in order."""
    return [
        (m.group("what"), m.group("value")) for m in post._get_intrasite_link_regex().finditer(body)
    ]


def try_patch(pelican, last: build_state.BuildState, cache: Path, build) -> str:
    """Build by patching if this change allows it: "" when published, else the reason
    (nothing was published and the full pass runs)."""
    patch = PatchBuild(pelican, last, cache, build)
    try:
        reason = patch.run()
    except SystemExit:
        raise
    except Exception as exc:  # a fault of this path must not stop publishing: the full pass
        logger.warning(
            "Không dựng nhanh được (%s: %s); dựng toàn bộ thay thế.", type(exc).__name__, exc
        )
        pages.clear()
        reason = f"{type(exc).__name__}: {exc}"
    finally:
        if patch.model is not None:
            patch.model.close()
        if patch.late_links is not None and patch.late_links.exists():
            build_staging.remove_in_background(patch.late_links, patch.output)
    if reason:
        logger.debug("incremental: a full pass, not a patch: %s", reason)
        if build.store is not None:  # opened for a few posts: the full pass opens its own
            build.store.close()
            build.store = None
        staging = Path(pelican.output_path)
        if staging != patch.output:  # what was begun in it: dropped; the full pass's, empty
            if staging.is_dir():
                build_staging.discard(staging)
            staging.mkdir(parents=True, exist_ok=True)  # (gone if taking the seed failed)
    return reason
