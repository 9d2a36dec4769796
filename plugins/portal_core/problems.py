"""Content problems collected during a build and reported all at once.

Editors fix a batch of mistakes in one go only if the build tells them about every
mistake in every file, so readers and validators record problems here instead of
raising, and the build guard stops the build once everything has been read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, in words an editor understands."""

    path: str
    message: str
    hint: str = ""
    field: str = ""
    line: int | None = None
    severity: str = ERROR

    def location(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
        return where

    def format(self) -> str:
        parts = [self.location()]
        if self.field:
            parts.append(f"[{self.field}]")
        text = " ".join(parts) + f": {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


@dataclass
class ProblemLog:
    """Thread-safe list of problems for one build."""

    problems: list[Problem] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, problem: Problem) -> None:
        with self._lock:
            if problem not in self.problems:
                self.problems.append(problem)

    def error(self, path: str | Path, message: str, **kwargs) -> None:
        self.add(Problem(str(path), message, severity=ERROR, **kwargs))

    def warning(self, path: str | Path, message: str, **kwargs) -> None:
        self.add(Problem(str(path), message, severity=WARNING, **kwargs))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.path, p.line or 0, p.field))


_current = ProblemLog()


def current() -> ProblemLog:
    """The problem log of the build in progress."""
    return _current


def reset() -> ProblemLog:
    """Start a new build with an empty log."""
    global _current
    _current = ProblemLog()
    return _current
