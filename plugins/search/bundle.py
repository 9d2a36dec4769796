"""Make a Pagefind bundle byte-identical between two runs on the same pages (pure code).

Why Pagefind's output varies: it collects each filter's values in a hash map whose
seed is random per process (``filter_map`` in Pagefind's ``index/mod.rs``, "TODO:
Change filter indexes to BTree to give them a stable hash"), and writes the values,
and the list of filters in the ``.pf_meta`` file, in that map's order. The words,
fragments and page numbers are already stable (pages are numbered in a sorted order).
So the filter files (``filter/<lang>_<hash>.pf_filter``), whose names are hashes of
their bytes, the meta file that names them (``pagefind.<lang>_<hash>.pf_meta``) and
``pagefind-entry.json`` that names the meta file change on every run.

:func:`normalize` sorts each filter's values and the meta file's filter list, names
the rewritten files after a hash of their new bytes (so browsers' caches still see a
new name whenever the content changes) and updates the entry file. Pagefind's search
code looks values and filters up by name, so order does not change any result.

It also cuts the word index into chunks again (``index/<lang>_<hash>.pf_index``, the
files a search fetches one per query word): Pagefind 1.5.2 sizes a chunk by the word
positions it holds but counts only the positions of words written without marks, not
those of their forms with marks (``chunk_index`` in its ``index/mod.rs``; counted since
its pull request #1316, not released yet). Nearly every Vietnamese word has marks, so its
chunks grew to 100-450 KB, which each query word fetches from every bundle. The chunks are
cut again counting every position, at Pagefind's own size (``CHUNK_SIZE``), and their
ranges worked out as Pagefind does (``chunk_meta``): re-cut by Pagefind's own count, they
must give back its ranges, or the bundle is left as it is.

The files are gzip-compressed ``pagefind_dcd`` + CBOR (read and written with ``cbor2``);
every file is decoded and encoded again first, and left untouched unless that gives back
its exact bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
#: word positions per index chunk (Pagefind's ``default_index_chunk_size``)
CHUNK_SIZE = 20000


class BundleFormatError(ValueError):
    """The bundle is not in the format this module knows; it is left as Pagefind wrote it."""


# -- the files ----------------------------------------------------------------------------


def read_file(path: Path):
    """The CBOR value of a Pagefind ``.pf_*`` file; checks that it encodes back the same."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name}: no {SIGNATURE.decode()} signature")
    body = raw[len(SIGNATURE) :]
    try:
        value = cbor2.loads(body)
        same = cbor2.dumps(value) == body
    except (cbor2.CBORError, ValueError, TypeError) as exc:
        raise BundleFormatError(f"{path.name}: {exc}") from exc
    if not same:
        raise BundleFormatError(f"{path.name}: does not encode back to the same bytes")
    return value


def pack(value) -> bytes:
    """A ``.pf_*`` file's bytes; gzip with no time stamp or name, so the same bytes each run."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _short_hash(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def _unique_name(lang: str, data: bytes, names: set[str]) -> str:
    """``<lang>_<7 hex digits of the bytes' hash>``, longer if taken in ``names`` (kept)."""
    length = 7
    while (name := f"{lang}_{_short_hash(data, length)}") in names:
        length += 1
    names.add(name)
    return name


# -- the bundle ----------------------------------------------------------------------------


def normalize(bundle: str | Path) -> bool:
    """Rewrite the order-dependent files of a Pagefind bundle in a stable order.

    Returns False (and changes nothing) when the bundle has a layout this code does
    not know, e.g. after a Pagefind upgrade; raises nothing in that case.
    """
    bundle = Path(bundle)
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry_text = entry_path.read_text(encoding="utf-8")
        entry = json.loads(entry_text)
        plans = [_plan_language(bundle, info["hash"]) for info in entry["languages"].values()]
    except (OSError, KeyError, TypeError, ValueError, IndexError):  # BundleFormatError too
        return False
    for old_meta, new_meta, writes, removals in plans:
        for path, data in writes:
            path.write_bytes(data)
        for path in removals:
            path.unlink()
        entry_text = entry_text.replace(f'"{old_meta}"', f'"{new_meta}"')
    entry_path.write_text(entry_text, encoding="utf-8")
    return True


def _plan_language(bundle: Path, meta_hash: str):
    """(old meta hash, new meta hash, files to write, files to remove) for one language."""
    lang = meta_hash.rsplit("_", 1)[0]
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_file(meta_path)
    filters = meta[3]  # [version, pages, index chunks, filters: [[name, hash]...], ...]
    if not isinstance(filters, list) or not all(
        isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f) for f in filters
    ):
        raise BundleFormatError("unexpected filter list in the meta file")
    writes: list[tuple[Path, bytes]] = []
    removals: list[Path] = []
    renamed: list[list[str]] = []
    names: set[str] = set()
    for name, old_hash in sorted(filters):
        path = bundle / "filter" / f"{old_hash}.pf_filter"
        value = read_file(path)
        if not (isinstance(value, list) and len(value) == 2 and value[0] == name):
            raise BundleFormatError(f"unexpected content in {path.name}")
        value[1] = sorted(value[1], key=lambda item: item[0])  # [[value, [pages]]...]
        data = pack(value)
        new_hash = _unique_name(lang, data, names)
        renamed.append([name, new_hash])
        writes.append((bundle / "filter" / f"{new_hash}.pf_filter", data))
        if new_hash != old_hash:
            removals.append(path)
    meta[3] = renamed
    index_writes, index_removals = _rechunk(bundle, lang, meta)
    writes += index_writes
    removals += index_removals
    data = pack(meta)
    new_meta = f"{lang}_{_short_hash(data, 10)}"
    writes.append((bundle / f"pagefind.{new_meta}.pf_meta", data))
    if new_meta != meta_hash:
        removals.append(meta_path)
    # A new name may equal an old one still to be removed: never remove what is written.
    written = {path for path, _ in writes}
    return meta_hash, new_meta, writes, [p for p in removals if p not in written]


def _word_size(word: list, variants: bool) -> int:
    """Pagefind's size of a word entry ``[word, pages, variants]``: a page counts its
    positions, its metadata positions and one; with ``variants``, those of its forms
    with marks too (``[form, pages]``)."""
    pages = itertools.chain(word[1], *(v[1] for v in word[2])) if variants else word[1]
    return sum(len(page[1]) + len(page[2]) + 1 for page in pages)


def _cut(words: list, variants: bool) -> list[range]:
    """Pagefind's ``chunk_index``: words in order, a chunk closed once it reaches
    ``CHUNK_SIZE``; each chunk as the range of its words' places in ``words``."""
    spans, start, size = [], 0, 0
    for end, word in enumerate(words, 1):
        size += _word_size(word, variants)
        if size >= CHUNK_SIZE:
            spans.append(range(start, end))
            start, size = end, 0
    if start < len(words):
        spans.append(range(start, len(words)))
    return spans


def _ranges(words: list, spans: list[range]) -> list[list[str]]:
    """Pagefind's ``chunk_meta``: each chunk's first and last word, trimmed against its
    neighbours to the shortest prefixes that still tell them apart."""
    ranges = [[words[span[0]][0], words[span[-1]][0]] for span in spans]
    for first, second in itertools.pairwise(ranges):
        a, b = first[1], second[0]
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        if a[: common + 1] >= first[0]:
            first[1] = a[: common + 1]
        second[0] = b[: common + 1]
    return ranges


def _array_head(length: int) -> bytes:
    """The head of a CBOR array of ``length`` items (major type 4, shortest form)."""
    if length < 24:
        return bytes([0x80 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([0x80 | info]) + length.to_bytes(size, "big")
    raise BundleFormatError("CBOR array too long")


def _read_array_head(data: bytes, pos: int) -> tuple[int, int]:
    """(length, where its items start) of the CBOR array whose head is at ``pos``."""
    head = data[pos]
    if head >> 5 != 4:
        raise BundleFormatError("a CBOR array was expected")
    info = head & 31
    if info < 24:
        return info, pos + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise BundleFormatError("a CBOR array of definite length was expected")
    return int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size


def _index_words(path: Path) -> tuple[list, list[bytes]]:
    """The word entries of an index chunk (``[[word, ...]]``) and the bytes of each, as
    written: a chunk cut again is made of those bytes, never encoded again."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name}: no {SIGNATURE.decode()} signature")
    body = raw[len(SIGNATURE) :]
    stream = io.BytesIO(body)
    decoder = cbor2.CBORDecoder(stream)
    words, pieces = [], []
    try:
        if body[:1] != b"\x81":  # an array of one item
            raise BundleFormatError(f"{path.name}: not one list of words")
        count, start = _read_array_head(body, 1)
        stream.seek(start)
        for _ in range(count):
            words.append(decoder.decode())
            end = stream.tell()
            pieces.append(body[start:end])
            start = end
    except (cbor2.CBORError, ValueError, TypeError, IndexError) as exc:
        raise BundleFormatError(f"{path.name}: {exc}") from exc
    if start != len(body):
        raise BundleFormatError(f"{path.name}: bytes after the list of words")
    return words, pieces


def _rechunk(bundle: Path, lang: str, meta: list) -> tuple[list, list]:
    """(files to write, files to remove): the word index cut again counting every form."""
    chunks = meta[2]  # [[from, to, hash]...]
    if not isinstance(chunks, list) or not all(
        isinstance(c, list) and len(c) == 3 and all(isinstance(x, str) for x in c) for c in chunks
    ):
        raise BundleFormatError("unexpected index chunk list in the meta file")
    words: list = []
    pieces: list[bytes] = []
    for _from, _to, chunk_hash in chunks:
        found, found_pieces = _index_words(bundle / "index" / f"{chunk_hash}.pf_index")
        words += found
        pieces += found_pieces
    if not all(
        isinstance(w, list) and len(w) == 3 and isinstance(w[0], str) and isinstance(w[2], list)
        for w in words
    ) or [w[0] for w in words] != sorted(w[0] for w in words):
        raise BundleFormatError("unexpected word entries in the index")
    if not words:
        return [], []
    ranges = [c[:2] for c in chunks]
    cut = _cut(words, variants=True)
    cut_ranges = _ranges(words, cut)
    if cut_ranges == ranges:
        return [], []  # cut already (normalize run twice)
    if _ranges(words, _cut(words, variants=False)) != ranges:
        raise BundleFormatError("Pagefind's index chunks are not cut as this module cuts them")
    writes, names, new_chunks = [], set(), []
    for (first, last), span in zip(cut_ranges, cut, strict=True):
        body = b"\x81" + _array_head(len(span)) + b"".join(pieces[i] for i in span)
        # level 6: a third of level 9's time, 1 % more bytes (a build indexing one year
        # waits for this)
        data = gzip.compress(SIGNATURE + body, compresslevel=6, mtime=0)
        new_hash = _unique_name(lang, data, names)
        new_chunks.append([first, last, new_hash])
        writes.append((bundle / "index" / f"{new_hash}.pf_index", data))
    meta[2] = new_chunks
    removals = [bundle / "index" / f"{c[2]}.pf_index" for c in chunks if c[2] not in names]
    return writes, removals
