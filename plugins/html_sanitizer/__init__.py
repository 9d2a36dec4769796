"""Sanitises the HTML of every post and page body and summary; warns naming the file.

It runs on what the reader returns (every reader's ``read`` is wrapped), so the
incremental plugin's reader cache, wrapped around it, keeps sanitised results and the
warnings with them: a post is sanitised once per version of its file, not every build.
"""

from __future__ import annotations

import logging

from plugins.portal_core.failure import fail
from plugins.portal_core.readers import wrap_read
from plugins.portal_core.settings import Plugin

from .sanitize import sanitize

logger = logging.getLogger(__name__)


def clean_read(content: str, metadata: dict, source: str) -> tuple[str, dict]:
    """The reader's body and summary without unsafe HTML; a warning says what went."""
    removed: list[str] = []
    if content:
        content, found = sanitize(content)
        removed += found
    summary = metadata.get("summary")
    if summary:
        metadata["summary"], found = sanitize(summary)
        removed += [f for f in found if f not in removed]
    if removed:
        logger.warning(
            "%s: đã loại bỏ mã HTML không an toàn hoặc không được phép: %s. "
            "Hãy xóa đoạn mã này khỏi bài (cổng không cho phép script, thuộc tính on…, "
            "liên kết javascript:, iframe).",
            metadata.get("source_file") or source,
            ", ".join(removed),
        )
    return content, metadata


def _sanitized_read(self, source_path: str):
    content, metadata = self._unsanitized_read(source_path)
    return clean_read(content, metadata, source_path)


class HtmlSanitizer(Plugin):
    """The sanitiser in front of every reader."""

    def readers_init(self, readers) -> None:
        """After the plugins before this one chose their readers (front_matter's)."""
        wrap_read(readers, "_portal_sanitized", "_unsanitized_read", _sanitized_read)

    def generator_init(self, generator) -> None:
        """A plugin listed after this one that replaces a reader would skip sanitising: stop."""
        readers = getattr(generator, "readers", None)
        for extension, reader_class in getattr(readers, "reader_classes", {}).items():
            if reader_class is not None and not getattr(reader_class, "_portal_sanitized", False):
                fail(
                    f"pelicanconf.py: PLUGINS lists a plugin that replaces the .{extension} "
                    "reader after plugins.html_sanitizer, so posts would not be sanitised. Move "
                    "plugins.html_sanitizer after it (after plugins.front_matter)."
                )


register = HtmlSanitizer.register
