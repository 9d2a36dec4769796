"""What every importer produces: one :class:`SourceArticle` per old article, plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class ImportStop(Exception):
    """The import cannot go on (bad input); nothing has been written.

    ``where`` names the file and, when known, the line or item; ``hint`` says how to fix it.
    """

    def __init__(self, message: str, where: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\n  → {self.hint}" if self.hint else text


@dataclass
class PhotoRef:
    """A photo the old portal shows: where the file is (or was) and what it shows."""

    file: str  # absolute path on disk, or "" when only a remote URL is known
    url: str = ""  # the address the old portal used, for messages
    alt: str = ""


@dataclass
class SourceArticle:
    source: str  # "nukeviet", "wordpress", "pages"
    old_id: str
    title: str
    date: dt.datetime
    body_html: str
    modified: dt.datetime | None = None
    summary_html: str = ""
    alias: str = ""
    author: str = ""
    source_name: str = ""
    source_url: str = ""
    categories: list[str] = field(default_factory=list)  # old names, primary first
    tags: list[str] = field(default_factory=list)
    cover: PhotoRef | None = None
    status: str = "published"  # published, draft, scheduled, expired
    old_urls: list[str] = field(default_factory=list)
    views: int = 0
    where: str = ""  # file and line or item, for messages
    # URL path prefix of the old site's photos -> the local folder holding those files
    photo_dirs: dict[str, str] = field(default_factory=dict)


@dataclass
class SourceData:
    """Everything one importer read: articles, the old portal's total, what it skipped."""

    articles: list[SourceArticle]
    total_visits: int | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    notes: list[str] = field(default_factory=list)
