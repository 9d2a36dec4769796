"""Run Pagefind (the binary shipped by the ``pagefind[extended]`` wheel) over a built site.

One run of the Pagefind command-line binary indexes everything: no service, no round
trip per record. The steps:

1. find the pages Pagefind indexes (those whose HTML has ``data-pagefind-body``) and
   hash them;
2. write each folded twin (``folding.FoldedRecord``) as a small HTML page; its path
   gives Pagefind the twin's URL: ``2023/09/slug/#khong-dau/index.html`` is indexed as
   ``/2023/09/slug/#khong-dau/``, which the search page strips at ``#``;
3. the fingerprint of the index's inputs: every page's path and bytes, every twin's,
   the Pagefind binary and version, the options. If it equals the one recorded for the
   last build into the same output, and that output's bundle still has the bytes
   recorded then, the bundle is hard-linked (or copied) from there: nothing to index;
4. otherwise hard-link the pages and the twins into a temporary folder inside the
   staging folder (nothing else: Pagefind reads only what it indexes, and the twins
   never reach the published site), run Pagefind once on it, make the bundle's file
   names stable (``bundle.normalize``) and record the fingerprint and the bundle.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import bundle as bundle_files
from .folding import FoldedRecord

#: Change when the twins' HTML, the fingerprint or the normalisation changes: the
#: bundles recorded before are then never reused.
FORMAT = "search-index-2"
BODY_MARK = b"data-pagefind-body"
TWIN_PAGE = "index.html"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # HTML pages Pagefind indexed (those with data-pagefind-body)
    records: int  # folded records added
    reused: bool = False  # the previous build's bundle was reused: Pagefind did not run
    stable: bool = True  # the bundle's file names were made stable (bundle.normalize)


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


def indexed_pages(site: Path, skip: Sequence[str] = ()) -> dict[str, str]:
    """Relative path → SHA-256 of every HTML page of ``site`` that marks its body.

    The theme writes ``data-pagefind-body`` in lower case; a page that writes it in
    another case is found too (lower-casing costs only for pages without the mark).
    Folders named in ``skip`` (the bundle) are not walked.
    """
    found: dict[str, str] = {}
    skip_paths = {os.path.join(str(site), s) for s in skip}
    stack = [str(site)]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path not in skip_paths:
                        stack.append(entry.path)
                elif entry.name.endswith(".html") and entry.is_file():
                    with open(entry.path, "rb") as handle:
                        data = handle.read()
                    if BODY_MARK in data or BODY_MARK in data.lower():
                        rel = os.path.relpath(entry.path, site).replace(os.sep, "/")
                        found[rel] = hashlib.sha256(data).hexdigest()
    return dict(sorted(found.items()))


def twin_path(record: FoldedRecord) -> str:
    """Where a twin's page goes in the folder Pagefind indexes; gives its URL."""
    rel = record.url.lstrip("/")
    parts = rel.split("/")
    if not rel or rel.startswith("/") or ".." in parts or "\\" in rel:
        raise SearchIndexError(f"địa chỉ bản không dấu không hợp lệ: {record.url!r}")
    return f"{rel.rstrip('/')}/{TWIN_PAGE}"


def twin_html(record: FoldedRecord, language: str) -> str:
    """A folded twin as a page: its words, and its metadata and filters as attributes."""
    attr = html.escape
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{attr(language)}"><head><meta charset="utf-8"><title></title></head>',
        "<body><main data-pagefind-body>",
    ]
    for key, value in record.meta.items():
        lines.append(f'<meta data-pagefind-meta="{attr(key)}[content]" content="{attr(value)}">')
    for key, values in record.filters.items():
        for value in values:
            lines.append(
                f'<meta data-pagefind-filter="{attr(key)}[content]" content="{attr(value)}">'
            )
    lines += [f"<p>{attr(record.content, quote=False)}</p>", "</main></body></html>", ""]
    return "\n".join(lines)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _file_digests(folder: Path) -> dict[str, str]:
    return {rel: hashlib.sha256((folder / rel).read_bytes()).hexdigest() for rel in _files(folder)}


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _cache_file(cache_dir: Path, previous_output: Path) -> Path:
    """One record per output folder, so that builds into different folders do not mix."""
    key = hashlib.sha256(str(previous_output.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"index-{key}.json"


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


def _reuse(record: dict | None, fingerprint: str, previous: Path | None, target: Path) -> bool:
    """Link the previous bundle into ``target`` if it is exactly the one recorded."""
    if not record or record.get("fingerprint") != fingerprint or previous is None:
        return False
    files = record.get("bundle")
    if not isinstance(files, dict) or not files or not previous.is_dir():
        return False
    try:
        for rel in files:
            _link_or_copy(previous / rel, target / rel)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    # Checked after linking (a link shares the bytes): a bundle changed since it was
    # recorded, or a file added or removed, is never reused.
    if _file_digests(target) != files or _files(previous) != sorted(files):
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def build_index(
    site: str | Path,
    records: Sequence[FoldedRecord],
    bundle_dir: str = "pagefind",
    language: str = "vi",
    *,
    cache_dir: str | Path | None = None,
    previous_output: str | Path | None = None,
) -> IndexReport:
    """Index every page of ``site`` that has ``data-pagefind-body`` plus ``records``.

    Writes the search bundle to ``site/bundle_dir``. With ``cache_dir``, the fingerprint
    of the inputs and the bundle's digests are kept there, and a later build whose inputs
    are the same reuses ``previous_output/bundle_dir`` (the live site, before the swap)
    instead of running Pagefind. Raises SearchIndexError with Pagefind's own message
    when it fails.
    """
    site = Path(site).resolve()
    target = site / bundle_dir
    binary = pagefind_binary()
    options = ["--force-language", language]
    pages = indexed_pages(site, skip=[bundle_dir])
    twins: dict[str, str] = {}
    for record in records:
        path = twin_path(record)
        if path in twins or path in pages:
            raise SearchIndexError(f"hai bản ghi tìm kiếm cùng địa chỉ {record.url!r}")
        twins[path] = twin_html(record, language)

    digest = hashlib.sha256()
    for part in (FORMAT, str(binary), pagefind_version(binary), bundle_dir, *options):
        digest.update(part.encode() + b"\0")
    for rel, sha in pages.items():
        digest.update(f"page\0{rel}\0{sha}\0".encode())
    for rel in sorted(twins):
        sha = hashlib.sha256(twins[rel].encode("utf-8")).hexdigest()
        digest.update(f"twin\0{rel}\0{sha}\0".encode())
    fingerprint = digest.hexdigest()

    # The bundle folder belongs to this plugin: whatever is there (a copy of the last
    # build's, hard links) is replaced, never written through.
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    cache_file = None
    previous = None
    if cache_dir is not None and previous_output is not None:
        cache_file = _cache_file(Path(cache_dir), Path(previous_output))
        previous = Path(previous_output) / bundle_dir
        if _reuse(_read_record(cache_file), fingerprint, previous, target):
            return IndexReport(pages=len(pages), records=len(records), reused=True)

    root = Path(tempfile.mkdtemp(prefix=".search-index-", dir=site))
    try:
        for rel in pages:
            _link_or_copy(site / rel, root / rel)
        for rel, text in twins.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        command = [str(binary), "--site", str(root), "--output-path", str(target), *options]
        try:
            done = subprocess.run(
                [*command, "--quiet"],
                cwd=root,  # no pagefind.yml/toml/json from the caller's folder
                env=_environment(),
                capture_output=True,
                text=True,
                timeout=3600,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SearchIndexError(f"{type(exc).__name__}: {exc}") from exc
        if done.returncode != 0:
            message = (done.stderr.strip() or done.stdout.strip()).splitlines()[-20:]
            raise SearchIndexError(f"exit {done.returncode}: " + " | ".join(message))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    stable = bundle_files.normalize(target)

    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "format": FORMAT,
            "fingerprint": fingerprint,
            "output": str(Path(previous_output).resolve()),
            "bundle": _file_digests(target),
        }
        if not stable:  # names vary: reuse still works, but say why builds differ
            record["unstable"] = True
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=cache_file.name + ".")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=0, sort_keys=True)
        os.replace(tmp, cache_file)
        _prune(cache_file.parent, keep=cache_file)
    return IndexReport(pages=len(pages), records=len(records), stable=stable)
