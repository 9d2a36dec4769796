"""Pelican's writer, made to skip pages whose inputs did not change and to paginate stably.

``write_file`` follows Pelican 4.12's ``Writer.write_file`` step for step (same
signals, same overwrite rules); the differences are the paginator (``paging``) and,
before rendering a page, the question "did anything this page read last time
change?". The names a page read are recorded while it renders (``TrackingContext``);
when their values have the same digests as last time, the previous file is hard-linked
into the staging folder instead of being rendered again.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
from dataclasses import dataclass
from typing import ClassVar

from jinja2.runtime import Context
from pelican import signals
from pelican.utils import path_to_url, sanitised_join
from pelican.writers import Writer

from plugins.portal_core.forkpool import ForkPool, processes

from . import paging
from .signature import digest_bytes

logger = logging.getLogger(__name__)

_MISSING = object()


class TrackingContext(Context):
    """A Jinja context that notes every name a template looks up in it."""

    recorder: set[str] | None = None  # set by the writer around one render

    def resolve_or_missing(self, key: str):
        recorder = TrackingContext.recorder
        if recorder is not None:
            recorder.add(key)
        return super().resolve_or_missing(key)


class IncrementalWriter(Writer):
    session = None  # the build's ``Session`` (set by the plugin), or None: plain Pelican
    instances: ClassVar[list[IncrementalWriter]] = []  # flushed at ``finalized`` (plugin)

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.workers = processes(self.settings.get("INCREMENTAL_RENDER_WORKERS"))
        self._jobs: list[_Job] = []  # pages to render at ``flush`` when workers > 1
        # pages to link or render, decided once their keys are computed on every core
        self._pending: list[_Job] = []
        self._pending_paths: set[str] = set()
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
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(_relative_path(page_name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = page_name
            localcontext.update(page_kwargs)
            return localcontext

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
                    localcontext_for(page_name, page_kwargs),
                    page_name,
                    override_output,
                )
        else:
            self._emit(template, context, localcontext_for(name, kwargs), name, override_output)

    def _emit(self, template, context, localcontext, name, override) -> None:
        """Render and write one page, or link last build's file when nothing it read changed."""
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        session = self.session
        if path in self._pending_paths:
            self._decide()  # written again (override): the first write's fate first, in order
        fresh = path not in self._written_files and path not in self._overridden_files
        if session is not None and fresh and self.workers > 1:
            # linked or rendered later: the keys of every page computed on every core
            self._open_w_check(path, override)
            self._pending.append(_Job(template, localcontext, name, path))
            self._pending_paths.add(path)
            return
        if session is not None and fresh and session.reuse(name, template, localcontext, path):
            if override:
                self._overridden_files.add(path)
            self._written_files.add(path)
            logger.debug('Unchanged, linked "%s"', path)
            signals.content_written.send(path, context=localcontext)
            return

        if override and not fresh and session is not None:
            # written a second time (override_output): never through a link to the live file
            session.linker.wait()
            _unshare(path)
        _track(template)
        if self.workers > 1:
            # rendered later, all at once, on every core (``flush``)
            self._open_w_check(path, override)
            self._jobs.append(_Job(template, localcontext, name, path))
            return
        recorded, digest = _render_to_file(
            template,
            localcontext,
            path,
            open_file=lambda: self._open_w(path, "utf-8", override=override),
        )
        logger.info('Writing "%s"', path)
        if session is not None:
            session.record(name, template, localcontext, recorded, path, digest=digest)
        signals.content_written.send(path, context=localcontext)

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

    def _decide(self) -> None:
        """Link the pending pages whose inputs did not change; queue the others to render."""
        jobs, self._pending = self._pending, []
        self._pending_paths.clear()
        if not jobs:
            return
        session = self.session
        keys = _keys_in_workers(session, jobs, self.workers)
        for job, key in zip(jobs, keys, strict=True):
            if session.reuse(job.name, job.template, job.localcontext, job.path, key=key):
                logger.debug('Unchanged, linked "%s"', job.path)
                signals.content_written.send(job.path, context=job.localcontext)
            else:
                _track(job.template)
                self._jobs.append(job)

    def flush(self) -> None:
        """Render the deferred pages: the work split over forked processes, one per core,
        which share the whole site in memory; what each page read (and its key) comes
        back to this one."""
        self._decide()
        jobs, self._jobs = self._jobs, []
        if not jobs:
            return
        workers = min(self.workers, max(1, len(jobs) // 20))
        session = self.session
        explain = session is not None and session.explain is not None
        results = _render_in_workers(jobs, workers, session) if workers > 1 else None
        for index, job in enumerate(jobs):
            key = None
            if results is None:
                names, digest = _render_to_file(job.template, job.localcontext, job.path)
            else:
                names, key, digest = results[index]
            logger.info('Writing "%s"', job.path)
            if session is not None:
                session.record(
                    job.name,
                    job.template,
                    job.localcontext,
                    names,
                    job.path,
                    key=None if explain else key,
                    digest=digest,
                )
            signals.content_written.send(job.path, context=job.localcontext)


@dataclass
class _Job:
    template: object
    localcontext: dict
    name: str
    path: str


def _render_to_file(template, localcontext, path: str, open_file=None) -> tuple[set[str], str]:
    """Render, write, and return the context names the templates read and the digest of
    the bytes written (which tells a file restored with another time from an edited one)."""
    recorded: set[str] = set()
    TrackingContext.recorder = recorded
    try:
        output = template.render(localcontext)
    finally:
        TrackingContext.recorder = None
    os.makedirs(os.path.dirname(path), exist_ok=True)
    opener = open_file or (lambda: open(path, "w", encoding="utf-8"))  # noqa: SIM115
    with opener() as handle:
        handle.write(output)
    return recorded, digest_bytes(output.encode("utf-8")).hex()


class LogCapture(logging.Handler):
    """Warnings and errors logged while reading or rendering, to replay in the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, record.levelno, record.getMessage()))


def _render_in_workers(
    jobs: list[_Job], workers: int, session=None
) -> list[tuple[set[str], str | None, str]]:
    """Fork ``workers`` processes; each renders every ``workers``-th job and sends back the
    names each page read, the page's key over them (with a ``session``) and what it
    logged (warnings count in the parent's totals)."""
    children = []
    for worker in range(workers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render, report, leave without running any exit handler
            os.close(read_end)
            gc.freeze()  # the inherited heap is never scanned (no copy-on-write)
            status = 0
            root = logging.getLogger()
            capture = LogCapture()
            for handler in list(root.handlers):
                root.removeHandler(handler)
            root.addHandler(capture)
            report: dict = {"names": {}, "keys": {}, "digests": {}, "error": None}
            try:
                for index in range(worker, len(jobs), workers):
                    job = jobs[index]
                    names, digest = _render_to_file(job.template, job.localcontext, job.path)
                    names = tuple(sorted(names))
                    report["names"][index] = names
                    report["digests"][index] = digest
                    if session is not None:
                        report["keys"][index] = session.page_key(
                            job.template, job.localcontext, names
                        )
            except BaseException as exc:  # reported by the parent, with the page's name
                report["error"] = f"{jobs[index].name}: {type(exc).__name__}: {exc}"
                status = 1
            report["log"] = capture.lines
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(report, pipe)
            os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    results: list[tuple[set[str], str | None, str] | None] = [None] * len(jobs)
    errors = []
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            try:
                report = pickle.load(pipe)
            except EOFError:
                report = {
                    "names": {},
                    "error": "a render process ended without a report",
                    "log": [],
                }
        os.waitpid(pid, 0)
        for name, level, text in report["log"]:
            logging.getLogger(name).log(level, "%s", text)
        if report["error"]:
            errors.append(report["error"])
        keys = report.get("keys", {})
        for index, names in report["names"].items():
            results[index] = (set(names), keys.get(index), report["digests"][index])
    if errors:
        raise RuntimeError("; ".join(errors))
    return results


def _unshare(path: str) -> None:
    try:
        if os.stat(path).st_nlink > 1:
            os.unlink(path)
    except FileNotFoundError:
        pass


def _keys_in_workers(session, jobs: list[_Job], workers: int) -> list[str | None]:
    """Each job's ``Session.key_for``; with ``workers`` > 1 (and enough jobs) forked
    processes compute a share each while this one computes its own (and any share whose
    process failed: the keys are the same wherever they are computed)."""

    def key(index: int) -> str | None:
        job = jobs[index]
        return session.key_for(job.name, job.template, job.localcontext)

    count = min(workers, max(1, len(jobs) // 200))
    if count <= 1:
        return [key(i) for i in range(len(jobs))]
    others = [i for i in range(len(jobs)) if i % count]
    pool = ForkPool(key, others, count - 1)
    keys: list[str | None] = [None] * len(jobs)
    for index in range(0, len(jobs), count):
        keys[index] = key(index)
    done, _failures = pool.results()
    for index in others:
        keys[index] = done[index] if index in done else key(index)
    return keys


def _track(template) -> None:
    environment = template.environment
    if environment.context_class is not TrackingContext:
        if environment.context_class is not Context:
            raise RuntimeError(
                "plugins.incremental: the Jinja environment already has its own context "
                f"class ({environment.context_class!r}); the two cannot be combined."
            )
        environment.context_class = TrackingContext


def _relative_path(name: str) -> str:
    from pelican.utils import get_relative_path

    return get_relative_path(name)
