"""Memory: freed memory given back to the system; long-lived objects kept from the collector."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROGRAM = """
import sys
sys.path.insert(0, {root!r})
from plugins.portal_core.memory import release_freed

def resident_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])

blocks = [bytes(2048) for _ in range(100_000)]  # ~200 MB of allocator blocks
kept = blocks[::50]  # every 50th kept: the freed ones cannot be returned by the heap's end
del blocks
before = resident_kib()
print(release_freed(), before, resident_kib())
"""


def _run(program: str) -> list[str]:
    """What ``program`` (given the repository's root) printed, run in a fresh process."""
    run = subprocess.run(
        [sys.executable, "-c", program.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_memory_freed_by_the_build_leaves_the_process():
    released, before, after = _run(_PROGRAM)
    if released == "False":  # not glibc: nothing to give back, nothing to test
        return
    assert int(before) - int(after) > 100_000, (before, after)  # most of the 200 MB freed


_FREEZING = """
import gc, sys
sys.path.insert(0, {root!r})
from plugins.portal_core.memory import freeze_survivors

freeze_survivors()
at_start = gc.get_freeze_count()
kept = [[n] for n in range(50_000)]  # a build's data: it survives the next full collection
gc.collect()
after_full = gc.get_freeze_count()
cycle = []
cycle.append(cycle)  # garbage made since is still found
del cycle
print(at_start, after_full, gc.collect())
"""


def test_what_survives_a_full_collection_is_not_examined_again():
    at_start, after_full, collected = map(int, _run(_FREEZING))
    assert at_start > 0  # what existed already (modules, the imports)
    assert after_full - at_start >= 50_000
    assert collected >= 1
