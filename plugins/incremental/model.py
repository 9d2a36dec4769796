"""The site model: what every page of the last full pass was rendered from.

A build that runs Pelican's generators (the reference path) records, for every page it
writes or links, a **recipe**: the template, the context and what the writer gave the
page, and the posts the page declares it shows (``declared.PageInputs``). At the end of
the build they are saved in one SQLite file per output folder:

* ``meta``: every page's recipe (one pickle, so the lists pages share are kept once),
  the file digests and source keys the model was built from;
* ``shows``: (post, page) for every post a page declares, among the pages that may show
  a post's body or summary (``declared.BODY_BLIND_TEMPLATES`` never do): the reverse
  index, so a change of a post's body maps straight to the pages that show it;
* ``posts``: each post's fields, pickled on its own.

Posts refer to each other (related posts, older and newer post) and pages refer to
posts by their source path, never by copy. A build that loads the model
(``LazyModel``) gets every post as a **shell**: an instance of a subclass of the
post's class whose fields are read from the file the first time one is used, when the
shell becomes the real class. A build that patches one post's body touches only the
posts the pages it renders show.

The model is saved after the site is published, by a detached process
(``save_detached``): the build's own process leaves at once. It holds the model's lock
(``model-….lock``, ``flock``) until the model is in place; a build that reads the
model, or writes or forgets one, takes the lock first (``locked``), so it never reads
a model older than the live output or writes one in the wrong order.

What a patch build changed is kept beside the model (``Patch``: the body of each post as
last read, and its file's digest) until the next full pass records a new model.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import logging
import os
import pickle
import resource
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from plugins.portal_core import files
from plugins.portal_core.forkpool import detached

from .declared import NOT_SHOWN_KWARGS, PageInputs

logger = logging.getLogger(__name__)

FORMAT = "site-model-4"


@dataclass
class Recipe:
    """How to render one page again: ``template.render(localcontext)``."""

    template: str
    context: dict
    page: dict  # what the writer gave it on top of the context
    relative_urls: bool
    inputs: PageInputs


@dataclass
class Patch:
    """One post's body as changed since the model was recorded."""

    content: str  # ``_content`` as read and as shown
    file_digest: bytes
    source_key: str


class ModelRecorder:
    """The recipes of the build in progress."""

    def __init__(self) -> None:
        self.recipes: dict[str, Recipe] = {}

    def note(self, name: str, recipe: Recipe) -> None:
        self.recipes[name] = recipe


def model_file(cache_dir: Path, output: Path) -> Path:
    return Path(cache_dir) / f"model-{files.output_tag(output)}.sqlite3"


def patches_file(cache_dir: Path, output: Path) -> Path:
    return model_file(cache_dir, output).with_suffix(".patches")


@contextlib.contextmanager
def locked(path: Path, exclusive: bool = True, wait: float | None = None):
    """The model's lock, held for the block: exclusive to save or forget the model,
    shared to read it. Yields False when ``wait`` seconds passed without it (a reader
    then does without the model: the full pass); ``None`` waits as long as it takes
    (a save in progress always ends, and the lock goes with its process)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.02)
        yield fd
    finally:
        os.close(fd)


def save_detached(path: Path, save: Callable[[], None]) -> None:
    """``save`` (which writes the model at ``path``) in a detached process that holds the
    model's lock until it is done; here when this system cannot fork. The lock file then
    says how long it took and the process's peak memory (``save_report``)."""
    with locked(path) as fd:  # the lock is the file's: the process inherits it
        started = time.monotonic()

        def work() -> None:
            save()
            report = {
                "seconds": round(time.monotonic() - started, 2),
                "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(report).encode(), 0)

        if not detached(work, keep=[fd]):
            work()


def save_report(path: Path) -> dict:
    """What the last save of the model at ``path`` took (once it is done): ``seconds``
    after the build published, ``peak_rss_kib``; empty if unknown."""
    with locked(path, exclusive=False):
        try:
            return json.loads(path.with_suffix(".lock").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def wait_saved(path: Path) -> None:
    """Until the model the last build is saving is in place."""
    with locked(path, exclusive=False):
        pass


# -- saving ---------------------------------------------------------------------------------


class _Pickler(pickle.Pickler):
    """Posts are pickled as references to their source path (each post's fields go in
    its own row); categories, tags and units without the settings they carry (given
    back when read). Everything else is pickled as usual, at C speed."""

    def __init__(self, file, posts: dict[str, Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.posts = posts  # every post met, by source path

    def reducer_override(self, obj):
        if isinstance(obj, Content):
            source = obj.source_path
            self.posts.setdefault(source, obj)
            cls = type(obj)
            return _post_ref, (cls.__module__, cls.__qualname__, source)
        if isinstance(obj, URLWrapper):
            state = {k: v for k, v in vars(obj).items() if k != "settings"}
            return _wrapper, (type(obj), state)
        return NotImplemented


def _dumps(value, posts: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, posts).dump(value)
    return buffer.getvalue()


def _copy_into_blob(db: sqlite3.Connection, key: str, spool: IO[bytes]) -> None:
    """The file ``spool`` as the meta value ``key``, copied a megabyte at a time."""
    size = spool.seek(0, os.SEEK_END)
    spool.seek(0)
    row = db.execute("INSERT INTO meta VALUES (?, zeroblob(?))", (key, size)).lastrowid
    with db.blobopen("meta", "value", row) as blob:
        while chunk := spool.read(1 << 20):
            blob.write(chunk)


def save(
    path: Path,
    settings: dict,
    recipes: dict[str, Recipe],
    meta: dict[str, Any],
    version_of: Callable[[Any], bytes] | None = None,
    posts_of_build: Iterable[Any] = (),
    reuse_rows: bool = True,
) -> bool:
    """Write the model (and drop the patches of the one it replaces); False when some
    value of the site cannot be pickled (then no build may patch it).

    ``version_of(post)`` is a digest of everything its stored row is made of (its fields,
    the posts it links to): a post whose row in the model being replaced has the same
    version keeps that row instead of being pickled again (a build that changed a few
    posts writes a few rows). ``posts_of_build`` are every post this build read or
    loaded: their rows are brought up to date even when no page refers to them.
    ``reuse_rows`` False (``--full``): every row is written afresh."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    try:
        posts: dict[str, Any] = {}
        context = meta.pop("context", None) or {}
        contexts: dict[int, int] = {id(context): 0}
        shared = [context]
        pages: dict[str, tuple] = {}
        site_wide = []
        for name, recipe in recipes.items():
            index = contexts.get(id(recipe.context))
            if index is None:
                index = contexts[id(recipe.context)] = len(shared)
                shared.append(recipe.context)
            page = {k: v for k, v in recipe.page.items() if k not in NOT_SHOWN_KWARGS}
            pages[name] = (recipe.template, index, page, recipe.relative_urls)
            if recipe.inputs.bodies and recipe.inputs.site_wide:
                site_wide.append(name)
        # a change of bodies never changes a page that shows none (``bodies`` False)
        shows = (
            (post, name)
            for name, recipe in recipes.items()
            if recipe.inputs.bodies
            for post in recipe.inputs.posts
        )
        kept = _reusable_rows(path, temporary) if version_of and reuse_rows else {}
        # one pickle for every recipe (the lists that pages share are kept once), streamed
        # through a file into the database: never held whole in memory (tens of MB)
        with tempfile.TemporaryFile(dir=path.parent) as spool:
            _Pickler(spool, posts).dump((shared, pages))
            for post in posts_of_build:
                posts.setdefault(post.source_path, post)
            db = sqlite3.connect(str(temporary))
            with db:
                db.executescript(
                    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                    "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS shows;"
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);"
                    "CREATE TABLE shows (post TEXT, page TEXT);"
                    "CREATE TABLE IF NOT EXISTS posts (path TEXT PRIMARY KEY, module TEXT,"
                    " class TEXT, state BLOB, version BLOB);"
                )
                db.executemany("INSERT INTO shows VALUES (?, ?)", shows)
                done: set[str] = set()

                def rows(waiting: list[tuple[str, Any]]):
                    for source, post in waiting:
                        done.add(source)
                        version = version_of(post) if version_of is not None else None
                        if version is not None and kept.get(source) == version:
                            continue  # its row as the last model wrote it
                        fields = dict(vars(post))
                        if fields.get("_context") is context:
                            del fields["_context"]  # given back when read
                        if fields.get("settings") is settings:
                            del fields["settings"]
                        cls = type(post)
                        state = _dumps(fields, posts)
                        yield source, cls.__module__, cls.__qualname__, state, version

                while len(done) < len(posts):  # posts met while pickling posts, too
                    waiting = [(s, p) for s, p in posts.items() if s not in done]
                    db.executemany(
                        "INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?)", rows(waiting)
                    )
                # rows of posts this build does not have (deleted, moved): nothing refers to them
                db.executemany(
                    "DELETE FROM posts WHERE path = ?", [(gone,) for gone in set(kept) - done]
                )
                meta = {**meta, "site_wide": site_wide, "pages": sorted(recipes)}
                rows = [("meta", pickle.dumps(meta, protocol=5)), ("format", FORMAT.encode())]
                db.executemany("INSERT INTO meta VALUES (?, ?)", rows)
                _copy_into_blob(db, "recipes", spool)
                db.execute("CREATE INDEX shows_post ON shows (post)")
            db.close()
    except Exception as exc:
        temporary.unlink(missing_ok=True)
        forget(path)
        logger.warning(
            "Mô hình trang không lưu được (%s): lần dựng sau sẽ chạy đầy đủ thay vì dựng nhanh.",
            exc,
        )
        return False
    path.with_suffix(".patches").unlink(missing_ok=True)
    os.replace(temporary, path)
    return True


def _reusable_rows(path: Path, temporary: Path) -> dict[str, bytes]:
    """The model being replaced, copied to ``temporary`` (a file copy, in the kernel) to be
    brought up to date: each post's row version. Empty (and nothing copied) when there is
    no model of this format."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() != (
                FORMAT.encode(),
            ):
                return {}
            versions = {
                source: version
                for source, version in db.execute("SELECT path, version FROM posts")
                if version is not None
            }
        finally:
            db.close()
        shutil.copyfile(path, temporary)
    except (OSError, sqlite3.DatabaseError):
        temporary.unlink(missing_ok=True)
        return {}
    return versions


# -- loading --------------------------------------------------------------------------------

#: the model being read (pickled references are resolved against it)
_reading: list[LazyModel] = []


def _post_ref(module: str, qualname: str, source: str):
    return _reading[-1].shell(module, qualname, source)


def _wrapper(cls: type, state: dict):
    wrapper = cls.__new__(cls)
    wrapper.__dict__.update(state)
    wrapper.settings = _reading[-1].settings
    return wrapper


class _Shell:
    """A post whose fields are not read yet (mixed into a subclass of its class)."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        materialize(self)
        if isinstance(self, _Shell):  # its model was closed before it was read
            raise AttributeError(f"{name} (its site model is closed)")
        return getattr(self, name)


_shell_classes: dict[type, type] = {}
_pending: dict[int, tuple[Any, LazyModel, str]] = {}


def _shell_class(cls: type) -> type:
    shell = _shell_classes.get(cls)
    if shell is None:
        shell = _shell_classes[cls] = type(cls.__name__, (_Shell, cls), {})
    return shell


def materialize(post) -> Any:
    """The post with its fields read (a shell becomes its real class)."""
    pending = _pending.pop(id(post), None)
    if pending is None or pending[0] is not post:
        return post
    _, model, source = pending
    state = model.post_state(source)
    post.__class__ = type(post).__mro__[2]  # _shell_class(cls) -> (shell, _Shell, cls)
    post.__dict__.update(state)
    post.__dict__.setdefault("_context", model.context)
    post.__dict__.setdefault("settings", model.settings)
    return post


class LazyModel:
    """The saved model, read as it is used."""

    def __init__(self, path: Path, settings: dict) -> None:
        self.settings = settings
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        # the recipes (tens of MB unpickled) only once a page is rendered: a build that
        # finds it cannot patch (a new post, a setting) never reads them
        rows = dict(self.db.execute("SELECT key, value FROM meta WHERE key != 'recipes'"))
        if rows.get("format") != FORMAT.encode():
            raise ValueError("another format")
        self.shells: dict[str, Any] = {}
        self._recipes: tuple[list[dict], dict[str, tuple]] | None = None
        meta = pickle.loads(rows["meta"])
        self.global_key: str = meta["global_key"]
        self.other_inputs: str = meta["other_inputs"]
        self.files: dict[str, bytes] = meta["files"]
        self.source_keys: dict[str, str] = meta["source_keys"]
        self.page_names: list[str] = meta["pages"]
        self.site_wide: list[str] = meta["site_wide"]
        self.late_files: list[str] = meta["late_files"]
        self.early_tops: list[str] = meta["early_tops"]
        #: the files besides the pages the staging folder held at ``pages_ready`` (None:
        #: a model saved before they were recorded)
        self.other_early_files: list[str] | None = meta.get("other_early_files")

    def _read_recipes(self) -> tuple[list[dict], dict[str, tuple]]:
        if self._recipes is None:
            (blob,) = self.db.execute("SELECT value FROM meta WHERE key = 'recipes'").fetchone()
            self._recipes = self._loads(blob)
        return self._recipes

    @property
    def contexts(self) -> list[dict]:
        return self._read_recipes()[0]

    @property
    def pages(self) -> dict[str, tuple]:
        return self._read_recipes()[1]

    @property
    def context(self) -> dict:
        """The context most pages share (the site's)."""
        return self.contexts[0]

    def shell(self, module: str, qualname: str, source: str):
        shell = self.shells.get(source)
        if shell is None:
            cls = getattr(__import__(module, fromlist=[qualname]), qualname)
            kind = _shell_class(cls)
            shell = self.shells[source] = kind.__new__(kind)
            _pending[id(shell)] = (shell, self, source)
        return shell

    def _loads(self, blob: bytes):
        _reading.append(self)
        try:
            return pickle.loads(blob)
        finally:
            _reading.pop()

    def post(self, source: str):
        """The post of ``source``, read, or None when the model has none."""
        shell = self.shells.get(source)
        if shell is None:
            row = self.db.execute(
                "SELECT module, class FROM posts WHERE path = ?", (source,)
            ).fetchone()
            if row is None:
                return None
            shell = self.shell(row[0], row[1], source)
        return materialize(shell)

    def post_state(self, source: str) -> dict:
        row = self.db.execute("SELECT state FROM posts WHERE path = ?", (source,)).fetchone()
        if row is None:
            raise KeyError(f"the site model has no post {source}")
        return self._loads(row[0])

    def recipe(self, name: str) -> Recipe:
        template, index, page, relative_urls = self.pages[name]
        return Recipe(template, self.contexts[index], page, relative_urls, _NO_INPUTS)

    def pages_showing(self, sources: set[str]) -> list[str]:
        """The pages that may show the body or summary of any of these posts: those that
        declare them, and those that show every collection."""
        names = set(self.site_wide)
        for source in sources:
            rows = self.db.execute("SELECT page FROM shows WHERE post = ?", (source,))
            names.update(row[0] for row in rows)
        return sorted(names)

    def close(self) -> None:
        """Forget the model: its shells not yet read (the module keeps them until then)
        and its recipes go, so a build that gives way to the full pass does not carry
        them (nor would a process that builds several times, one model per build)."""
        for shell in self.shells.values():
            pending = _pending.get(id(shell))
            if pending is not None and pending[0] is shell:
                del _pending[id(shell)]
        self.shells.clear()
        self._recipes = None
        self.db.close()


_NO_INPUTS = PageInputs(frozenset(), False)


def load(path: Path, settings: dict, wait: float = 300.0) -> LazyModel | None:
    """The model at ``path``, once no build is saving it (None after ``wait`` seconds)."""
    try:
        with locked(path, exclusive=False, wait=wait) as held:
            if held is False:
                logger.debug("incremental: the site model is still being saved")
                return None
            return LazyModel(path, settings) if path.is_file() else None
    except Exception as exc:
        logger.debug("incremental: the site model could not be read (%s)", exc)
        return None


def load_patches(path: Path) -> dict[str, Patch]:
    return files.kept(path, (FORMAT,)) or {}


def save_patches(path: Path, patches: dict[str, Patch]) -> None:
    files.keep(path, (FORMAT,), patches)


def forget(path: Path) -> None:
    with locked(path):  # after a save in progress, never before it
        path.unlink(missing_ok=True)
        path.with_suffix(".patches").unlink(missing_ok=True)
