"""The reader cache wired into Pelican: each reader's ``read`` goes through ``readcache``.

The key of a read is the file's bytes plus everything else the reader depends on; a hit
replays the problems and log lines the reader reported, so a broken post fails every build.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path

from plugins.portal_core import problems
from plugins.portal_core.readers import wrap_read

from .readcache import ReadCache, ReadResult
from .session import (
    VOLATILE_SETTINGS,
    cache_dir,
    code_digest,
    library_versions,
    make_signer,
)
from .signature import digest_bytes, digest_text
from .writer import LogCapture

logger = logging.getLogger(__name__)


class _State:
    def __init__(self) -> None:
        self.cache: ReadCache | None = None
        self.key = b""
        # source path -> digest of its bytes, from the no-change check that already read
        # every content file at start-up (so each file is hashed once per build, not twice)
        self.file_digests: dict[str, bytes] = {}


_state = _State()


def _read_key(settings) -> bytes:
    """Everything besides a file's bytes that the reader's result depends on."""
    signer = make_signer()
    parts = [
        f"{key}={signer.sign(settings[key]).hex()}"
        for key in sorted(settings)
        if key.isupper() and key not in VOLATILE_SETTINGS
    ]
    parts.append("code=" + code_digest())
    content = Path(settings["PATH"])
    registries = [p for p in sorted(content.glob("*.yml")) if p.is_file()]
    parts += [f"{p.name}={digest_bytes(p.read_bytes()).hex()}" for p in registries]
    parts += [f"library {name}={version}" for name, version in library_versions().items()]
    return digest_text("\n".join(parts))


def _cache_for(settings) -> ReadCache:
    if _state.cache is None:
        _state.key = _read_key(settings)
        _state.cache = ReadCache(cache_dir(settings) / "reads.sqlite3", {"settings": settings})
    return _state.cache


def _cached_read(self, source_path: str):
    """The reader's ``read`` through the cache (see ``readcache``)."""
    settings = self.settings
    cache = _cache_for(settings)
    file_digest = _state.file_digests.get(os.path.abspath(source_path))
    if file_digest is None:
        try:
            file_digest = digest_bytes(Path(source_path).read_bytes())
        except OSError:
            return self._uncached_read(source_path)
    relative = os.path.relpath(source_path, settings["PATH"])
    key = digest_bytes(_state.key, relative.encode(), file_digest).hex()
    if settings["INCREMENTAL_BUILD"]:
        hit = cache.get(key)
        if hit is not None:
            log = problems.current()
            for problem in hit.problems:
                log.add(problem)
            for name, level, text in hit.log_lines:
                logging.getLogger(name).log(level, "%s", text)
            return hit.content, hit.metadata
    log = problems.current()
    known = len(log.problems)
    capture = LogCapture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        content, metadata = self._uncached_read(source_path)
    finally:
        root.removeHandler(capture)
    try:
        cache.put(key, ReadResult(content, metadata, log.problems[known:], capture.lines))
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        logger.debug("incremental: %s not cached (%s)", relative, exc)
    return content, metadata


def remember_file_digests(digests: dict[str, bytes]) -> None:
    """Digests of the content files' bytes, keyed by absolute path, for this build."""
    _state.file_digests = digests


def cache_readers(readers) -> None:
    """Put the cache in front of every reader class (after the plugins chose theirs)."""
    wrap_read(readers, "_portal_cached", "_uncached_read", _cached_read)


def close_read_cache(generator) -> None:
    """After the pages (the last content read): saved even if the build stops later."""
    if _state.cache is not None:
        stats = _state.cache.stats
        _state.cache.close()
        _state.cache = None
        print(f"Bộ nhớ đệm đọc bài: {stats['hits']} dùng lại, {stats['misses']} đọc mới.")
