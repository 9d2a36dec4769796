"""What the reader made of each source file, keyed by the file's bytes and everything else
the reader depends on (settings, registries, plugin code, library versions).

A hit gives back the HTML, the metadata, and the problems and log lines the reader
reported for that file, so a broken post fails every build, cached or not. Entries
live in one SQLite file (``portal_core.diskmemo``); the settings are stored as a
reference and joined to this build's own on the way back.

Pure: no Pelican imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugins.portal_core.diskmemo import DiskMemo


@dataclass
class ReadResult:
    content: str
    metadata: dict[str, Any]
    problems: list[Any] = field(default_factory=list)  # portal_core Problem objects
    log_lines: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, text


class ReadCache(DiskMemo):
    """``get(key)`` / ``put(key, result)`` of :class:`ReadResult`; ``close()`` commits."""

    def __init__(self, path: Path, shared: dict[str, Any]) -> None:
        super().__init__(path, shared, table="reads")

    def decode(self, blob: bytes) -> ReadResult | None:
        value = super().decode(blob)
        return value if isinstance(value, ReadResult) else None
