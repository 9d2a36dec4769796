"""Run Pagefind (the binary shipped by the ``pagefind[extended]`` wheel) over a built site.

The index is split into bundles (one per year of the posts, one for the other pages;
the caller names each page's bundle), each written by its own run of the Pagefind
command-line binary, one run after the other: Pagefind holds one bundle in memory, not
the whole site. The steps:

1. find the pages Pagefind indexes (those whose HTML has ``data-pagefind-body``) with the
   digest of their bytes, and put each in its bundle. The build engine gives the digest of
   every page it wrote (``portal_core.pages``); whether a page with those bytes has the
   mark is recorded by digest, so only new bytes and pages the engine did not write are
   read;
2. each bundle's fingerprint: its name, its pages' paths and digests, the Pagefind
   binary and version, the options. If it equals the one recorded for the last build
   into the same output, and that output's copy of the bundle still has the files
   recorded then, the bundle is hard-linked (or copied) from there;
3. otherwise hard-link the bundle's pages into a folder beside the staging folder
   (nothing else: Pagefind reads only what it indexes), run Pagefind on it, make the
   bundle's file names stable (``bundle.normalize``) and record its fingerprint and files;
4. write ``bundles.json``, the sorted list of bundles that the search page loads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from plugins.build_guard.staging import remove_in_background
from plugins.portal_core.files import (
    digest_files,
    output_tag,
    relative_files,
    write_atomic,
)
from plugins.portal_core.pages import digest_bytes

from . import bundle as bundle_files

#: Change when the fingerprint or the normalisation changes: the bundles recorded before
#: are then never reused.
FORMAT = "search-index-8"
BODY_MARK = b"data-pagefind-body"
INDEX_PAGE = "index.html"
#: The bundle of pages that ``groups`` does not name (fixed pages, undated ones).
OTHER_BUNDLE = "khac"
#: What a bundle's folder may be called (a year, OTHER_BUNDLE).
BUNDLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
#: In the bundle folder: the list of bundles, read by the search page.
MANIFEST = "bundles.json"
#: Pagefind runs at a time (a build that indexes several bundles: a new post and the
#: pages beside it, a first build); the build's own process mostly waits for them
PARALLEL_RUNS = 2


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # HTML pages Pagefind indexed (those with data-pagefind-body)
    reused: bool = False  # every bundle of the previous build was reused: Pagefind did not run
    stable: bool = True  # the bundles' file names were made stable (bundle.normalize)
    bundles: tuple[str, ...] = ()  # the bundles written (folder names)
    indexed: tuple[str, ...] = ()  # those that Pagefind indexed (the others were reused)


def pagefind_binary() -> Path:
    """The binary the ``pagefind`` Python package would run (the extended wheel's)."""
    from pagefind.service import get_executable  # imported late: only builds that index

    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError(
            "không tìm thấy chương trình Pagefind; cài lại gói pagefind[extended] (make install)"
        )
    return Path(binary).resolve()


def _environment() -> dict[str, str]:
    """The environment without PAGEFIND_* variables, which would change the options."""
    return {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}


def pagefind_version(binary: Path) -> str:
    try:
        done = subprocess.run(
            [str(binary), "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            env=_environment(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SearchIndexError(f"{binary}: {exc}") from exc
    if done.returncode != 0:
        raise SearchIndexError(f"{binary} --version: {done.stderr.strip() or done.returncode}")
    return done.stdout.strip()


def indexed_pages(
    site: Path,
    skip: Sequence[str] = (),
    digests: Mapping[str, str] | None = None,
    marks: Mapping[str, bool] | None = None,
    seen: dict[str, bool] | None = None,
    names: Iterable[str] | None = None,
) -> dict[str, str]:
    """Relative path → digest (``portal_core.pages.digest_bytes``) of every HTML page of
    ``site`` that marks its body.

    The theme writes ``data-pagefind-body`` in lower case; a page that writes it in
    another case is found too (lower-casing costs only for pages without the mark).
    Folders named in ``skip`` (the bundle) are left out. ``names`` are the site's files
    when the build knows them (``portal_core.pages.staged_files``); else the site is
    walked. ``digests`` are the build engine's digests of the pages it wrote, ``marks``
    the last build's ``seen`` (digest → whether those bytes have the mark): a page with
    a digest in both is not read. Every other page is read, and ``seen`` gets the mark
    of every page's digest.
    """
    digests = digests or {}
    marks = marks or {}
    found: dict[str, str] = {}
    root = str(site)
    for rel, path in _html_files(root, skip, names):
        digest = digests.get(rel)
        marked = marks.get(digest) if digest is not None else None
        if marked is None:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:  # not a readable file (a link to nothing, gone): not a page
                continue
            digest = digest or digest_bytes(data)
            marked = _has_body_mark(data)
        if seen is not None:
            seen[digest] = marked
        if marked:
            found[rel] = digest
    return dict(sorted(found.items()))


def _html_files(
    root: str, skip: Sequence[str], names: Iterable[str] | None
) -> Iterator[tuple[str, str]]:
    """(relative name, path) of every ``.html`` file under ``root`` outside ``skip``: of
    ``names`` when given, else of a walk (``portal_core.files.relative_files``)."""
    prefixes = tuple(f"{s.strip('/')}/" for s in skip)
    for rel in relative_files(root) if names is None else names:
        if rel.endswith(".html") and not rel.startswith(prefixes):
            yield rel, f"{root}/{rel}"


def _has_body_mark(data: bytes) -> bool:
    """Whether a page's bytes mark its body for Pagefind (the theme writes the mark in
    lower case: lower-casing costs only for pages without it)."""
    return BODY_MARK in data or BODY_MARK in data.lower()


def _page_bundle(rel: str, groups: Mapping[str, str]) -> str:
    return groups.get(page_url(rel), OTHER_BUNDLE)


def _files(folder: Path) -> list[str]:
    """Every file under ``folder``, relative, in order (os.walk: a bundle has ~2,500)."""
    found = []
    for root, _dirs, names in os.walk(folder):
        rel_root = os.path.relpath(root, folder)
        for name in names:
            if os.path.isfile(os.path.join(root, name)):
                found.append(name if rel_root == "." else f"{rel_root}/{name}".replace(os.sep, "/"))
    return sorted(found)


def _bytes_digest(folder: Path) -> str:
    """One digest of every file's name and bytes (a bundle's ~2,500 digests one by one
    made the record megabytes long, read and written by every build)."""
    return digest_files((rel, folder / rel) for rel in _files(folder))


def _stats_digest(folder: Path, files: Sequence[str]) -> str:
    """One digest of each file's inode, size and modification time: a hard link keeps all
    three; a file replaced or edited changes one of them (unless its time is set back on
    purpose)."""
    h = hashlib.sha256()
    for rel in files:
        status = os.stat(os.path.join(folder, rel))
        h.update(f"{rel}\0{status.st_ino}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return h.hexdigest()


def _cache_file(cache_dir: Path, previous_output: Path) -> Path:
    """One record per output folder, so that builds into different folders do not mix."""
    return cache_dir / f"index-{output_tag(previous_output)}.json"


def _inputs_dir(cache_file: Path) -> Path:
    """Beside an output folder's record: each bundle's input as Pagefind last read it
    (``<bundle>/``: its pages as hard links; ``<bundle>.json``: what each file stands
    for), so the next run of that bundle changes only what changed."""
    return cache_file.with_name(cache_file.name.replace("index-", "inputs-", 1)).with_suffix("")


def _read_record(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _prune(cache_dir: Path, keep: Path) -> None:
    """Forget the records of output folders that no longer exist (tests' temporary ones)."""
    for path in cache_dir.glob("index-*.json"):
        if path == keep:
            continue
        record = _read_record(path)
        output = record.get("output") if record else None
        if not isinstance(output, str) or not os.path.isdir(output):
            path.unlink(missing_ok=True)
            shutil.rmtree(_inputs_dir(path), ignore_errors=True)


def _reuse(record: dict, previous: Path, target: Path) -> bool:
    """Link the previous bundle into ``target`` if it is exactly the one recorded (the
    caller found the record's fingerprint to be this build's)."""
    files = record.get("files")
    if not isinstance(files, list) or not files:
        return False
    # Plain strings and one mkdir per folder: a bundle has ~2,500 files.
    source, staged = str(previous), str(target)
    folders: set[str] = set()
    try:
        for rel in files:
            folder = os.path.dirname(rel)
            if folder not in folders:
                os.makedirs(os.path.join(staged, folder), exist_ok=True)
                folders.add(folder)
            path = os.path.join(staged, rel)
            try:
                os.link(os.path.join(source, rel), path)
            except OSError:
                shutil.copy2(os.path.join(source, rel), path)
        current = _stats_digest(target, files)
    except OSError:  # a file gone from the live bundle
        shutil.rmtree(target, ignore_errors=True)
        return False
    # Checked after linking (a link shares the bytes): a bundle changed since it was
    # recorded is never reused. Each file's inode, size and time tell (recorded when it
    # was written; reading back ~100 MB of bundles cost seconds); when they differ, the
    # bytes do (a bundle restored from a CI cache has other inodes and times, the same
    # bytes), and the record takes the new ones. Only the recorded files are linked, so
    # a file added to the live bundle is not published again.
    if current != record.get("stats"):
        if _bytes_digest(target) != record.get("bytes"):
            shutil.rmtree(target, ignore_errors=True)
            return False
        record["stats"] = current
    return True


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def page_url(rel: str) -> str:
    """The URL Pagefind gives a page of the site: ``a/b/index.html`` → ``/a/b/``."""
    if rel == INDEX_PAGE or rel.endswith("/" + INDEX_PAGE):
        return "/" + rel[: -len(INDEX_PAGE)]
    return "/" + rel


class _Pagefind:
    """One run of Pagefind over ``root`` into ``target``, started in its own process."""

    def __init__(self, binary: Path, root: Path, target: Path, options: Sequence[str]) -> None:
        command = [str(binary), "--site", str(root), "--output-path", str(target), *options]
        # never a pipe: no buffer to fill while we work; closed by wait() or kill()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [*command, "--quiet"],
                cwd=root,  # no pagefind.yml/toml/json from the caller's folder
                env=_environment(),
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            self.log.close()
            raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc

    def wait(self) -> None:
        try:
            code = self.process.wait(timeout=3600)
        except subprocess.TimeoutExpired as exc:
            self.kill()
            raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
        self.log.seek(0)
        output = self.log.read().decode("utf-8", errors="replace")
        self.log.close()
        if code != 0:
            message = output.strip().splitlines()[-20:]
            raise SearchIndexError(f"exit {code}: " + " | ".join(message))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


class IndexRun:
    """Indexing ``site``, started: :meth:`finish` completes it.

    Indexes every page of ``site`` that has ``data-pagefind-body``. ``groups`` maps a
    page's URL (``/2023/09/slug/``) to the name of its bundle (the post's year); a page
    not in ``groups`` goes to :data:`OTHER_BUNDLE`. Each bundle is written by its own
    run of Pagefind to ``site/bundle_dir/<name>/``, and ``site/bundle_dir/bundles.json``
    lists them for the search page. With ``cache_dir``, each bundle's fingerprint and
    digests are kept there, and a bundle whose inputs are the same as in the last
    build reuses ``previous_output/bundle_dir/<name>`` (the live site, before the
    swap) instead of running Pagefind. ``page_digests`` (relative path → digest) are the
    build engine's (``portal_core.pages``): those pages are not read to be fingerprinted;
    ``files`` are the site's files when the build knows them (else it is walked).
    Raises SearchIndexError with Pagefind's own message when it fails.

    Everything that reads the site (its pages, their digests, the previous bundles) is
    done when the run is made; then Pagefind runs in its own process while the caller
    goes on (the build checks its pages meanwhile). Until :meth:`finish`, nothing is
    written inside ``site``: the bundles are made in a folder beside it and moved in at
    the end, so whatever else walks the site meanwhile sees it as it was.
    """

    def __init__(
        self,
        site: str | Path,
        bundle_dir: str = "pagefind",
        language: str = "vi",
        *,
        groups: Mapping[str, str] | None = None,
        cache_dir: str | Path | None = None,
        previous_output: str | Path | None = None,
        page_digests: Mapping[str, str] | None = None,
        linked_previous: str | Path | None = None,
        changed_pages: Iterable[str] = (),
        files: Iterable[str] | None = None,
    ) -> None:
        site = Path(site).resolve()
        self.site = site
        self.bundle_dir = bundle_dir
        self.target = site / bundle_dir
        groups = groups or {}
        for name in {*groups.values(), OTHER_BUNDLE}:
            if not BUNDLE_NAME.fullmatch(name):
                raise SearchIndexError(f"tên gói chỉ mục không hợp lệ: {name!r}")
        self.binary = pagefind_binary()
        self.language = language
        self.options = ["--force-language", language]
        self.cache_file = None
        self.inputs: Path | None = None  # see ``_inputs_dir``
        #: bundle → what each file of its input folder stands for (``_start``)
        self.input_stamps: dict[str, dict[str, str]] = {}
        old: dict | None = None
        if cache_dir is not None and previous_output is not None:
            self.cache_file = _cache_file(Path(cache_dir), Path(previous_output))
            self.inputs = _inputs_dir(self.cache_file)
            old = _read_record(self.cache_file)
            if not old or old.get("format") != FORMAT:
                old = None
        self.old = old
        self.previous_output = previous_output
        self.linked = Path(linked_previous) if linked_previous else None
        marks = old.get("marks") if old and isinstance(old.get("marks"), dict) else None
        self.seen: dict[str, bool] = {}
        self.files = files

        # Beside the site, named so that build_guard removes it if the build is killed
        # (``.<output>.building-<pid>-search-<pid>``); the site's own bundle folder (a
        # copy of the last build's, hard links) is replaced at the end, never written through.
        self.work = site.parent / f"{site.name}-search-{os.getpid()}"
        if self.work.exists():
            shutil.rmtree(self.work)
        self.bundles = self.work / "bundles"
        self.bundles.mkdir(parents=True)
        self.written: dict[str, dict] = {}
        self.to_index: dict[str, str] = {}  # bundle → fingerprint, for Pagefind, in order
        self.waiting: list[str] = []  # of those, the ones not started yet
        self.indexed: list[str] = []
        self.stable = True
        #: Pagefind runs under way, oldest first: two at a time (each its own process)
        self.running: list[tuple[str, _Pagefind]] = []
        #: bundles started before the site was walked: their pages
        self.early: dict[str, dict[str, str]] = {}
        try:
            if marks is not None and page_digests:
                self._start_early(changed_pages, page_digests, marks, groups)
            self._prepare(groups, page_digests, marks, old)
        except BaseException:
            self.abandon()
            raise

    def _prepare(self, groups: Mapping[str, str], page_digests, marks, old) -> None:
        """Every bundle's pages and fingerprint; then each bundle reused or indexed."""
        bundle_dir = self.bundle_dir
        pages = indexed_pages(
            self.site,
            skip=[bundle_dir],
            digests=page_digests,
            marks=marks,
            seen=self.seen,
            names=self.files,
        )
        self.pages = pages
        self.owner = owner = {rel: _page_bundle(rel, groups) for rel in pages}

        common = hashlib.sha256()
        for part in (FORMAT, str(self.binary), pagefind_version(self.binary), bundle_dir):
            common.update(part.encode() + b"\0")
        for part in self.options:
            common.update(part.encode() + b"\0")
        digests: dict[str, hashlib._Hash] = {}
        for name in sorted(set(owner.values())):
            digests[name] = common.copy()
            digests[name].update(f"bundle\0{name}\0".encode())
        for rel, sha in pages.items():
            digests[owner[rel]].update(f"page\0{rel}\0{sha}\0".encode())
        fingerprints = {name: digest.hexdigest() for name, digest in digests.items()}

        old_bundles: dict = {}
        previous = None
        if self.cache_file is not None:
            previous = Path(self.previous_output) / bundle_dir
            if old and isinstance(old.get("bundles"), dict):
                old_bundles = old["bundles"]
        self._reuse_or_start(fingerprints, old_bundles, previous)

    def _start_early(
        self,
        changed_pages: Iterable[str],
        page_digests: Mapping[str, str],
        marks: Mapping[str, bool],
        groups: Mapping[str, str],
    ) -> None:
        """Start Pagefind at once on the bundles of the pages whose bytes changed (a
        post's year), their pages found from the engine's records, before the site is
        walked and every bundle's fingerprint worked out: that runs while Pagefind
        indexes. ``_reuse_or_start`` checks each against what the full preparation finds."""
        names = sorted({groups[url] for url in map(page_url, changed_pages) if url in groups})
        for name in names[:PARALLEL_RUNS]:
            pages: dict[str, str] = {}
            for rel, digest in page_digests.items():
                if not rel.endswith(".html") or _page_bundle(rel, groups) != name:
                    continue
                marked = marks.get(digest)
                if marked is None:
                    try:
                        data = (self.site / rel).read_bytes()
                    except OSError:
                        continue  # not in the site: the walk decides
                    marked = _has_body_mark(data)
                if marked:
                    pages[rel] = digest
            self.early[name] = pages
            self.running.append((name, self._start(name, sorted(pages))))

    def _early_run_holds(self, name: str) -> bool:
        """Whether the run started early on bundle ``name`` (if any) has exactly the
        bundle's pages; one that has not is stopped, to be started again."""
        early = self.early.pop(name, None)
        if early is None:
            return False
        pages = {rel: sha for rel, sha in self.pages.items() if self.owner[rel] == name}
        if early == pages:
            return True
        self._stop(name)
        return False

    def _stop(self, name: str) -> None:
        """Stop the run on bundle ``name`` and clear what it wrote."""
        for run in [run for started, run in self.running if started == name]:
            run.kill()
        self.running = [(started, run) for started, run in self.running if started != name]
        self.input_stamps.pop(name, None)
        shutil.rmtree(self.work / f"site-{name}", ignore_errors=True)
        shutil.rmtree(self.bundles / name, ignore_errors=True)

    def _reuse_or_start(self, fingerprints: dict, old_bundles: dict, previous) -> None:
        """Start Pagefind on the first bundle whose inputs changed, then link the live
        bundles of the others while it runs (one that turns out changed since it was
        recorded is indexed too)."""
        recorded: dict[str, dict] = {}
        for name in set(self.early) - set(fingerprints):  # (no such bundle after all)
            self.early.pop(name)
            self._stop(name)
        for name, fingerprint in fingerprints.items():
            if self._early_run_holds(name):
                self.to_index[name] = fingerprint  # running already
                continue
            entry = old_bundles.get(name)
            if (
                previous is not None
                and isinstance(entry, dict)
                and entry.get("fingerprint") == fingerprint
            ):
                recorded[name] = entry
            else:
                self._index(name, fingerprint)
        for name, entry in recorded.items():
            target = self.bundles / name
            if self._take_linked(name, entry) or _reuse(entry, previous / name, target):
                self.written[name] = entry
                self.stable = self.stable and not entry.get("unstable")
            else:
                self._index(name, fingerprints[name])

    def _take_linked(self, name: str, entry: dict) -> bool:
        """Move in the live bundle ``name`` from ``linked_previous`` (hard links made
        between builds) if its files are exactly those recorded, with the inode, size and
        time each was recorded with; else leave it to ``_reuse``."""
        if self.linked is None or not (self.linked / name).is_dir():
            return False
        target = self.bundles / name
        try:
            os.rename(self.linked / name, target)
            files = sorted(relative_files(str(target)))
            same = files == entry.get("files") and _stats_digest(target, files) == entry.get(
                "stats"
            )
        except OSError:
            same = False
        if not same:
            shutil.rmtree(target, ignore_errors=True)  # links: the live bundle stays
        return same

    def _index(self, name: str, fingerprint: str) -> None:
        """Bundle ``name`` for Pagefind: started at once if fewer than ``PARALLEL_RUNS``
        run."""
        self.to_index[name] = fingerprint
        self.waiting.append(name)
        self._top_up()

    def _top_up(self) -> None:
        while self.waiting and len(self.running) < PARALLEL_RUNS:
            name = self.waiting.pop(0)
            pages = [rel for rel in self.pages if self.owner[rel] == name]
            self.running.append((name, self._start(name, pages)))

    def _start(self, name: str, pages: Iterable[str]) -> _Pagefind:
        """Pagefind started on bundle ``name``'s pages, in a folder of their own: the
        bundle's input as the last run left it (``_inputs_dir``), with the pages that are
        other files now linked again; a first run links them all."""
        root = self.work / f"site-{name}"
        kept = self._take_input(name, root)
        base, site = str(root), str(self.site)
        folders: set[str] = set()
        stamps: dict[str, str] = {}

        def replace(rel: str) -> str:
            """The path of ``rel`` in the folder, free to be written."""
            path = f"{base}/{rel}"
            if rel in kept:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            folder = os.path.dirname(path)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            return path

        for rel in pages:
            source = f"{site}/{rel}"
            inode = os.stat(source).st_ino
            if rel in kept and _inode(f"{base}/{rel}") == inode:
                stamps[rel] = kept[rel]  # the same file: a link to it already
                continue
            path = replace(rel)
            try:
                os.link(source, path)
                stamps[rel] = "page"
            except OSError:
                shutil.copy2(source, path)
                stamps[rel] = "copy"
        for rel in kept.keys() - stamps.keys():  # gone from the bundle
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{base}/{rel}")
        root.mkdir(parents=True, exist_ok=True)
        self.input_stamps[name] = stamps
        return _Pagefind(self.binary, root, self.bundles / name, self.options)

    def _take_input(self, name: str, root: Path) -> dict[str, str]:
        """Move bundle ``name``'s kept input to ``root``: what each file stands for (empty
        when nothing usable is kept). Its record is removed first: a build stopped from
        here on leaves no record of a folder it took."""
        if self.inputs is None:
            return {}
        folder, record = self.inputs / name, self.inputs / f"{name}.json"
        kept = _read_record(record)
        record.unlink(missing_ok=True)
        stamps = kept.get("files") if kept else None
        if (
            not isinstance(stamps, dict)
            or kept.get("format") != FORMAT
            or kept.get("language") != self.language
        ):
            shutil.rmtree(folder, ignore_errors=True)
            return {}
        try:
            os.rename(folder, root)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return {}
        return stamps

    def _keep_input(self, name: str) -> None:
        """Bundle ``name``'s input, which Pagefind has read, kept for its next run."""
        stamps = self.input_stamps.pop(name, None)
        if self.inputs is None or stamps is None:
            return
        folder = self.inputs / name
        record = {"format": FORMAT, "language": self.language, "files": stamps}
        try:
            shutil.rmtree(folder, ignore_errors=True)
            self.inputs.mkdir(parents=True, exist_ok=True)
            os.rename(self.work / f"site-{name}", folder)
            write_atomic(self.inputs / f"{name}.json", json.dumps(record, separators=(",", ":")))
        except OSError:  # (another file system, a full disk): made afresh next time
            return

    def _drop_other_inputs(self) -> None:
        """The kept inputs of bundles this build does not have (a year with no post left)."""
        if self.inputs is None or not self.inputs.is_dir():
            return
        for path in self.inputs.iterdir():
            if path.name.removesuffix(".json") in self.written:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def finish(self) -> IndexReport:
        """Wait for Pagefind (two runs at a time at most: each holds its bundle in
        memory), then move the bundles into the site and record them."""
        try:
            while self.running:
                name, run = self.running[0]
                run.wait()
                self.running.pop(0)
                self._keep_input(name)
                self.indexed.append(name)
                self._top_up()  # the next one runs while this one is read
                self._record(name, self.to_index[name])
            manifest = {"bundles": sorted(self.written)}
            (self.bundles / MANIFEST).write_text(
                json.dumps(manifest, sort_keys=True) + "\n", encoding="utf-8"
            )
            if self.target.is_dir() and not self.target.is_symlink():
                shutil.rmtree(self.target)
            elif self.target.exists() or self.target.is_symlink():
                self.target.unlink()
            self.target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.bundles, self.target)
            if self.previous_output is not None:  # the pages Pagefind read
                remove_in_background(self.work, Path(self.previous_output))
            self._drop_other_inputs()
        finally:
            self.abandon()
        if self.cache_file is not None:
            record = {
                "format": FORMAT,
                "output": str(Path(self.previous_output).resolve()),
                "bundles": self.written,
                "marks": self.seen,
            }
            # compact: json's C encoder
            write_atomic(self.cache_file, json.dumps(record, sort_keys=True, separators=(",", ":")))
            if self.old is None:  # a new output folder (or format): the others are read only then
                _prune(self.cache_file.parent, keep=self.cache_file)
        return IndexReport(
            pages=len(self.pages),
            reused=not self.indexed,
            stable=self.stable,
            bundles=tuple(sorted(self.written)),
            indexed=tuple(self.indexed),
        )

    def _record(self, name: str, fingerprint: str) -> None:
        out = self.bundles / name
        normalized = bundle_files.normalize(out)
        self.stable = self.stable and normalized
        files = _files(out)
        self.written[name] = {
            "fingerprint": fingerprint,
            "files": files,
            "bytes": _bytes_digest(out),
            "stats": _stats_digest(out, files),
        }
        if not normalized:  # names vary: reuse still works, but say why builds differ
            self.written[name]["unstable"] = True

    def abandon(self) -> None:
        """Stop Pagefind if it runs and remove the work folder (a build that stops)."""
        while self.running:
            self.running.pop()[1].kill()
        shutil.rmtree(self.work, ignore_errors=True)


def build_index(site: str | Path, *args, **kwargs) -> IndexReport:
    """``IndexRun(...)`` started and finished at once (tests, benchmarks)."""
    return IndexRun(site, *args, **kwargs).finish()
