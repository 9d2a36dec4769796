"""Sanitises the HTML of every post and page body and summary; warns naming the file."""

from __future__ import annotations

import logging

from pelican import signals

from .sanitize import sanitize

logger = logging.getLogger(__name__)


def clean_content(instance) -> None:
    source = getattr(instance, "source_file", None) or getattr(instance, "source_path", "?")
    removed: list[str] = []
    if getattr(instance, "_content", None):
        instance._content, found = sanitize(instance._content)
        removed += found
    summary = instance.metadata.get("summary")
    if summary:
        cleaned, found = sanitize(summary)
        instance.metadata["summary"] = cleaned
        if hasattr(instance, "_summary"):
            instance._summary = cleaned
        removed += [f for f in found if f not in removed]
    if removed:
        logger.warning(
            "%s: đã loại bỏ mã HTML không an toàn hoặc không được phép: %s. "
            "Hãy xóa đoạn mã này khỏi bài (cổng không cho phép script, thuộc tính on…, "
            "liên kết javascript:, iframe).",
            source,
            ", ".join(removed),
        )


def register() -> None:
    signals.content_object_init.connect(clean_content)
