"""Stops a build that would publish something broken, before it publishes anything.

* collects every content problem (from all plugins) and reports them together;
* fails the build on any logged error, including a plugin that did not load
  (Pelican itself only logs that and carries on);
* finds output files that two writers would both write, before writing;
* builds into a staging folder and swaps it in only when all went well.

It must be the first entry of PLUGINS: it counts errors from the moment it is
imported. Its ``finalized`` receiver is connected last (at ``initialized``), so other
plugins' ``finalized`` work and the ``before_publish`` receivers all see the staging
folder before it is swapped in. A one-shot build run as Pelican's command line ends its
process as soon as it has published (``quick_exit``). Settings: none.
"""

from __future__ import annotations

import atexit
import logging
import sys
import time
from pathlib import Path

from pelican import signals

from plugins.portal_core import failure, memory, pages, problems
from plugins.portal_core.failure import fail
from plugins.portal_core.files import relative_files
from plugins.portal_core.settings import Plugin
from plugins.portal_core.signals import before_publish, pages_ready, plan_outputs, published

from . import quick_exit, staging
from .planning import find_collisions, pelican_outputs

logger = logging.getLogger(__name__)


class _LogCounter(logging.Handler):
    """Counts errors and warnings logged by anyone during the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage().splitlines()[0])
        elif record.levelno >= logging.WARNING:
            self.warnings += 1


class BuildGuard(Plugin):
    """The guard of one build: its staging folder, its log counter, its publish step."""

    def __init__(self) -> None:
        self.counter = _LogCounter()
        logging.getLogger().addHandler(self.counter)
        self.final_output: str | None = None
        self.staging_path = None
        self.started = time.monotonic()
        self.started_work: list = []  # what ``pages_ready`` receivers started
        failure.on_stop(self.discard_staging)
        atexit.register(self.discard_staging)

    def discard_staging(self) -> None:
        while self.started_work:
            self.started_work.pop().abandon()
        if self.staging_path is not None:
            staging.discard(self.staging_path)
            self.staging_path = None

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        # Connected now, after every plugin's register(): receivers run in connection order
        # (Pelican makes blinker keep it), so every other plugin's ``finalized`` work
        # (pelican-sitemap, for one) lands in the staging folder before the swap.
        signals.finalized.connect(self.finish_build, weak=False)
        main = getattr(sys.modules.get("__main__"), "__spec__", None)
        if quick_exit.one_shot_command_line(sys.argv, getattr(main, "name", None)):
            pelican.run = quick_exit.exiting_when_done(pelican.run)
            memory.freeze_survivors()  # its data lives until it ends (portal_core.memory)
        if self.counter.errors:
            fail(
                "Bản dựng dừng lại: có plugin không tải được (xem lỗi ở trên). "
                "Kiểm tra PLUGINS trong pelicanconf.py và chạy lại lệnh cài đặt.",
            )

    def get_generators(self, pelican) -> None:
        problems.reset()
        pages.publish_files(None)
        self.counter.errors.clear()
        self.counter.warnings = 0
        self.started = time.monotonic()
        self.final_output = pelican.settings.get("PORTAL_FINAL_OUTPUT_PATH") or pelican.output_path
        pelican.settings["PORTAL_FINAL_OUTPUT_PATH"] = self.final_output
        self.staging_path = staging.prepare(self.final_output)
        pelican.output_path = str(self.staging_path)
        pelican.settings["OUTPUT_PATH"] = str(self.staging_path)

    def all_generators_finalized(self, generators) -> None:
        """Stop before writing when two writers would write one file."""
        settings = generators[0].settings
        log = problems.current()
        outputs = pelican_outputs(generators, settings)
        for _receiver, planned in plan_outputs.send(None, generators=generators, settings=settings):
            outputs += planned or []
        for path, claimants in sorted(find_collisions(outputs).items()):
            posts = [
                c.split(" ", 1)[1] for c in claimants if c.startswith(("bài ", "trang content"))
            ]
            if posts:
                hint = (
                    "đặt Slug: khác cho một trong các bài/trang trên (ví dụ thêm năm hoặc tháng "
                    "vào cuối), hoặc đổi tiêu đề"
                )
            else:
                hint = (
                    "đổi tên một trong các tệp trên, hoặc đổi cài đặt địa chỉ (…_SAVE_AS) bị trùng"
                )
            log.error(
                posts[0] if posts else "content",
                f'"{path}" sẽ bị ghi hai lần, bởi: {"; ".join(claimants)}',
                hint=hint,
            )
        self.stop_on_errors("trước khi ghi")

    def stop_on_errors(self, stage: str) -> None:
        log = problems.current()
        errors = log.errors
        if not errors and not self.counter.errors:
            return
        files = {p.path for p in errors}
        details = [p.format() for p in log.sorted() if p.severity == problems.ERROR]
        details += [f"Lỗi khi dựng trang: {message}" for message in self.counter.errors]
        count = len(errors) + len(self.counter.errors)
        fail(
            f"Bản dựng dừng lại {stage}: {count} lỗi"
            + (f" trong {len(files)} tệp" if files else "")
            + ". Chưa có gì được xuất bản; trang web hiện tại giữ nguyên. "
            "Sửa các lỗi trên rồi chạy lại.",
            details,
        )

    def finish_build(self, pelican, staged: frozenset[str] | None = None) -> None:
        """Check, send ``pages_ready`` and ``before_publish``, finish what ``pages_ready``
        started, swap the staging folder in, send ``published``.

        The staging folder's files are listed first (``portal_core.pages.staged_files``,
        read by search, the checks and the site model), unless the caller knows them
        (``staged``: a patch build, whose files are the last full pass's)."""
        self.stop_on_errors("khi ghi trang")
        if staged is None:
            staged = frozenset(files_in(self.staging_path))
        pages.publish_files(staged)
        where = {"output_path": str(self.staging_path), "settings": pelican.settings}
        self.started_work = [work for _, work in pages_ready.send(pelican, **where) if work]
        before_publish.send(pelican, **where)
        while self.started_work:  # in the order started
            self.started_work[0].finish()
            self.started_work.pop(0)
        self.stop_on_errors("khi kiểm tra trang đã dựng")
        retention = pelican.settings.get("OUTPUT_RETENTION", [])
        staging.publish(self.staging_path, self.final_output, retention)
        self.staging_path = None
        pelican.output_path = self.final_output
        pelican.settings["OUTPUT_PATH"] = self.final_output
        published.send(pelican, output_path=self.final_output, settings=pelican.settings)
        logger.info(
            "Xuất bản xong vào %s: %d cảnh báo, %.1f giây.",
            self.final_output,
            self.counter.warnings,
            time.monotonic() - self.started,
        )


_guard = BuildGuard.instance()  # counts errors from the moment the module is imported


def files_in(folder: str | Path) -> set[str]:
    """Every file under ``folder``, as ``/``-separated paths relative to it."""
    return set(relative_files(folder))


def finish_build(pelican, staged: frozenset[str] | None = None) -> None:
    """The end of a build (plugins/incremental's patch build ends the same way)."""
    _guard.finish_build(pelican, staged)


register = BuildGuard.register
