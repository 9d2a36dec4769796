"""The post store: every post as the reader made it, kept between builds.

Pelican asks a generator's cache (``get_cached_data``) before it reads a file and hands
it each object it read (``cache_data``). Here that cache is the post store, one SQLite
file in the cache folder: each ``Article`` or ``Page`` pickled as it left the reader,
before any plugin changed it, keyed by its **source key**, a digest of the file's bytes,
its path and everything reading depends on (settings, registries, plugin code, library
versions). A post whose source key is stored is not read, parsed or constructed again:
the build unpickles it (~30 µs) and replays the problems and log lines its read reported,
so a broken post fails every build, stored or not.

The source key is also the post's identity in the site model: a page declares the
posts it shows by their keys (``declared``), and the record of the last build maps each
key to the pages that showed it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import URLWrapper

from plugins.portal_core import problems
from plugins.portal_core.diskmemo import DiskMemo
from plugins.portal_core.forkpool import ForkPool, processes

from .signature import digest_bytes

logger = logging.getLogger(__name__)


class LogCapture(logging.Handler):
    """Warnings and errors logged while reading or rendering, to replay in the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, record.levelno, record.getMessage()))


class PostStore:
    """``get``/``put`` for Pelican's generators; ``key_of(post)`` for declarations."""

    def __init__(
        self,
        path: Path,
        settings: dict,
        read_key: bytes,
        file_digests: dict[str, bytes],
        trusted: bool,
    ) -> None:
        self.settings = settings
        self.read_key = read_key
        self.file_digests = file_digests  # absolute path -> digest of its bytes
        self.trusted = trusted  # False: a full build reads every file (and refills the store)
        self.memo: DiskMemo | None = None
        self.path = path
        # id(post) -> (post, source key, {attribute: id(value)} as read)
        self._known: dict[int, tuple[Any, str, dict[str, int]]] = {}
        self._reading: tuple[str, int, LogCapture] | None = None  # key, problems seen, log
        self.hits = 0
        self.reads = 0
        self.eager = True  # load every stored post at once (a build asks for them all)
        # posts read by the second process (``_read_beside``): relative path -> (key, stored
        # form), or None; the process until its results are taken
        self._beside: dict[str, tuple[str, bytes] | None] = {}
        self._pool: tuple[ForkPool, list[str]] | None = None

    # -- Pelican's generator cache ---------------------------------------------------------

    def install(self, generator) -> None:
        """Put the store in front of ``generator``'s reads (its own cache is off)."""
        if getattr(generator, "_portal_store", None) is self:
            return
        generator._portal_store = self
        generator.get_cached_data = functools.partial(self.get, generator)
        generator.cache_data = functools.partial(self.put, generator)

    def _open(self, context: dict, base: str | None = None) -> DiskMemo:
        if self.memo is None:
            self.memo = DiskMemo(
                self.path, {"settings": self.settings, "context": context}, table="posts"
            )
            if self.trusted and self.eager and base is not None:
                # most posts of a build come from the store: the keys of this build's
                # files, in a few queries
                self.memo.preload(self._keys_under(base))
        return self.memo

    def _keys_under(self, base: str) -> list[str]:
        """The source key of every file under ``base`` whose digest this build knows."""
        prefix = os.path.abspath(base) + os.sep
        cut = len(prefix)
        return [
            digest_bytes(self.read_key, path[cut:].encode(), digest).hex()
            for path, digest in self.file_digests.items()
            if path.startswith(prefix)
        ]

    def source_key(self, generator, relative: str) -> str | None:
        absolute = os.path.abspath(os.path.join(generator.path, relative))
        digest = self.file_digests.get(absolute)
        if digest is None:
            try:
                digest = digest_bytes(Path(absolute).read_bytes())
            except OSError:
                return None  # the reader says why
            self.file_digests[absolute] = digest
        return digest_bytes(self.read_key, relative.encode(), digest).hex()

    def get(self, generator, relative: str, default=None):
        self._end_reading()
        key = self.source_key(generator, relative)
        if key is None:
            return default
        memo = self._open(generator.context, generator.path)
        if self.trusted and self.eager and isinstance(generator, ArticlesGenerator):
            self._read_beside(generator, memo)
        if self.trusted:
            beside = self._taken(relative)
            read_beside = beside is not None and beside[0] == key
            stored = memo.decode(beside[1]) if read_beside else memo.get(key)
            if stored is not None:
                post, found, lines = stored
                log = problems.current()
                for problem in found:
                    log.add(problem)
                for name, level, text in lines:
                    logging.getLogger(name).log(level, "%s", text)
                self._remember(post, key)
                if read_beside:  # read in this build: kept, as a post read here is
                    memo.put_encoded(key, beside[1])
                    self.reads += 1
                else:
                    self.hits += 1
                return post
        self.reads += 1
        capture = LogCapture()
        logging.getLogger().addHandler(capture)
        self._reading = (key, len(problems.current().problems), capture)
        return default

    # -- the first reading of many posts, on two cores ---------------------------------------

    def _read_beside(self, generator, memo: DiskMemo) -> None:
        """Once per generator: when many of its posts are not stored (a first build, a
        change of code or settings), a forked process reads the last half of them (the
        half this process comes to last) while this one reads the first. Its posts are
        taken as if they came from the store (``_taken``): the same objects, problems and
        log lines a reading here gives; any it could not read is read here."""
        if getattr(generator, "_portal_read_beside", False):
            return
        generator._portal_read_beside = True
        if processes(None) < 2:
            return
        files = list(
            generator.get_files(
                generator.settings["ARTICLE_PATHS"],
                exclude=generator.settings["ARTICLE_EXCLUDES"],
            )
        )
        keys = {relative: self.source_key(generator, relative) for relative in files}
        stored = memo.stored([key for key in keys.values() if key])
        missing = [name for name in files if keys[name] and keys[name] not in stored]
        threshold = self.settings["INCREMENTAL_PARALLEL_READ_FROM"]
        if not threshold or len(missing) < threshold:
            return
        share = missing[len(missing) // 2 :]

        def read(index: int) -> tuple[str, bytes] | None:
            return self._read_here(generator, memo, share[index], keys[share[index]])

        self._pool = (ForkPool(read, range(len(share)), 1), share)
        self._beside = dict.fromkeys(share)

    def _read_here(self, generator, memo: DiskMemo, relative: str, key: str):
        """In the forked process: one post read as the generator reads it, in its stored
        form; None when reading reports an error (read again in the build, which says so)."""
        root = logging.getLogger()
        if not getattr(root, "_portal_child", False):
            for handler in list(root.handlers):  # the build logs what it replays, once
                root.removeHandler(handler)
            root._portal_child = True
        capture = LogCapture()
        root.addHandler(capture)
        seen = len(problems.current().problems)
        try:
            post = read_post(generator, relative)
        except Exception:
            return None
        finally:
            root.removeHandler(capture)
        if not isinstance(post, Article) or not post.is_valid():
            return None
        if any(level >= logging.ERROR for _name, level, _text in capture.lines):
            return None
        found = problems.current().problems[seen:]
        _name_slugs(post)
        return key, memo.encode((post, found, capture.lines))

    def _taken(self, relative: str) -> tuple[str, bytes] | None:
        """The post the forked process read for ``relative`` (waited for, the first time
        one is asked for), or None."""
        if relative not in self._beside:
            return None
        if self._pool is not None:
            (pool, share), self._pool = self._pool, None
            done, _failures = pool.results()  # a share that failed is read here
            self._beside = {relative: done.get(index) for index, relative in enumerate(share)}
        return self._beside.pop(relative, None)

    def put(self, generator, relative: str, post) -> None:
        reading = self._end_reading()
        if reading is None:
            return
        key, seen, lines = reading
        found = problems.current().problems[seen:]
        _name_slugs(post)
        try:
            self._open(generator.context).put(key, (post, found, lines))
        except Exception as exc:  # not kept: read again next time
            logger.debug("incremental: %s not stored (%s)", relative, exc)
        self._remember(post, key)

    def _end_reading(self) -> tuple[str, int, list] | None:
        if self._reading is None:
            return None
        key, seen, capture = self._reading
        self._reading = None
        logging.getLogger().removeHandler(capture)
        return key, seen, capture.lines

    def _remember(self, post, key: str) -> None:
        self._known[id(post)] = (post, key, {k: id(v) for k, v in vars(post).items()})

    # -- the site model's view --------------------------------------------------------------

    def known_posts(self) -> list[Any]:
        """Every post this build read or took from the store."""
        return [post for post, _key, _fields in self._known.values()]

    def key_of(self, post) -> tuple[str, dict[str, int]] | None:
        """(source key, the post's attributes as read) of a post this build read or loaded."""
        known = self._known.get(id(post))
        if known is None or known[0] is not post:
            return None
        return known[1], known[2]

    def close(self) -> None:
        """Keep what this build read (entries unused for 30 days are dropped)."""
        self._end_reading()
        if self._pool is not None:  # a reading cut short: the second process ended, not left
            self._pool, (pool, _share) = None, self._pool
            pool.results()
        self._beside = {}
        if self.memo is not None:
            self.memo.close()
            self.memo = None

    def summary(self) -> str:
        return f"{self.hits} bài lấy từ mô hình, {self.reads} bài đọc mới"


def read_post(generator, relative: str):
    """A post read from its file, as Pelican's ``ArticlesGenerator.generate_context``
    reads it (the same signals, the same context)."""
    return generator.readers.read_file(
        base_path=generator.path,
        path=relative,
        content_class=Article,
        context=generator.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=generator,
        context_signal=signals.article_generator_context,
        context_sender=generator,
    )


def _name_slugs(post) -> None:
    """Work out the slug of the post's category, tags and authors before it is stored:
    Pelican slugifies each wrapper's name the first time its slug is asked (to sort, to
    hash, to make an address), and a wrapper unpickled without it slugified again, 30,000
    times a build at 10,000 posts."""
    for value in vars(post).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, URLWrapper):
                with contextlib.suppress(Exception):  # a bad name: reported where it is used
                    item.slug  # noqa: B018 (the property stores what it works out)
