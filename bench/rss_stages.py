"""Where a build's memory goes: the build's RSS and peak at each stage, from its signals.

    python -m bench.rss_stages CONTENT -s SETTINGS -o OUTPUT

Runs ``pelican`` in this process with receivers that print, on stderr, the resident size
and the peak so far at ``initialized``, the generators' ``finalized`` signals, the portal's
``pages_ready``, ``before_publish`` and ``published`` (sent before the plugins' own
receivers of those signals), and at exit. Pagefind's processes are not counted (the
benchmark's peak is the largest single process, theirs included).
"""

from __future__ import annotations

import atexit
import resource
import sys
import time

import pelican
from pelican import signals as pelican_signals

from plugins.portal_core import signals as portal_signals

STARTED = time.monotonic()
PELICAN_STAGES = (
    "initialized",
    "article_generator_finalized",
    "all_generators_finalized",
    "article_writer_finalized",
    "finalized",
)
PORTAL_STAGES = ("pages_ready", "before_publish", "published")


def _resident_mib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def _reporter(stage: str):
    def report(*_args, **_kwargs) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"[rss] {time.monotonic() - STARTED:6.1f} s {stage:28} "
            f"rss {_resident_mib()} MiB, peak {peak} MiB",
            file=sys.stderr,
            flush=True,
        )

    return report


def main() -> None:
    for stage in PELICAN_STAGES:
        getattr(pelican_signals, stage).connect(_reporter(stage), weak=False)
    for stage in PORTAL_STAGES:
        getattr(portal_signals, stage).connect(_reporter(stage), weak=False)
    atexit.register(_reporter("exit"))
    sys.argv = ["pelican", *sys.argv[1:]]
    pelican.main()


if __name__ == "__main__":
    main()
