"""A one-shot build ends its process once Pelican's run() returned, without the teardown."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plugins.build_guard.quick_exit import one_shot_command_line

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, after_run: str) -> subprocess.CompletedProcess:
    """A process whose run() is wrapped like a one-shot build's, then ``after_run``."""
    script = tmp_path / "build.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import atexit, sys
            sys.path.insert(0, {str(ROOT)!r})
            from plugins.build_guard.quick_exit import exiting_when_done

            atexit.register(lambda: open({str(tmp_path / "atexit.txt")!r}, "w").write("ran"))

            def run():
                print("Done: built", end="")  # no newline, no flush

            exiting_when_done(run)()
            """
        )
        + textwrap.dedent(after_run),
        encoding="utf-8",
    )
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)


def test_the_exit_functions_run_and_the_output_is_flushed(tmp_path):
    done = _run(tmp_path, "")
    assert done.returncode == 0
    assert done.stdout == "Done: built"
    assert (tmp_path / "atexit.txt").read_text() == "ran"


@pytest.mark.parametrize(("after_run", "status"), [("sys.exit(3)", 3), ("sys.exit('lỗi')", 1)])
def test_a_failure_after_run_keeps_its_exit_status(tmp_path, after_run, status):
    done = _run(tmp_path, after_run)
    assert done.returncode == status
    assert (tmp_path / "atexit.txt").read_text() == "ran"


def test_only_pelicans_command_line_building_once_is_ended_early():
    cli = "/srv/portal/.venv/bin/pelican"
    module = "/srv/portal/.venv/lib/python3.11/site-packages/pelican/__main__.py"
    assert one_shot_command_line([cli, "content", "-s", "publishconf.py"], None)
    assert one_shot_command_line([module, "content"], "pelican.__main__")
    assert not one_shot_command_line([cli, "content", "--autoreload"], None)
    assert not one_shot_command_line([cli, "content", "-r", "-l"], None)
    assert not one_shot_command_line([cli, "--listen"], None)
    assert not one_shot_command_line(["/usr/bin/pytest", "tests"], "pytest.__main__")
    assert not one_shot_command_line([module, "--no-such-option"], "pelican.__main__")
