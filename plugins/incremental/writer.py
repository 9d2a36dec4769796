"""Pelican's writer, made to skip pages whose declared inputs did not change and to
paginate stably.

``write_file`` follows Pelican 4.12's ``Writer.write_file`` step for step (same
signals, same overwrite rules); the differences are the paginator (``paging``) and,
before rendering a page, the question "did anything this page declares it shows
change?" (``declared``). When its key is last build's, the previous file is hard-linked
into the staging folder instead of being rendered again; the pages to render are
rendered at ``finalized`` by one forked process per core.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import ClassVar

from pelican import signals
from pelican.utils import path_to_url, sanitised_join
from pelican.writers import Writer

from plugins.portal_core.forkpool import ForkPool, processes

from . import paging
from .posts import LogCapture
from .signature import digest_bytes

logger = logging.getLogger(__name__)

_MISSING = object()


class IncrementalWriter(Writer):
    session = None  # the build's ``Session`` (set by the plugin), or None: plain Pelican
    instances: ClassVar[list[IncrementalWriter]] = []  # flushed at ``finalized`` (plugin)

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.workers = processes(self.settings.get("INCREMENTAL_RENDER_WORKERS"))
        self._jobs: list[_Job] = []  # pages to render at ``flush``
        IncrementalWriter.instances.append(self)

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if name is False or name == "" or not name:
            return

        def localcontext_for(page_name, page_kwargs):
            return local_context(context, page_name, page_kwargs, relative_urls)

        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}

        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name]
                or self.settings["DEFAULT_PAGINATION"]
            )
            listings = {
                key: paging.paginate(
                    name, url, values, per_page, self.settings["PAGINATION_PATTERNS"]
                )
                for key, values in paginated.items()
            }
            page_count = len(next(iter(listings.values()))[1])
            for index in range(page_count):
                page_kwargs = kwargs.copy()
                for key, (paginator, pages) in listings.items():
                    page = pages[index]
                    page_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": pages[index - 1] if index > 0 else None,
                            f"{key}_next_page": pages[index + 1]
                            if index + 1 < page_count
                            else None,
                        }
                    )
                page_name = page.save_as
                self._emit(
                    template,
                    context,
                    page_kwargs,
                    lambda n=page_name, k=page_kwargs: localcontext_for(n, k),
                    page_name,
                    override_output,
                    relative_urls,
                )
        else:
            self._emit(
                template,
                context,
                kwargs,
                lambda: localcontext_for(name, kwargs),
                name,
                override_output,
                relative_urls,
            )

    def _emit(self, template, context, page, make_localcontext, name, override, relative):
        """Render and write one page, or link last build's file when nothing it declares
        changed (``page``: what this page is given on top of the shared context)."""
        path = sanitised_join(self.output_path, name)
        session = self.session
        fresh = path not in self._written_files and path not in self._overridden_files
        key = None
        if session is not None and fresh:
            key = session.page_key(template, context, page, relative)
            session.note_recipe(name, template, context, page, relative)
            if session.reuse(name, key, path):
                self._open_w_check(path, override)
                logger.debug('Unchanged, linked "%s"', path)
                signals.content_written.send(path, context=page)
                return
        localcontext = make_localcontext()
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        if override and not fresh and session is not None:
            # written a second time (override_output): never through a link to the live file
            session.linker.wait()
            _unshare(path)
        self._open_w_check(path, override)
        self._jobs.append(_Job(template, localcontext, name, path, key))
        if self.workers <= 1 or (override and not fresh):
            self._flush_one(self._jobs.pop())

    def _open_w_check(self, path: str, override: bool) -> None:
        """Pelican's rules for a file written twice, applied before the deferred write."""
        if path in self._overridden_files:
            if override:
                raise RuntimeError(f'Failed to overwrite "{path}" a second time')
            raise RuntimeError(f'"{path}" was written by an earlier writer with override')
        if path in self._written_files and not override:
            raise RuntimeError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously'
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)

    def _flush_one(self, job: _Job) -> None:
        digest = _render_to_file(job.template, job.localcontext, job.path)
        self._written(job, digest)

    def _written(self, job: _Job, digest: str) -> None:
        logger.info('Writing "%s"', job.path)
        if self.session is not None and job.key is not None:
            self.session.record(job.name, job.key, job.path, digest)
        signals.content_written.send(job.path, context=job.localcontext)

    def flush(self) -> None:
        """Render the deferred pages: the work split over forked processes, one per core,
        which share the whole site in memory."""
        jobs, self._jobs = self._jobs, []
        for job, digest in zip(jobs, render_jobs(jobs, self.workers), strict=True):
            self._written(job, digest)


def local_context(context: dict, name: str, page: dict, relative_urls: bool) -> dict:
    """What a page's template is rendered with (as Pelican 4.12's writer makes it)."""
    localcontext = context.copy()
    localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
    if relative_urls:
        relative_url = path_to_url(_relative_path(name))
        localcontext["SITEURL"] = relative_url
        localcontext["localsiteurl"] = relative_url
    localcontext["output_file"] = name
    localcontext.update(page)
    return localcontext


@dataclass
class _Job:
    template: object
    localcontext: dict
    name: str
    path: str
    key: str | None  # the page's declared key (None: not recorded)


def render_jobs(jobs: list[_Job], workers: int) -> list[str]:
    """Render every job and return each file's digest: in forked processes (up to
    ``workers``) when there are enough pages to share, else here."""
    workers = min(workers, max(1, len(jobs) // 20))
    if workers <= 1:
        return [_render_to_file(job.template, job.localcontext, job.path) for job in jobs]
    return _render_in_workers(jobs, workers)


def _render_to_file(template, localcontext, path: str) -> str:
    """Render, write, and return the digest of the bytes written (which tells a file
    restored with another time from an edited one)."""
    output = template.render(localcontext)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(output)
    return digest_bytes(output.encode("utf-8")).hex()


def _render_in_workers(jobs: list[_Job], workers: int) -> list[str]:
    """Render every job and return each file's digest: ``workers - 1`` forked processes
    (sharing the site in memory) take their shares while this one renders its own. What a
    process logged is logged again here (warnings and errors count in this build's
    totals); a share whose process failed is rendered here, where its error shows."""
    parent = os.getpid()

    def work(index: int) -> tuple[str, list[tuple[str, int, str]]]:
        root = logging.getLogger()
        if os.getpid() != parent and not getattr(root, "_portal_child", False):
            for handler in list(root.handlers):  # the parent logs it, once
                root.removeHandler(handler)
            root._portal_child = True
        capture = LogCapture()
        root.addHandler(capture)
        try:
            job = jobs[index]
            return _render_to_file(job.template, job.localcontext, job.path), capture.lines
        finally:
            root.removeHandler(capture)

    others = [i for i in range(len(jobs)) if i % workers]
    pool = ForkPool(work, others, workers - 1)
    digests: dict[int, str] = {}
    for index in range(0, len(jobs), workers):
        job = jobs[index]
        digests[index] = _render_to_file(job.template, job.localcontext, job.path)
    done, _failures = pool.results()
    for index in others:
        if index in done:
            digest, lines = done[index]
            for name, level, text in lines:
                logging.getLogger(name).log(level, "%s", text)
        else:
            job = jobs[index]
            digest = _render_to_file(job.template, job.localcontext, job.path)
        digests[index] = digest
    return [digests[i] for i in range(len(jobs))]


def _unshare(path: str) -> None:
    try:
        if os.stat(path).st_nlink > 1:
            os.unlink(path)
    except FileNotFoundError:
        pass


def _relative_path(name: str) -> str:
    from pelican.utils import get_relative_path

    return get_relative_path(name)
