"""The Markdown reader: Pelican ``Key: value`` headers and YAML front-matter alike.

It reads every field, records every problem in the build's problem log (with the
file, the line and a fix), and hands a broken file back as ``status: skip`` so the
build can go on reading the rest and report everything at once.
"""

from __future__ import annotations

import os
import re
from typing import Any, ClassVar

from markdown import Markdown
from pelican.contents import Author, Tag
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE, YAMLMetadataReader

from plugins.portal_core import problems
from plugins.portal_core.signals import metadata_read
from plugins.portal_core.text import closest, nfc
from plugins.portal_core.yamlfile import YamlFileError, line_of_key, load_yaml

from . import fields
from .dates import DateError, parse_date

CORE_FIELDS = {
    "title",
    "date",
    "modified",
    "unit",
    "category",
    "tags",
    "summary",
    "slug",
    "image",
    "image_alt",
    "image_caption",
    "author",
    "source",
    "status",
    "template",
    "lang",
    "translation",
}

#: Field names as editors see them in the guide, for messages.
DISPLAY_NAMES = {name: name.replace("_", " ").title().replace(" ", "_") for name in CORE_FIELDS}


class PortalMarkdownReader(YAMLMetadataReader):
    """Reads ``.md`` posts and pages; see the module docstring."""

    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        rel = _relative(source_path, self.settings["PATH"])
        log = problems.current()
        try:
            with open(source_path, encoding="utf-8-sig") as handle:
                text = nfc(handle.read())
        except UnicodeDecodeError:
            log.error(
                rel,
                "tệp không được lưu theo bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi",
                hint="mở tệp và lưu lại với bảng mã UTF-8 (Unicode)",
            )
            return "", {"status": "skip"}

        reporter = _Reporter(rel, log)
        match = HEADER_RE.fullmatch(text)
        if match:
            header = text[: match.start("content")]
            raw = self._yaml_header(match.group("metadata"), reporter, header)
            body = match.group("content")
        else:
            header = text.split("\n\n", 1)[0]
            raw, body = self._key_value_header(text, reporter)
        reporter.header = header

        md = self._body_markdown()
        content = md.reset().convert(body)
        kind = _kind_of(rel, self.settings)
        metadata = self._convert(raw, reporter, kind, md)
        metadata_read.send(
            self,
            raw=raw,
            metadata=metadata,
            kind=kind,
            settings=self.settings,
            report=reporter.report,
        )
        if reporter.failed:
            return "", {"status": "skip"}
        metadata["source_file"] = rel
        return content, metadata

    # -- header parsing -----------------------------------------------------

    def _body_markdown(self) -> Markdown:
        """One Markdown instance per reader: building one costs more than converting a post."""
        if getattr(self, "_portal_md", None) is None:
            self._portal_md = Markdown(**self._markdown_settings())
        return self._portal_md

    def _markdown_settings(self) -> dict[str, Any]:
        md_settings = dict(self.settings["MARKDOWN"])
        md_settings["extensions"] = [
            e for e in md_settings.get("extensions", []) if e != "markdown.extensions.meta"
        ]
        md_settings["extension_configs"] = {
            k: v
            for k, v in md_settings.get("extension_configs", {}).items()
            if k != "markdown.extensions.meta"
        }
        return md_settings

    def _yaml_header(self, text: str, reporter: _Reporter, header: str) -> dict[str, Any]:
        try:
            data = load_yaml(reporter.path, text)
        except YamlFileError as exc:
            line = exc.line + 1 if exc.line else None  # the "---" line comes first
            reporter.report_line(
                line,
                "",
                f"phần đầu YAML có {exc.message}",
                "kiểm tra dấu ':' sau tên trường và đặt giá trị có dấu ':' trong "
                'ngoặc kép, ví dụ: title: "Thông báo: lịch nghỉ Tết"',
            )
            return {}
        if not isinstance(data, dict):
            reporter.report_line(2, "", "phần đầu YAML phải là các dòng dạng 'tên: giá trị'", "")
            return {}
        return {str(k).strip().lower(): v for k, v in data.items() if v is not None}

    def _key_value_header(self, text: str, reporter: _Reporter) -> tuple[dict[str, Any], str]:
        """Pelican's ``Key: value`` header, read as markdown.extensions.meta reads it."""
        lines = text.split("\n")
        header = fields.scan_key_value_header(lines)
        if not header.fields:
            return {}, text
        body_start = header.stop + 1 if header.reason == "blank" else header.stop
        if header.reason == "bad":
            reporter.report_line(
                header.stop + 1,
                "",
                f'dòng "{lines[header.stop].strip()}" trong phần đầu bài không có dạng '
                '"Tên: giá trị"',
                "thêm dấu ':' sau tên trường, hoặc để một dòng trống trước nội dung bài",
            )
        raw = {name: "\n".join(values) for name, values in header.fields.items()}
        return raw, "\n".join(lines[body_start:])

    # -- field conversion ---------------------------------------------------

    def _convert(
        self, raw: dict[str, Any], reporter: _Reporter, kind: str, md: Markdown
    ) -> dict[str, Any]:
        settings = self.settings
        known = CORE_FIELDS | {f.lower() for f in settings.get("FRONT_MATTER_EXTRA_FIELDS", [])}
        required = settings.get("FRONT_MATTER_REQUIRED", {}).get(kind, ["title"])
        out: dict[str, Any] = {}

        for name in required:
            value = raw.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                reporter.report(
                    name,
                    f"thiếu trường bắt buộc {DISPLAY_NAMES.get(name, name)}",
                    _example(name),
                )

        for name, value in raw.items():
            if name not in known:
                guess = closest(name, known)
                hint = (
                    f"có phải ý bạn là '{DISPLAY_NAMES.get(guess[0], guess[0])}'?" if guess else ""
                )
                reporter.report(name, f"không có trường '{name}'", hint or "xóa dòng này")
                continue
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            try:
                converted = self._convert_field(name, value, md)
            except (fields.FieldError, DateError) as exc:
                reporter.report(name, str(getattr(exc, "message", exc)), getattr(exc, "hint", ""))
                continue
            if converted is not None:
                out[name] = converted

        date, modified = out.get("date"), out.get("modified")
        if date and modified and modified < date:
            reporter.report(
                "modified",
                "ngày cập nhật (Modified) sớm hơn ngày đăng (Date)",
                "Modified là lúc sửa bài, phải sau Date; xóa dòng Modified nếu chưa sửa bài",
            )

        image = out.get("image")
        if image and not os.path.isfile(os.path.join(settings["PATH"], image)):
            reporter.report(
                "image",
                f'không tìm thấy ảnh "{image}" trong thư mục content',
                "kiểm tra tên tệp (có phân biệt chữ hoa, chữ thường) và thư mục chứa ảnh",
            )
        return out

    def _convert_field(self, name: str, value: Any, md: Markdown) -> Any:
        settings = self.settings
        tz = settings.get("TIMEZONE")
        if name in ("date", "modified"):
            try:
                return parse_date(value, tz)
            except DateError as exc:
                raise fields.FieldError(str(exc), _example(name)) from None
        if name == "tags":
            return [Tag(tag, settings) for tag in fields.split_list(value)] or None
        if name == "author":
            return Author(" ".join(str(value).split()), settings)
        if name == "slug":
            return fields.check_slug(str(value))
        if name == "status":
            return fields.check_status(str(value))
        if name == "source":
            return fields.parse_source(value)
        if name == "image":
            return fields.check_content_path(str(value), "Image")
        if name in settings.get("FORMATTED_FIELDS", []):
            text = "\n".join(value) if isinstance(value, list) else str(value)
            return plain_paragraph(text) or md.reset().convert(text)
        if name in ("unit", "category"):
            return value  # resolved by the units and categories plugins
        return " ".join(str(value).split()) if isinstance(value, str) else value


# A one-line text Markdown leaves as it is: starts with a letter (no list, heading, quote or
# code block), then letters, combining marks, digits, single spaces and punctuation that no
# Markdown syntax (core, "extra", sane_lists) gives a meaning to inside a line.
_PLAIN_TEXT = re.compile(r"[^\W\d_](?:[^\W_]|[ .,;:!?()'\"%/\u2013\u2014\u2026-]|[\u0300-\u036f])*")


def plain_paragraph(text: str) -> str | None:
    """What Python-Markdown makes of ``text`` if it is plain text (``<p>text</p>``), else None.

    Most summaries are one plain sentence: converting them with Markdown costs as much as a
    short post. Anything else returns None and goes through Markdown.
    """
    if _PLAIN_TEXT.fullmatch(text) and "  " not in text and not text.endswith(" "):
        return f"<p>{text}</p>"
    return None


# The header syntax of markdown.extensions.meta, which Pelican documents for posts.


class _Reporter:
    """Records problems for one file, finding the line of each field."""

    def __init__(self, path: str, log: problems.ProblemLog) -> None:
        self.path = path
        self.log = log
        self.header = ""
        self.failed = False

    def report(self, field: str, message: str, hint: str = "") -> None:
        line = line_of_key(self.header, field) if field else None
        self.report_line(line, field, message, hint)

    def report_line(self, line: int | None, field: str, message: str, hint: str) -> None:
        self.failed = True
        self.log.error(
            self.path, message, hint=hint, field=DISPLAY_NAMES.get(field, field), line=line
        )


def _relative(path: str, base: str) -> str:
    try:
        rel = os.path.relpath(path, os.path.dirname(os.path.abspath(base)))
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def _kind_of(rel: str, settings: dict[str, Any]) -> str:
    content_root = os.path.basename(os.path.normpath(settings["PATH"]))
    inner = rel.split("/", 1)[1] if rel.startswith(content_root + "/") else rel
    for page_path in settings.get("PAGE_PATHS", []):
        if inner == page_path or inner.startswith(page_path.rstrip("/") + "/"):
            return "page"
    return "article"


_EXAMPLES = {
    "title": "ví dụ: Title: Họp giao ban tháng 9",
    "date": "ví dụ: Date: 12/09/2023 13:43 (ngày/tháng/năm giờ:phút)",
    "modified": "ví dụ: Modified: 15/09/2023 08:00",
    "unit": "ví dụ: Unit: Văn phòng Sở (tên đơn vị trong content/units.yml)",
    "category": "ví dụ: Category: Tin tức sự kiện (tên chuyên mục trong content/categories.yml)",
}


def _example(name: str) -> str:
    return _EXAMPLES.get(name, "")
