"""Incremental builds: render again only the pages whose inputs changed.

Every page records the context names its templates read while rendering; the next
build computes digests of those names' values (``signature``) and, when they and the
build's global key (settings, theme, plugin code, library versions) are unchanged,
hard-links last build's file into the staging folder instead of rendering it. The
result is the same bytes a full build writes (tests/incremental asserts it).

Listings use stable pages (``paging``): page numbers count from the oldest post, so
a new post does not move every other post to another page.

Settings (defaults in brackets):
  INCREMENTAL_BUILD       reuse unchanged pages of the last build [True]; ``False``
                          (``pelican -e INCREMENTAL_BUILD=false``, ``invoke build --full``)
                          renders every page and starts the record afresh
  INCREMENTAL_CACHE_PATH  where the record of the last build is kept; relative to the
                          folder that holds the content folder ["cache/build"]
  INCREMENTAL_RENDER_WORKERS  processes that render pages; 0 = one per core, 1 = render
                          in the build's own process [0]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import types
from collections import Counter
from pathlib import Path

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from plugins.build_guard import fail
from plugins.portal_core import problems
from plugins.portal_core.signals import published
from plugins.scheduling.core import current_time

from . import paging
from . import state as build_state
from .readcache import ReadCache, ReadResult
from .signature import Signer, digest_bytes, digest_text
from .writer import IncrementalWriter

logger = logging.getLogger(__name__)

DEFAULTS = {
    "INCREMENTAL_BUILD": True,
    "INCREMENTAL_CACHE_PATH": "cache/build",
    "INCREMENTAL_RENDER_WORKERS": 0,
}
#: settings that name this build's own staging folder: never part of the key
VOLATILE_SETTINGS = {"OUTPUT_PATH", "INCREMENTAL_BUILD", "INCREMENTAL_RENDER_WORKERS"}
#: code and files whose change means every page must be rendered again
CODE_FOLDERS = ("plugins", "counter")
LIBRARIES = ("pelican", "jinja2", "markupsafe", "markdown", "babel", "nh3", "pillow")
ROOT = Path(__file__).resolve().parent.parent.parent
_MISSING = object()


def check_settings(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    _check_settings_values(settings)
    skip_unchanged_build(pelican)


def _check_settings_values(settings) -> None:
    if not isinstance(settings["INCREMENTAL_BUILD"], bool):
        fail(
            "pelicanconf.py: INCREMENTAL_BUILD must be True or False, "
            f"not {settings['INCREMENTAL_BUILD']!r}."
        )
    workers = settings["INCREMENTAL_RENDER_WORKERS"]
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        fail(
            "pelicanconf.py: INCREMENTAL_RENDER_WORKERS must be a whole number ≥ 0 "
            f"(0 = one per core), not {workers!r}."
        )
    path = settings["INCREMENTAL_CACHE_PATH"]
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        fail('pelicanconf.py: INCREMENTAL_CACHE_PATH must be a folder path, e.g. "cache/build".')


def cache_dir(settings) -> Path:
    path = Path(settings["INCREMENTAL_CACHE_PATH"])
    if not path.is_absolute():
        path = Path(os.path.abspath(settings.get("PATH") or "content")).parent / path
    return path


def _files_digest(folders: list[Path], suffixes: tuple[str, ...] | None = None) -> str:
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
                continue
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _library_versions() -> dict[str, str]:
    versions = {}
    for library in LIBRARIES:
        try:
            versions[library] = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            versions[library] = "-"
    return versions


class Session:
    """One build's view of the last one: which pages may be linked instead of rendered."""

    def __init__(self, settings, staging: str) -> None:
        self.settings = settings
        self.final_output = Path(settings.get("PORTAL_FINAL_OUTPUT_PATH") or staging)
        self.staging = Path(staging)
        self.state_path = build_state.state_file(cache_dir(settings), self.final_output)
        self.signer = _signer()
        self.parts = self._global_parts()
        self.global_key = digest_text(repr(sorted(self.parts.items()))).hex()
        previous = build_state.load(self.state_path)
        self.new = build_state.BuildState(self.global_key, self.parts)
        self.outcome: Counter[str] = Counter()
        # INCREMENTAL_EXPLAIN=1 in the environment: say which names made pages change
        self.explain: dict | None = None
        self.explain_path = self.state_path.with_name("explain-" + self.state_path.name)
        self.changed_names: Counter[str] = Counter()
        if os.environ.get("INCREMENTAL_EXPLAIN"):
            try:
                self.explain = {"old": json.loads(self.explain_path.read_text()), "new": {}}
            except (OSError, ValueError):
                self.explain = {"old": {}, "new": {}}
        if not settings["INCREMENTAL_BUILD"]:
            self.previous = build_state.BuildState()
            self.reason = "INCREMENTAL_BUILD = False: mọi trang được dựng lại"
        elif not previous.pages:
            self.previous = previous
            self.reason = "chưa có bản dựng trước: mọi trang được dựng"
        elif previous.global_key != self.global_key:
            changed = sorted(
                k
                for k in set(self.parts) | set(previous.parts)
                if self.parts.get(k) != previous.parts.get(k)
            )
            self.previous = build_state.BuildState()
            self.reason = "đã thay đổi " + ", ".join(changed[:8]) + ": mọi trang được dựng lại"
        else:
            self.previous = previous
            self.reason = ""

    def _global_parts(self) -> dict[str, str]:
        parts = {}
        for key in sorted(self.settings):
            if key in VOLATILE_SETTINGS or not key.isupper():
                continue
            parts[f"setting {key}"] = self.signer.sign(self.settings[key]).hex()
        theme = Path(self.settings.get("THEME") or "")
        if theme.is_dir():
            parts["theme"] = _files_digest([theme / "templates", theme / "translations"])
        parts["code"] = _files_digest([ROOT / name for name in CODE_FOLDERS], (".py",))
        parts.update({f"library {n}": v for n, v in _library_versions().items()})
        return parts

    def page_key(self, template, localcontext, names) -> str:
        sign = self.signer.sign
        parts = [self.global_key.encode(), template.name.encode()]
        for name in names:
            value = localcontext.get(name, _MISSING)
            parts.append(name.encode())
            parts.append(b"-" if value is _MISSING else sign(value))
        return digest_bytes(*parts).hex()

    def reuse(self, name: str, template, localcontext, path: str) -> bool:
        before = self.previous.pages.get(name)
        if before is None:
            self.outcome["new"] += 1
            return False
        key = self.page_key(template, localcontext, before.names)
        if key != before.key:
            self.outcome["changed"] += 1
            if self.explain is not None:
                self._explain_change(name, localcontext, before.names)
            return False
        live = self.final_output / name
        try:
            stat = live.stat()
        except OSError:
            self.outcome["missing"] += 1
            return False
        if (stat.st_size, stat.st_mtime_ns) != (before.size, before.mtime_ns):
            self.outcome["edited by hand"] += 1
            return False
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.link(live, path)
        except OSError:
            self.outcome["not linkable"] += 1
            return False
        self.new.pages[name] = before
        self.outcome["reused"] += 1
        return True

    def record(self, name: str, template, localcontext, names: set[str], path: str) -> None:
        ordered = tuple(sorted(names))
        stat = os.stat(path)
        key = self.page_key(template, localcontext, ordered)
        self.new.pages[name] = build_state.Written(key, ordered, stat.st_size, stat.st_mtime_ns)
        if self.explain is not None:
            self.explain["new"][name] = self._digests(localcontext, ordered)

    def _digests(self, localcontext, names) -> dict[str, str]:
        return {
            n: self.signer.sign(localcontext[n]).hex() if n in localcontext else "-" for n in names
        }

    def _explain_change(self, name: str, localcontext, names) -> None:
        old = self.explain["old"].get(name, {})
        now = self._digests(localcontext, names)
        self.changed_names.update(n for n in names if old.get(n) != now[n])

    def save_explanation(self) -> None:
        if self.explain is None:
            return
        merged = {**self.explain["old"], **self.explain["new"]}
        self.explain_path.write_text(json.dumps(merged), encoding="utf-8")
        if self.changed_names:
            print(
                "Dựng tăng dần, các trang được dựng lại vì đổi: "
                + ", ".join(f"{n} ({c})" for n, c in self.changed_names.most_common(12)),
                flush=True,
            )

    def summary(self) -> str:
        done = ", ".join(f"{count} {what}" for what, count in sorted(self.outcome.items()))
        return done + (f" ({self.reason})" if self.reason else "")


def _content_view(obj: Content, nested: bool, refs: dict[int, object]) -> dict:
    fields = {k: v for k, v in vars(obj).items() if k not in ("_context", "settings")}
    # Pelican copies every metadata field to an attribute: sign each value once
    metadata = fields.get("metadata")
    if isinstance(metadata, dict):
        fields["metadata"] = {k: v for k, v in metadata.items() if fields.get(k) is not v}
    # url, save_as and summary follow from the fields and the settings (in the global
    # key); the rendered content also from other posts' addresses when it links to them
    raw = fields.get("_content") or ""
    if "{" in raw or "|" in raw:
        try:
            fields["@content"] = obj.content
        except Exception:  # a broken link: the page renders (and reports it) anyway
            fields["@content"] = object()

    def cut(value):
        if isinstance(value, Content):
            return _ref(value, refs) if nested else None
        if isinstance(value, (list, tuple)) and any(isinstance(v, Content) for v in value):
            return [cut(v) for v in value]
        return value

    # A post seen from another one (related, neighbour, listed) is known by its own
    # fields: a new post that enters its related list does not change the pages that
    # merely link to it. Templates must not show a linked post's own links.
    return {k: cut(v) for k, v in fields.items()}


def _ref(content: Content, refs: dict[int, object]) -> _ContentRef:
    ref = refs.get(id(content))
    if ref is None:
        ref = refs[id(content)] = _ContentRef(content)
    return ref


class _ContentRef:
    """A post seen from another post (related, neighbour): its own fields, not its links'."""

    def __init__(self, content: Content) -> None:
        self.content = content


_WRAPPER_DERIVED = {"settings", "_slug", "name", "slug"}


def _signer() -> Signer:
    signer = Signer()
    refs: dict[int, object] = {}
    signer.exclude_attributes(["settings", "_context"])
    signer.register(types.ModuleType, lambda m, depth: m.__name__)
    signer.register(_ContentRef, lambda r, depth: _content_view(r.content, False, refs))
    signer.register(Content, lambda c, depth: _content_view(c, True, refs))
    # a listing shows its posts' own fields, not their related posts
    signer.register(
        paging.StablePage,
        lambda p, depth: {
            **vars(p),
            "object_list": [_ref(c, refs) if isinstance(c, Content) else c for c in p.object_list],
        },
    )
    # a category, tag, author or unit: its url and save_as follow from its name and the
    # settings (in the global key), so they are not computed again here
    signer.register(
        URLWrapper,
        lambda w, depth: {
            "@slug": w.slug,  # computed on first use: read it so it is always the same
            # Pelican's as_dict() copies name and slug into the object when its URL is
            # first computed: leave them out, or the digest depends on what ran before
            **{k: v for k, v in vars(w).items() if k not in _WRAPPER_DERIVED},
        },
    )
    return signer


# -- nothing changed: no build at all -------------------------------------------------


def inputs_digest(settings) -> str:
    """Every input of a build: content files, settings, theme, code, libraries, the
    counter snapshot and today's date (timeliness checks and the footer depend on it)."""
    h = hashlib.blake2b(digest_size=16)
    signer = _signer()
    for key in sorted(settings):
        if key.isupper() and key not in VOLATILE_SETTINGS:
            h.update(key.encode() + signer.sign(settings[key]))
    content = Path(settings["PATH"])
    for path in sorted(p for p in content.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(content)).encode() + b"\0")
        h.update(digest_bytes(path.read_bytes()))
    theme = Path(settings.get("THEME") or "")
    if theme.is_dir():
        h.update(_files_digest([theme]).encode())
    h.update(_files_digest([ROOT / name for name in CODE_FOLDERS], (".py",)).encode())
    h.update(repr(sorted(_library_versions().items())).encode())
    snapshot = Path(str(settings.get("COUNTER_SNAPSHOT") or ""))
    if snapshot.is_file():
        stat = snapshot.stat()
        h.update(f"snapshot {stat.st_size} {stat.st_mtime_ns}".encode())
    h.update(_now(settings).date().isoformat().encode())
    return h.hexdigest()


def _now(settings) -> dt.datetime:
    return current_time(settings)  # the scheduling plugin's clock (SCHEDULING_NOW in tests)


def skip_unchanged_build(pelican) -> None:
    """Stop here, successfully, when nothing the build reads changed since the live output
    was built and no scheduled post has come due: the live output is already this build's."""
    settings = pelican.settings
    _build.inputs = inputs_digest(settings)
    if not settings["INCREMENTAL_BUILD"]:
        return
    output = Path(pelican.output_path)
    last = build_state.load(build_state.state_file(cache_dir(settings), output))
    if not last.inputs or last.inputs != _build.inputs or not output.is_dir():
        return
    if last.next_due and _now(settings) >= dt.datetime.fromisoformat(last.next_due):
        return
    if any(
        not (output / name).exists() for name in list(last.pages)[:: max(1, len(last.pages) // 50)]
    ):
        return  # the output was changed by hand: build
    print(
        f"Không có gì thay đổi kể từ lần dựng trước; {output} giữ nguyên "
        f"({len(last.pages)} trang). Dựng lại toàn bộ: invoke build --full.",
        flush=True,
    )
    raise SystemExit(0)


def note_next_due(generator) -> None:
    """The next scheduled post's time: the build after it must not be skipped."""
    times = [
        a.scheduled_at
        for a in [*generator.articles, *generator.drafts]
        if getattr(a, "scheduled_at", None)
    ]
    now = _now(generator.settings)
    future = sorted(t for t in times if t > now)
    _build.next_due = future[0].isoformat() if future else ""


class _Build:
    session: Session | None = None
    inputs: str = ""
    next_due: str = ""
    read_cache: ReadCache | None = None
    read_key: bytes = b""


# -- the reader cache ---------------------------------------------------------------


def _read_key(settings) -> bytes:
    """Everything besides a file's bytes that the reader's result depends on."""
    signer = _signer()
    parts = [
        f"{key}={signer.sign(settings[key]).hex()}"
        for key in sorted(settings)
        if key.isupper() and key not in VOLATILE_SETTINGS
    ]
    parts.append("code=" + _files_digest([ROOT / name for name in CODE_FOLDERS], (".py",)))
    content = Path(settings["PATH"])
    registries = [p for p in sorted(content.glob("*.yml")) if p.is_file()]
    parts += [f"{p.name}={digest_bytes(p.read_bytes()).hex()}" for p in registries]
    parts += [f"library {name}={version}" for name, version in _library_versions().items()]
    return digest_text("\n".join(parts))


def _cache_for(settings) -> ReadCache:
    if _build.read_cache is None:
        _build.read_key = _read_key(settings)
        _build.read_cache = ReadCache(cache_dir(settings) / "reads.sqlite3", {"settings": settings})
    return _build.read_cache


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, record.levelno, record.getMessage()))


def _cached_read(self, source_path: str):
    """The reader's ``read`` through the cache (see ``readcache``)."""
    settings = self.settings
    cache = _cache_for(settings)
    try:
        data = Path(source_path).read_bytes()
    except OSError:
        return self._uncached_read(source_path)
    relative = os.path.relpath(source_path, settings["PATH"])
    key = digest_bytes(_build.read_key, relative.encode(), data).hex()
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
    capture = _LogCapture()
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


def cache_readers(readers) -> None:
    """Put the cache in front of every reader class (after the plugins chose theirs)."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is None or getattr(reader_class, "_portal_cached", False):
            continue
        readers.reader_classes[extension] = type(
            reader_class.__name__,
            (reader_class,),
            {
                "_portal_cached": True,
                "_uncached_read": reader_class.read,
                "read": _cached_read,
                "__module__": reader_class.__module__,
            },
        )


def close_read_cache(generator) -> None:
    """After the pages (the last content read): saved even if the build stops later."""
    if _build.read_cache is not None:
        stats = _build.read_cache.stats
        _build.read_cache.close()
        _build.read_cache = None
        print(f"Bộ nhớ đệm đọc bài: {stats['hits']} dùng lại, {stats['misses']} đọc mới.")


_build = _Build()


def get_writer(pelican):
    _build.session = Session(pelican.settings, pelican.output_path)
    IncrementalWriter.session = _build.session
    return IncrementalWriter


def save_state(sender, output_path: str, settings) -> None:
    session = _build.session
    if session is None:
        return
    session.new.inputs = _build.inputs
    session.new.next_due = _build.next_due
    session.new.output = str(Path(output_path).resolve())
    build_state.save(session.state_path, session.new)
    build_state.prune(session.state_path.parent)
    session.save_explanation()
    print(f"Dựng tăng dần: {session.summary()}.", flush=True)
    if session.signer.opaque:
        logger.debug(
            "incremental: values without a stable digest: %s", sorted(session.signer.opaque)
        )
    _build.session = None
    IncrementalWriter.session = None


def fix_sitemap_clock(generators) -> None:
    """pelican-sitemap dates listing pages with the build's clock; use the newest post's.

    The same content then gives the same sitemap.xml, whenever it is built."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    dates = [
        getattr(item, "modified", None) or item.date
        for generator in generators
        for item in [*getattr(generator, "articles", []), *getattr(generator, "pages", [])]
        if getattr(item, "date", None)
    ]
    if dates:
        sitemap.generator.now = max(dates)


def render_deferred(pelican) -> None:
    """Pages queued for rendering on every core; before pelican-sitemap lists them."""
    writers, IncrementalWriter.instances = IncrementalWriter.instances, []
    for writer in writers:
        writer.flush()


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(fix_sitemap_clock)
    signals.finalized.connect(render_deferred)
    signals.get_writer.connect(get_writer)
    signals.readers_init.connect(cache_readers)
    signals.article_generator_pretaxonomy.connect(note_next_due)
    signals.page_generator_finalized.connect(close_read_cache)
    published.connect(save_state)
