"""One entry point for the three importers (tasks.py only parses options and prints)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .importer import ImportOptions, Report, run
from .model import ImportStop, SourceData
from .report import save


@dataclass
class Outcome:
    report: Report | None
    error: ImportStop | None = None
    report_files: tuple[Path, Path] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.report is not None and not self.report.stopped


def load_settings(settings_file: Path, content: Path) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override={"PATH": str(content)})


def import_source(read, options: ImportOptions) -> Outcome:
    """``read()`` returns the SourceData; any ImportStop (bad input) becomes the outcome."""
    try:
        data: SourceData = read()
        report = run(data, options)
    except ImportStop as exc:
        return Outcome(None, exc)
    if options.dry_run:  # a dry run writes nothing, not even its report
        return Outcome(report, None, None)
    return Outcome(report, None, save(report, options.report_dir))
