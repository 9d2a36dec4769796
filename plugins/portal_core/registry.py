"""Registries of named things editors refer to by name, and the taxonomies built on them.

An editor may write the slug, the full name, the short name or an alias; matching
ignores case and extra spaces but never diacritics, so a near miss becomes an error
with a suggestion rather than a silent guess. A :class:`Taxonomy` declares one kind of
such name (units, categories, document types, issuers, fields): which registry file,
which front-matter field, and the words of its "not found" message.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import problems as problem_log
from .memberlist import MemberList
from .text import closest, nfc
from .yamlfile import YamlFileError, line_of_key, load_yaml, read_text

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RegistryEntry:
    slug: str
    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    order: int = 0
    line: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.slug, self.name, self.short_name, *self.aliases) if n)


@dataclass(frozen=True)
class RegistryProblem:
    path: str
    message: str
    line: int | None = None
    hint: str = ""


def _key(value: str) -> str:
    return " ".join(nfc(value).casefold().split())


class Registry:
    """Entries by slug, with lookup by any of their names."""

    def __init__(self, entries: list[RegistryEntry], label: str) -> None:
        self.label = label
        self.entries = sorted(entries, key=lambda e: (e.order, e.name))
        self.by_slug = {e.slug: e for e in self.entries}
        self._by_name: dict[str, RegistryEntry] = {}
        for entry in self.entries:
            for name in entry.names():
                self._by_name.setdefault(_key(name), entry)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def resolve(self, value: str) -> RegistryEntry | None:
        return self._by_name.get(_key(value))

    def suggest(self, value: str) -> str | None:
        names = [n for e in self.entries for n in (e.name, e.short_name, *e.aliases) if n]
        found = closest(value, names)
        if not found:
            return None
        return self.resolve(found[0]).name


#: every registry file read in this process, by absolute path, with its text: reading a post
#: depends on them (names are resolved against them), so the post store's key does too
_loaded: dict[str, str] = {}


def loaded_files() -> dict[str, str]:
    """The registry files read so far (absolute path → text; "" for one that is missing)."""
    return dict(_loaded)


def load_entries(
    path: str, top_key: str, label: str, extra_fields: tuple[str, ...] = ()
) -> tuple[list[RegistryEntry], list[RegistryProblem]]:
    """Read a registry file; every problem found is returned, none raised."""
    problems: list[RegistryProblem] = []
    _loaded[os.path.abspath(path)] = ""
    try:
        text = read_text(path)
        _loaded[os.path.abspath(path)] = text
        data = load_yaml(path, text)
    except YamlFileError as exc:
        return [], [RegistryProblem(path, exc.message, exc.line)]
    items = data.get(top_key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        return [], [
            RegistryProblem(
                path,
                f"tệp cần có danh sách '{top_key}:' gồm các {label}",
                hint=f"xem ví dụ ở đầu tệp; mỗi {label} là một mục bắt đầu bằng '- slug:'",
            )
        ]
    entries: list[RegistryEntry] = []
    seen_names: dict[str, str] = {}
    search_from = 0
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(
                RegistryProblem(path, f"mục thứ {index} không đúng dạng 'tên: giá trị'")
            )
            continue
        slug = str(item.get("slug") or "").strip()
        line = line_of_key(text, "slug", search_from) if slug else None
        if line:
            search_from = line
        name = str(item.get("name") or "").strip()
        where = f"{label} '{slug or name or index}'"
        if not slug or not SLUG_RE.match(slug):
            problems.append(
                RegistryProblem(
                    path,
                    f"{where}: slug '{slug}' không hợp lệ",
                    line,
                    "slug chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ: van-phong",
                )
            )
            continue
        if not name:
            problems.append(RegistryProblem(path, f"{where}: thiếu 'name' (tên đầy đủ)", line))
            continue
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        try:
            order = int(item.get("order") or 0)
        except (TypeError, ValueError):
            problems.append(RegistryProblem(path, f"{where}: 'order' phải là một số", line))
            order = 0
        entry = RegistryEntry(
            slug=slug,
            name=name,
            short_name=str(item.get("short_name") or "").strip(),
            aliases=tuple(str(a).strip() for a in aliases if str(a).strip()),
            order=order,
            line=line,
            extra={k: item.get(k) for k in extra_fields},
        )
        for other in entry.names():
            owner = seen_names.get(_key(other))
            if owner and owner != slug:
                problems.append(
                    RegistryProblem(
                        path,
                        f"{where}: tên '{other}' đã được dùng cho {label} '{owner}'",
                        line,
                        "mỗi tên, tên viết tắt và tên khác chỉ được thuộc về một mục",
                    )
                )
            seen_names.setdefault(_key(other), slug)
        entries.append(entry)
    return entries, problems


@dataclass(eq=False)
class Taxonomy:
    """One registry-backed classification, in the spirit of Nikola's ``Taxonomy``.

    A declaration says where the registry file is (a setting, relative to ``PATH``), what
    it holds and how a miss is worded; the taxonomy loads the file for the build, reports
    its problems with file, line and field, and turns what an editor wrote into the
    canonical entry (and, through ``make``, into the object templates see).
    """

    key: str  # the front-matter field it reads, and the field its misses name
    label: str  # what one entry is called in messages: "đơn vị"
    setting: str  # the setting naming the registry file
    top_key: str  # the list in that file
    extra_fields: tuple[str, ...] = ()
    problem_field: str = ""  # the field problems in the file name; the list key if empty
    #: a miss, and its hint with or without a close name ({value}, {label}, {suggestion},
    #: {file}: the registry file as editors see it, {names}: its first names)
    unknown: str = 'không có {label} "{value}"'
    did_you_mean: str = 'có phải là "{suggestion}"? Tên phải đúng như trong {file}'
    no_match: str = "dùng tên hoặc slug của một mục trong {file} ({names}…)"
    #: how to read the file, when more than ``read_entries`` (units check their tree)
    read: Callable[[str], tuple[Registry, list[RegistryProblem]]] | None = None
    make: Callable[[RegistryEntry, Any], Any] | None = None  # (entry, settings) → object
    registry: Registry | None = None  # the build's, once loaded; empty before
    shown: str = ""  # the registry file as editors see it, once loaded

    def __post_init__(self) -> None:
        if self.registry is None:
            self.registry = Registry([], self.label)

    def read_entries(self, path: str) -> tuple[Registry, list[RegistryProblem]]:
        """The registry in ``path`` and every problem found in it."""
        entries, found = load_entries(path, self.top_key, self.label, self.extra_fields)
        return Registry(entries, self.label), found

    def load(self, settings: dict) -> list[RegistryProblem]:
        """Read the build's registry file; its problems go to the build's problem log."""
        path = os.path.join(settings["PATH"], settings[self.setting])
        self.registry, found = (self.read or self.read_entries)(path)
        self.shown = os.path.relpath(path, os.path.dirname(os.path.abspath(settings["PATH"])))
        for problem in found:
            problem_log.current().error(
                self.shown,
                problem.message,
                hint=problem.hint,
                line=problem.line,
                field=self.problem_field or self.top_key,
            )
        return found

    def posts_by_slug(self, posts: Iterable[Any]) -> dict[str, list]:
        """Each entry's posts by slug, in the order given (Nikola's posts per classification);
        each a ``MemberList``: Pelican asks every post whether it is in each category's list."""
        found: dict[str, list] = defaultdict(MemberList)
        for post in posts:
            named = getattr(post, self.key, None)
            if named is not None:
                found[named.slug].append(post)
        return found

    def find(self, value: str, report: Callable[[str, str, str], None]) -> RegistryEntry | None:
        """The entry ``value`` names, or ``None`` once the miss is reported."""
        entry = self.registry.resolve(value)
        if entry is None:
            suggestion = self.registry.suggest(value)
            names = ", ".join(e.name for e in list(self.registry)[:8])
            hint = (self.did_you_mean if suggestion else self.no_match).format(
                suggestion=suggestion, file=self.shown, names=names
            )
            report(self.key, self.unknown.format(label=self.label, value=value), hint)
        return entry

    def resolve(
        self,
        sender: object,
        raw: dict,
        metadata: dict,
        kind: str,
        settings: dict,
        report: Callable[[str, str, str], None],
    ) -> None:
        """``metadata_read`` receiver: the field, spaces folded, becomes ``make``'s object."""
        value = raw.get(self.key)
        if value is None or not str(value).strip():
            return
        entry = self.find(" ".join(str(value).split()), report)
        if entry is not None:
            metadata[self.key] = self.make(entry, settings)
