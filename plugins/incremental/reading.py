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
from plugins.portal_core.forkpool import processes
from plugins.portal_core.readers import wrap_read

from .prefetch import Prefetch
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
        self.prefetch: Prefetch | None = None
        self.prefetch_for: object = None  # the generator whose posts it reads
        self.fetched = 0  # posts read by a reading process in this build
        # source path -> cache key, when ``start_prefetch`` computed them all from the
        # start-up digests (so they are not computed again for each read)
        self.keys: dict[str, str] = {}


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


def _key(settings, source_path: str) -> str | None:
    """The cache key of one source file; None when it cannot be read (the reader says why)."""
    known = _state.keys.get(source_path)
    if known is not None:
        return known
    file_digest = _state.file_digests.get(os.path.abspath(source_path))
    if file_digest is None:
        try:
            file_digest = digest_bytes(Path(source_path).read_bytes())
        except OSError:
            return None
    relative = os.path.relpath(source_path, settings["PATH"])
    return digest_bytes(_state.key, relative.encode(), file_digest).hex()


def _replay(result: ReadResult) -> None:
    """Report what a read made elsewhere (an earlier build, a reading process) reported."""
    log = problems.current()
    for problem in result.problems:
        log.add(problem)
    for name, level, text in result.log_lines:
        logging.getLogger(name).log(level, "%s", text)


def _fresh_read(reader, source_path: str) -> ReadResult:
    """The reader's own ``read``, with the problems and log lines it reported."""
    log = problems.current()
    known = len(log.problems)
    capture = LogCapture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        content, metadata = reader._uncached_read(source_path)
    finally:
        root.removeHandler(capture)
    return ReadResult(content, metadata, log.problems[known:], capture.lines)


def _cached_read(self, source_path: str):
    """The reader's ``read`` through the cache (see ``readcache``) or a reading process."""
    settings = self.settings
    cache = _cache_for(settings)
    key = _key(settings, source_path)
    if key is None:
        return self._uncached_read(source_path)
    if settings["INCREMENTAL_BUILD"]:
        hit = cache.get(key)
        if hit is not None:
            _replay(hit)
            return hit.content, hit.metadata
    fetched = _fetched(cache, key, source_path)
    if fetched is not None:
        _replay(fetched)
        return fetched.content, fetched.metadata
    result = _fresh_read(self, source_path)  # its problems and log lines reported as it ran
    try:
        cache.put(key, result)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        logger.debug("incremental: %s not cached (%s)", source_path, exc)
    return result.content, result.metadata


# -- reading on every core (``prefetch``) --------------------------------------------------

#: Fewer posts to read than this are read in the build's own process.
PREFETCH_MIN_FILES = 20


def _fetched(cache: ReadCache, key: str, source_path: str) -> ReadResult | None:
    """What a reading process made of this file (then kept in the cache), if it read it."""
    if _state.prefetch is None:
        return None
    payload = _state.prefetch.take(source_path)
    if payload is None:
        return None  # not read there
    fetched_key, _, blob = payload.partition(b"\n")
    if fetched_key != key.encode("ascii"):
        return None  # the file changed since
    result = cache.decode(blob)
    if result is not None:
        cache.put_encoded(key, blob)
        _state.fetched += 1
    return result


def start_prefetch(generator) -> None:
    """At the first post of a build: let ``INCREMENTAL_READ_WORKERS - 1`` forked processes
    read, from the end of the list, the posts the cache does not hold."""
    if _state.prefetch_for is generator:
        return
    stop_prefetch()
    _state.prefetch_for = generator
    _state.keys = {}  # a build that stopped early leaves its own
    settings = generator.settings
    helpers = processes(settings.get("INCREMENTAL_READ_WORKERS")) - 1
    if helpers < 1:
        return
    cache = _cache_for(settings)
    readers = generator.readers.readers
    paths = []
    for relative in generator.get_files(
        settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]
    ):
        path = os.path.abspath(os.path.join(generator.path, relative))
        reader = readers.get(os.path.splitext(path)[1][1:])
        if reader is not None and getattr(reader, "enabled", True):
            paths.append(path)
    if settings["INCREMENTAL_BUILD"]:  # only the posts the cache does not hold
        keys = {path: key for path in paths if (key := _key(settings, path)) is not None}
        stored = cache.stored(list(keys.values()))
        paths = [path for path, key in keys.items() if key not in stored]
        _state.keys = keys
    if len(paths) < PREFETCH_MIN_FILES:
        return

    def work(path: str) -> bytes | None:
        key = _key(settings, path)
        if key is None:
            return None
        reader = readers[os.path.splitext(path)[1][1:]]
        return key.encode("ascii") + b"\n" + cache.encode(_fresh_read(reader, path))

    try:
        _state.prefetch = Prefetch(paths, work, min(helpers, len(paths)))
    except OSError as exc:  # no fork or no shared lock here: this process reads them all
        logger.info("Đọc bài trong một tiến trình (%s)", exc)


def stop_prefetch(generator=None) -> None:
    """Once the posts are read: wait for the reading processes."""
    prefetch, _state.prefetch = _state.prefetch, None
    if prefetch is not None:
        for failure in prefetch.close():
            logger.warning(
                "Đọc bài song song: %s; các bài của nó đã được đọc lại ở tiến trình chính",
                failure,
            )


def remember_file_digests(digests: dict[str, bytes]) -> None:
    """Digests of the content files' bytes, keyed by absolute path, for this build."""
    _state.file_digests = digests


def cache_readers(readers) -> None:
    """Put the cache in front of every reader class (after the plugins chose theirs)."""
    wrap_read(readers, "_portal_cached", "_uncached_read", _cached_read)


def close_read_cache(generator) -> None:
    """After the pages (the last content read): saved even if the build stops later."""
    stop_prefetch()
    _state.prefetch_for = None
    _state.keys = {}
    if _state.cache is not None:
        stats = _state.cache.stats
        _state.cache.close()
        _state.cache = None
        fetched, _state.fetched = _state.fetched, 0
        parallel = f" ({fetched} bởi tiến trình đọc song song)" if fetched else ""
        print(f"Bộ nhớ đệm đọc bài: {stats['hits']} dùng lại, {stats['misses']} đọc mới{parallel}.")
