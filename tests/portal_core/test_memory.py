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


def test_memory_freed_by_the_build_leaves_the_process():
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    released, before, after = run.stdout.split()
    if released == "False":  # not glibc: nothing to give back, nothing to test
        return
    assert int(before) - int(after) > 100_000, run.stdout  # most of the 200 MB freed


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
    run = subprocess.run(
        [sys.executable, "-c", _FREEZING.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    at_start, after_full, collected = map(int, run.stdout.split())
    assert at_start > 0  # what existed already (modules, the imports)
    assert after_full - at_start >= 50_000
    assert collected >= 1
