"""A one-shot build ends its process as soon as Pelican's ``run()`` has returned.

What is left then for the interpreter is freeing the site object by object: 10,000 posts,
every page's recipe, the site model. That is about 2 s at 10,000 posts, a tenth of a build
that adds a post, and nobody waits for it but the editor. So a build run as Pelican's
command line (``pelican content`` or ``python -m pelican``), without ``--autoreload`` or
``--listen``, leaves at once when the site is published:

* every ``atexit`` function still runs, in the usual order (logging's flush, temporary
  folders, the build guard's cleanup, coverage), then the standard streams are flushed;
* the exit status is the one the process would have had: 0, or the status Pelican gives
  ``sys.exit`` if anything fails after ``run()`` returned;
* a build that fails never gets here: it exits as before;
* a file some code left open without flushing it is not flushed (the interpreter would
  flush it while freeing it): the portal writes its files with ``with`` blocks or
  ``portal_core.files.write_atomic``.

A process that is not Pelican's command line (the live preview, tests that call
``pelican.main``) is never ended early.

No Pelican imports at module level.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from collections.abc import Callable


def one_shot_command_line(argv: list[str], main_module_name: str | None) -> bool:
    """Whether this process is Pelican's command line building once."""
    program = os.path.basename(argv[0]) if argv else ""
    if main_module_name != "pelican.__main__" and program != "pelican":
        return False
    from pelican import parse_arguments

    try:
        args = parse_arguments(argv[1:])
    except SystemExit:  # not arguments Pelican would have run with
        return False
    return not (args.autoreload or args.listen)


def exiting_when_done(run: Callable[[], None]) -> Callable[[], None]:
    """``run`` (``Pelican.run``), after which the process ends without the teardown."""

    def run_then_exit() -> None:
        run()
        status: list[object] = []
        real_exit = sys.exit

        def noting_exit(code: object = None) -> None:
            status.append(code)
            real_exit(code)

        def exit_now() -> None:
            atexit.unregister(exit_now)
            sys.exit = real_exit
            atexit._run_exitfuncs()  # the others, as the interpreter would run them
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(AttributeError, OSError, ValueError):
                    stream.flush()  # (a stream closed or replaced)
            os._exit(_status_code(status[-1]) if status else 0)

        sys.exit = noting_exit  # Pelican's main calls it if something fails after run()
        atexit.register(exit_now)  # registered last: called first

    return run_then_exit


def _status_code(code: object) -> int:
    """The status the interpreter gives ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1  # (the interpreter has printed it)
