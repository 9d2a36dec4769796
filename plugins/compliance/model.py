"""Plain data the checks work on: no Pelican objects, so every check is unit-testable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

SCOPES = ("site", "page", "post", "asset")
LEVELS = ("so", "ubnd_tinh", "bo")


@dataclass
class Doc:
    """One post or page, flattened from Pelican's content object."""

    kind: str  # "article", "page" or "document" (an entry of the register, plugins/documents)
    path: str  # source file as editors see it, e.g. content/posts/2023/a.md
    url: str = ""  # relative to SITEURL, e.g. 2023/09/a/
    save_as: str = ""
    title: str = ""
    date: dt.datetime | None = None
    modified: dt.datetime | None = None
    category: str = ""  # slug
    unit: str = ""  # full name
    author: str = ""
    source_name: str = ""
    source_url: str = ""
    summary: str = ""  # plain text
    content: str = ""  # HTML
    lang: str = "vi"
    status: str = "published"
    image: str = ""
    slug: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # other front-matter, lower-case keys

    def field(self, name: str) -> Any:
        value = self.fields.get(name)
        if isinstance(value, str):
            value = value.strip()
        return value if value not in ("", None, [], {}) else None

    @property
    def sections(self) -> list[str]:
        """The required sections (``Section:``) this page or post declares it fills."""
        value = self.fields.get("section")
        if not value:
            return []
        items = (
            value if isinstance(value, (list, tuple)) else str(value).replace(",", ";").split(";")
        )
        return [str(item).strip() for item in items if str(item).strip()]


@dataclass(frozen=True)
class CategoryInfo:
    slug: str
    name: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class UnitInfo:
    slug: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Config:
    """The compliance settings, with defaults filled in (see ``settings.py``)."""

    pack: str = "43/2011"
    level: str = "so"
    siteurl: str = ""
    identity: dict[str, str] = field(default_factory=dict)
    agency_name: str = ""
    selectors: dict[str, str] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)
    menu_labels: list[str] = field(default_factory=list)
    holidays: frozenset[dt.date] = frozenset()
    news_category: str = "tin-tuc-su-kien"
    news_max_age: int = 7
    page_max_age_days: int = 365
    document_categories: list[str] = field(default_factory=list)
    document_index: str = "api/van-ban.json"  # the register's search data (plugins/documents)
    plan_categories: list[str] = field(default_factory=list)
    law_categories: list[str] = field(default_factory=list)
    consultation_categories: list[str] = field(default_factory=list)
    dc_categories: list[str] | None = None
    official_email_domains: list[str] = field(default_factory=list)
    province_slug: str = ""
    province_portal_url: str = ""
    dvc_hosts: list[str] = field(default_factory=list)
    sitemap_url: str = "so-do-trang/"
    sitemap_xml: str = "sitemap.xml"
    collects: list[str] = field(default_factory=list)
    maintenance: dict[str, Any] | None = None
    moved_urls: dict[str, str] = field(default_factory=dict)
    waivers: dict[str, str] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class Site:
    """Everything the metadata checks see."""

    config: Config
    docs: list[Doc] = field(default_factory=list)
    categories: dict[str, CategoryInfo] = field(default_factory=dict)
    units: list[UnitInfo] = field(default_factory=list)
    previous_manifest: dict[str, dict[str, str]] | None = None

    @property
    def articles(self) -> list[Doc]:
        return [d for d in self.docs if d.kind == "article"]

    @property
    def pages(self) -> list[Doc]:
        return [d for d in self.docs if d.kind == "page"]


@dataclass
class Finding:
    """One rule broken once (or, for template-wide problems, on ``count`` pages)."""

    rule_id: str
    target: str  # a source file, an output URL, or "site"
    detail: str = ""
    url: str = ""
    count: int = 1
    examples: list[str] = field(default_factory=list)
    waived: str = ""  # the written reason, when waived
