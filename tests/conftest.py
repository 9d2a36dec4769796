"""Shared fixtures: real Pelican builds of the sample site and of tiny sites in tmp folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def page(self, relative: str) -> str:
        path = self.output / relative
        if path.is_dir() or relative.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def run_pelican(
    content: Path, output: Path, settings_file: Path | str = ROOT / "pelicanconf.py"
) -> BuildResult:
    """``pelican CONTENT -s SETTINGS -o OUTPUT`` as a user runs it, from the repo root."""
    env = {
        **os.environ,
        "COLUMNS": "200",
        "PYTHONWARNINGS": "ignore",
        # Never the developer's own counter store: builds in tests see no snapshot
        # unless a test gives one.
        "COUNTER_SNAPSHOT": str(output.parent / "no-counter-snapshot.json"),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(settings_file),
            "-o",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return BuildResult(proc.returncode, proc.stdout, proc.stderr, output)


class TinySite:
    """A throw-away site: the real registries, posts written by the test."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.content = base / "content"
        (self.content / "posts").mkdir(parents=True)
        (self.content / "pages").mkdir()
        for name in ("units.yml", "categories.yml"):
            shutil.copy(ROOT / "content" / name, self.content / name)
        self.output = base / "output"
        self.settings_file = base / "settings.py"
        self.settings("")

    def settings(self, extra: str, base: str = "pelicanconf") -> Path:
        """Settings that import the project's own and override what the test needs."""
        self.settings_file.write_text(
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
            f"from {base} import *\n"
            f"PATH = {str(self.content)!r}\n" + textwrap.dedent(extra),
            encoding="utf-8",
        )
        return self.settings_file

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def post(self, name: str, title: str = "Bài thử", **fields: str) -> Path:
        """A valid post in Key: value form; keyword arguments add or override fields."""
        header = {
            "Title": title,
            "Date": "12/09/2023 13:43",
            "Unit": "Văn phòng Sở",
            "Category": "Tin tức sự kiện",
            "Summary": "Tóm tắt bài thử.",
        }
        return self.entry(f"posts/{name}.md", header, "Nội dung bài thử.", **fields)

    def entry(self, relative: str, header: dict, default_body: str, /, **fields) -> Path:
        """A file in Key: value form: ``header`` with ``fields`` added, overriding or
        (None) dropping, and the body (``fields["body"]``, else ``default_body``)."""
        body = fields.pop("body", default_body)
        lines = [f"{k}: {v}" for k, v in {**header, **fields}.items() if v is not None]
        return self.write(relative, "\n".join(lines) + "\n\n" + body + "\n")

    def build(self) -> BuildResult:
        return run_pelican(self.content, self.output, self.settings_file)


@pytest.fixture
def tiny_site(tmp_path: Path) -> TinySite:
    return TinySite(tmp_path)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The sample site in content/, built once for every test that only reads it."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_pelican(ROOT / "content", output)
    assert result.returncode == 0, result.log
    return result
