"""Front-matter: reads every post's header (``Key: value`` or YAML) and checks each field.

Settings (defaults in brackets):
  FRONT_MATTER_REQUIRED      fields each kind of content must have
                             [{"article": ["title", "date", "unit", "category"], "page": ["title"]}]
  FRONT_MATTER_EXTRA_FIELDS  more field names other plugins or templates use [[]]
Dates are read day-first in TIMEZONE (see dates.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from plugins.portal_core.failure import fail

from .reader import CORE_FIELDS, PortalMarkdownReader

logger = logging.getLogger(__name__)

DEFAULT_REQUIRED = {"article": ["title", "date", "unit", "category"], "page": ["title"]}


def check_settings(pelican) -> None:
    settings = pelican.settings
    required = settings.setdefault("FRONT_MATTER_REQUIRED", DEFAULT_REQUIRED)
    extra = settings.setdefault("FRONT_MATTER_EXTRA_FIELDS", [])
    if not isinstance(required, dict) or set(required) - {"article", "page"}:
        fail('pelicanconf.py: FRONT_MATTER_REQUIRED must be {"article": [...], "page": [...]}.')
    known = CORE_FIELDS | {str(f).lower() for f in extra}
    unknown = sorted({f for fields in required.values() for f in fields} - known)
    if unknown:
        fail(f"pelicanconf.py: FRONT_MATTER_REQUIRED names unknown fields: {', '.join(unknown)}.")
    if settings.get("TIMEZONE") != "Asia/Ho_Chi_Minh":
        fail("pelicanconf.py: TIMEZONE must be Asia/Ho_Chi_Minh; editors' dates are local times.")


def warn_unread_files(generators) -> None:
    """A post saved as .txt or .docx would silently never appear: say so."""
    settings = generators[0].settings
    content = Path(settings["PATH"])
    readable = set(PortalMarkdownReader.file_extensions)
    static_roots = [content / p for p in settings.get("STATIC_PATHS", [])]
    for folder in [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]:
        for path in sorted((content / folder).rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            if path.suffix.lstrip(".").lower() in readable:
                continue
            if any(root in path.parents for root in static_roots):
                continue
            logger.warning(
                "%s: tệp này không phải bài viết Markdown (.md) nên không được đăng; "
                "nếu là bài viết, hãy lưu lại với đuôi .md",
                path.relative_to(content.parent).as_posix(),
            )


def add_reader(readers) -> None:
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(warn_unread_files)
