"""Front-matter: reads every post's header (``Key: value`` or YAML) and checks each field.

Settings: docs/settings.md. Dates are read day-first in TIMEZONE (see dates.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from plugins.portal_core.failure import fail
from plugins.portal_core.settings import Option, Plugin, Settings, strings

from .reader import CORE_FIELDS, PortalMarkdownReader

logger = logging.getLogger(__name__)


def _required_ok(value, settings) -> bool:
    return isinstance(value, dict) and not set(value) - {"article", "page"}


class FrontMatter(Plugin):
    """Front-matter: every post's header read and each field checked."""

    settings = Settings(
        FRONT_MATTER_REQUIRED=Option(
            {"article": ["title", "date", "unit", "category"], "page": ["title"]},
            "fields each kind of content must have",
            '{"article": [...], "page": [...]}',
            _required_ok,
        ),
        FRONT_MATTER_EXTRA_FIELDS=strings([], "more field names other plugins or templates use"),
    )

    def initialized(self, pelican) -> None:
        super().initialized(pelican)
        settings = pelican.settings
        required = settings["FRONT_MATTER_REQUIRED"]
        known = CORE_FIELDS | {str(f).lower() for f in settings["FRONT_MATTER_EXTRA_FIELDS"]}
        unknown = sorted({f for fields in required.values() for f in fields} - known)
        if unknown:
            fail(
                f"pelicanconf.py: FRONT_MATTER_REQUIRED names unknown fields: {', '.join(unknown)}."
            )
        if settings.get("TIMEZONE") != "Asia/Ho_Chi_Minh":
            fail(
                "pelicanconf.py: TIMEZONE must be Asia/Ho_Chi_Minh; editors' dates are local times."
            )

    def readers_init(self, readers) -> None:
        for extension in PortalMarkdownReader.file_extensions:
            readers.reader_classes[extension] = PortalMarkdownReader

    def all_generators_finalized(self, generators) -> None:
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


register = FrontMatter.register
