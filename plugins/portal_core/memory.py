"""Memory the process freed, given back to the system; the cyclic collector kept off the
build's long-lived data.

glibc's allocator keeps the pages of freed blocks for the process's next allocations: a
build that has just dropped the rendering of 17,000 pages keeps their memory resident
(≈ 100 MiB at 10,000 posts) while its checks, search index and model save allocate
more, and its peak is that sum. ``malloc_trim`` hands the free pages back at once
(0.01 s). Elsewhere (another C library) nothing happens.

Python's cyclic collector runs a full collection whenever the objects that survived
collections have grown by a quarter since the last one. A build's heap only grows (posts,
the site model, every page's recipe: millions of objects that live until it ends), so at
10,000 posts a build that adds a post ran 13 full collections, 2.6 s of its 18 s, and a
build that patches one post's body 10 (1.1 s of 8 s), all of them freeing next to
nothing. ``freeze_survivors`` freezes (``gc.freeze``) what each full collection leaves:
later collections look only at what is newer. Nothing is freed wrongly (frozen objects
are only not examined; reference counting still frees them); a cycle among them that
becomes garbage later stays until the process ends, so only a one-shot build does this,
never the live preview's long-lived process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def release_freed() -> bool:
    """Give the allocator's free pages back to the system; False where it cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def _freeze_after_full_collection(phase: str, info: dict) -> None:
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


def survivors_frozen() -> bool:
    """Whether ``freeze_survivors`` is in force (``gc.get_freeze_count`` walks every frozen
    object: 75 ms at 10,000 posts)."""
    return _freeze_after_full_collection in gc.callbacks


def freeze_survivors() -> None:
    """From now on, what survives a full collection is frozen; what exists now, too."""
    gc.freeze()
    if _freeze_after_full_collection not in gc.callbacks:
        gc.callbacks.append(_freeze_after_full_collection)
