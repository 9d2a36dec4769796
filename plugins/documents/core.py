"""The register of documents (văn bản), as plain data: no Pelican imports.

``read_document`` turns one content file into a :class:`Document` and a list of
problems (each naming the field and, when known, the line); ``build_register`` checks
the documents against each other (duplicate numbers, replacements, cycles) and links
them both ways. Every step is linear in the number of documents.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from plugins.front_matter.dates import DateError, parse_date
from plugins.portal_core.registry import Taxonomy
from plugins.portal_core.text import closest, nfc
from plugins.portal_core.yamlfile import YamlFileError, load_yaml
from plugins.search.folding import fold

#: Front-matter fields of a document, as editors write them (lower-cased when read).
FIELDS = {
    "title": "Title (trích yếu)",
    "slug": "Slug",
    "date": "Date (ngày đăng lên cổng)",
    "summary": "Summary",
    "status": "Status",
    "document_number": "Document_Number (số ký hiệu)",
    "document_type": "Document_Type (loại văn bản)",
    "document_issuer": "Document_Issuer (cơ quan ban hành)",
    "document_signer": "Document_Signer (người ký)",
    "document_issued": "Document_Issued (ngày ban hành)",
    "document_effective": "Document_Effective (ngày có hiệu lực)",
    "document_expires": "Document_Expires (ngày hết hiệu lực)",
    "document_fields": "Document_Fields (lĩnh vực)",
    "document_replaces": "Document_Replaces (văn bản bị thay thế)",
    "document_file": "Document_File (tệp văn bản)",
    "consultation_deadline": "Consultation_Deadline (hạn góp ý)",
    "consultation_email": "Consultation_Email (thư điện tử nhận góp ý)",
    "consultation_address": "Consultation_Address (địa chỉ nhận góp ý)",
    "consultation_note": "Consultation_Note (cách gửi góp ý)",
}
#: a draft for comment may have no number yet
REQUIRED = ("title", "document_type", "document_issuer", "document_issued")

#: Extension → (label shown to visitors, MIME type, magic bytes at the start or None)
FILE_TYPES: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    "pdf": ("PDF", "application/pdf", (b"%PDF-",)),
    "doc": ("Word", "application/msword", (b"\xd0\xcf\x11\xe0",)),
    "docx": (
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xls": ("Excel", "application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "xlsx": (
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "odt": ("ODT", "application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("ODS", "application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}

# validity keys, with the words shown on the portal
NOT_YET = "chua-co-hieu-luc"
IN_FORCE = "con-hieu-luc"
EXPIRED = "het-hieu-luc"
REPLACED = "bi-thay-the"
DRAFT = "du-thao"
VALIDITY_LABELS = {
    NOT_YET: "Chưa có hiệu lực",
    IN_FORCE: "Còn hiệu lực",
    EXPIRED: "Hết hiệu lực",
    REPLACED: "Bị thay thế",
    DRAFT: "Dự thảo",
}

_NUMBER_RE = re.compile(r"^\d+[A-Za-z]?(?:/\d{4})?/[^\s/][^\s]*$")
#: a document number inside running text (for related news)
NUMBER_IN_TEXT_RE = re.compile(r"(?<![\w/])\d+[a-z]?/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9Đ-]*[A-ZĐ0-9]", re.I)
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
_META_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)$")
_META_MORE = re.compile(r"^[ \t]+(?P<value>.*)$")
_YAML_HEADER = re.compile(
    r"^---[ \t]*\n(?P<meta>.*?\n)(?:---|\.\.\.)[ \t]*(?:\n(?P<body>.*))?$", re.S
)


def number_key(number: str) -> str:
    """How numbers are compared: case, spaces, diacritics and leading zeros ignored
    (05/2021/QĐ-UBND = 5/2021/qd-ubnd)."""
    return _LEADING_ZEROS.sub("", fold(nfc(number)).replace(" ", ""))


def slug_of(text: str) -> str:
    """An ASCII slug: ``12/2024/QĐ-UBND`` → ``12-2024-qd-ubnd``."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one document file."""

    path: str
    field: str
    message: str
    hint: str = ""
    line: int | None = None
    warning: bool = False


@dataclass(frozen=True)
class Facet:
    """A filter value: a type, an issuer, a field, a signer or a year."""

    kind: str  # loai | co-quan | linh-vuc | nguoi-ky | nam
    slug: str
    name: str

    @property
    def url(self) -> str:
        return f"van-ban/{self.kind}/{self.slug}/"


@dataclass
class Attachment:
    path: str  # relative to the content folder, e.g. van-ban/files/qd-12.pdf
    name: str
    label: str
    mime: str
    size: int

    @property
    def url(self) -> str:
        return self.path

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB".replace(".", ",")
        return f"{max(1, round(self.size / 1024))} KB"


@dataclass(frozen=True)
class DocumentLink:
    """Another document as a page names it (plain data: pages never hold a reference
    cycle, which would make the build engine render them again every time)."""

    number: str
    title: str
    type_name: str
    url: str
    starts: dt.date


@dataclass(eq=False)
class Document:
    source: str  # as editors see it: content/van-ban/2024/qd-12.md
    title: str
    number: str
    slug: str
    type: Facet
    issuer: Facet
    issued: dt.date
    date: dt.datetime  # when it was posted (Date, or the issue date)
    signer: Facet | None = None
    signer_position: str = ""
    effective: dt.date | None = None
    expires: dt.date | None = None
    fields: list[Facet] = field(default_factory=list)
    replaces_numbers: list[str] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    body: str = ""  # HTML
    summary: str = ""
    consultation_deadline: dt.datetime | None = None
    consultation_email: str = ""
    consultation_address: str = ""
    consultation_note: str = ""
    is_draft_type: bool = False
    own: bool = False  # issued by this agency
    status: str = "published"
    # filled by build_register
    replaces: list[DocumentLink] = field(default_factory=list)
    replaced_by: list[DocumentLink] = field(default_factory=list)
    related_news: list[Any] = field(default_factory=list)
    validity: str = IN_FORCE
    comments_open_now: bool = False  # set for the build's time: pages need no clock

    @property
    def url(self) -> str:
        return f"van-ban/{self.slug}/"

    @property
    def save_as(self) -> str:
        return f"van-ban/{self.slug}/index.html"

    @property
    def year(self) -> Facet:
        return Facet("nam", str(self.issued.year), str(self.issued.year))

    @property
    def is_consultation(self) -> bool:
        return self.consultation_deadline is not None or self.is_draft_type

    @property
    def validity_label(self) -> str:
        return VALIDITY_LABELS[self.validity]

    @property
    def starts(self) -> dt.date:
        return self.effective or self.issued

    def link(self) -> DocumentLink:
        return DocumentLink(self.number, self.title, self.type.name, self.url, self.starts)

    def facets(self) -> list[Facet]:
        found = [self.type, self.issuer, self.year, *self.fields]
        if self.signer:
            found.append(self.signer)
        return found

    def comments_open(self, now: dt.datetime) -> bool:
        return self.consultation_deadline is not None and now <= self.consultation_deadline


def validity(doc: Document, today: dt.date) -> str:
    """In force from the effective date (the issue date without one) until it expires or
    a document replacing it comes into force; drafts have no validity."""
    if doc.is_consultation:
        return DRAFT
    if any(r.starts <= today for r in doc.replaced_by):
        return REPLACED
    if doc.expires is not None and doc.expires <= today:
        return EXPIRED
    if doc.starts > today:
        return NOT_YET
    return IN_FORCE


# -- reading one file -----------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, Any], dict[str, int], str, str]:
    """``(fields, line of each field, body, error)``: YAML between ``---`` or ``Key: value``."""
    match = _YAML_HEADER.match(text)
    if match:
        header = match.group("meta")
        try:
            data = load_yaml("", header)
        except YamlFileError as exc:
            return {}, {}, "", f"phần đầu YAML có {exc.message} (dòng {(exc.line or 0) + 1})"
        if not isinstance(data, dict):
            return {}, {}, "", "phần đầu YAML phải là các dòng dạng 'tên: giá trị'"
        lines = {}
        for number, line in enumerate(header.splitlines(), start=2):
            key = _META_LINE.match(line)
            if key:
                lines.setdefault(key.group("key").lower(), number)
        fields = {str(k).strip().lower(): v for k, v in data.items() if v is not None}
        return fields, lines, match.group("body") or "", ""
    fields: dict[str, Any] = {}
    lines: dict[str, int] = {}
    key = None
    rows = text.split("\n")
    body_start = len(rows)
    for number, line in enumerate(rows, start=1):
        if not line.strip():
            body_start = number
            break
        head = _META_LINE.match(line)
        more = _META_MORE.match(line)
        if head:
            key = head.group("key").lower()
            lines.setdefault(key, number)
            value = head.group("value").strip()
            fields[key] = value if key not in fields else f"{fields[key]}\n{value}"
        elif more and key:
            fields[key] = f"{fields[key]}\n{more.group('value').strip()}"
        else:
            return (
                fields,
                lines,
                "",
                (f'dòng {number} "{line.strip()}" trong phần đầu không có dạng "Tên: giá trị"'),
            )
    return fields, lines, "\n".join(rows[body_start:]), ""


def _as_list(value: Any, commas: bool = True) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[;\n]|,(?!\d)" if commas else r"[;\n]", str(value))
    return [" ".join(i.split()) for i in items if i and i.strip()]


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    return " ".join(str(value).split()) if value is not None else ""


@dataclass
class ReadContext:
    """What reading a document needs besides its text."""

    content_path: str  # the content folder
    shown_root: str  # prefix editors see: "content"
    taxonomies: dict[str, Taxonomy]  # "type", "issuer", "field", loaded
    timezone: str = "Asia/Ho_Chi_Minh"
    max_file_bytes: int = 50 * 1024 * 1024
    files_folder: str = "van-ban/files"
    markdown: Callable[[str, str], str] = lambda text, shown: text  # (body, file) → HTML


def read_document(path: str, ctx: ReadContext) -> tuple[Document | None, list[Problem]]:
    """A document from its content file, or ``None``; every problem found is listed."""
    rel = os.path.relpath(path, ctx.content_path).replace(os.sep, "/")
    shown = f"{ctx.shown_root}/{rel}"
    problems: list[Problem] = []
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = nfc(handle.read())
    except UnicodeDecodeError:
        return None, [Problem(shown, "", "tệp không phải UTF-8", "lưu lại với bảng mã UTF-8")]
    except OSError as exc:
        return None, [Problem(shown, "", f"không đọc được tệp ({exc.strerror})")]
    raw, lines, body, error = split_front_matter(text)
    if error:
        return None, [
            Problem(shown, "", error, "xem mẫu ở docs/huong-dan-bien-tap.md, mục Văn bản")
        ]

    def report(name: str, message: str, hint: str = "", warning: bool = False) -> None:
        shown_name = FIELDS.get(name) or "_".join(p.capitalize() for p in name.split("_"))
        problems.append(Problem(shown, shown_name, message, hint, lines.get(name), warning))

    for name in raw:
        if name not in FIELDS:
            guess = closest(name, FIELDS)
            hint = (
                f"có phải ý bạn là '{FIELDS[guess[0]].split(' ')[0]}'?" if guess else "xóa dòng này"
            )
            report(name, f"văn bản không có trường '{name}'", hint)
    for name in REQUIRED:
        if not _text(raw.get(name)):
            report(name, f"thiếu trường bắt buộc {FIELDS[name]}", _EXAMPLES.get(name, ""))

    title = _text(raw.get("title"))
    number = _text(raw.get("document_number"))
    if number and not _NUMBER_RE.match(number):
        report(
            "document_number",
            f'số ký hiệu "{number}" không đúng dạng',
            "viết như trên văn bản, ví dụ 12/2024/QĐ-UBND hoặc 345/SGTVT-VP",
        )

    def date_of(name: str) -> dt.date | None:
        value = raw.get(name)
        if value is None or not _text(value):
            return None
        try:
            return parse_date(value, ctx.timezone).date()
        except DateError as exc:
            report(name, str(exc))
            return None

    issued = date_of("document_issued")
    effective = date_of("document_effective")
    expires = date_of("document_expires")
    if issued and effective and effective < issued:
        report(
            "document_effective",
            f"ngày có hiệu lực {effective:%d/%m/%Y} trước ngày ban hành {issued:%d/%m/%Y}",
            "kiểm tra lại hai ngày; văn bản không thể có hiệu lực trước khi ban hành",
        )
    start = effective or issued
    if start and expires and expires <= start:
        report(
            "document_expires",
            f"ngày hết hiệu lực {expires:%d/%m/%Y} không sau ngày có hiệu lực {start:%d/%m/%Y}",
            "kiểm tra lại Document_Expires",
        )
    posted = None
    if raw.get("date") is not None and _text(raw.get("date")):
        try:
            posted = parse_date(raw["date"], ctx.timezone)
        except DateError as exc:
            report("date", str(exc))
    deadline = None
    if raw.get("consultation_deadline") is not None and _text(raw.get("consultation_deadline")):
        try:
            deadline = parse_date(raw["consultation_deadline"], ctx.timezone)
            if not re.search(r"\d[:hH]\d", _text(raw["consultation_deadline"])):
                deadline = deadline.replace(hour=23, minute=59, second=59)  # the whole last day
        except DateError as exc:
            report("consultation_deadline", str(exc))

    type_entry = issuer_entry = None
    if _text(raw.get("document_type")):
        type_entry = ctx.taxonomies["type"].find(_text(raw["document_type"]), report)
    if _text(raw.get("document_issuer")):
        issuer_entry = ctx.taxonomies["issuer"].find(_text(raw["document_issuer"]), report)
    field_facets = []
    field_names = []
    for value in _as_list(raw.get("document_fields"), commas=False):
        if "," in value and ctx.taxonomies["field"].registry.resolve(value) is None:
            field_names += [v.strip() for v in value.split(",") if v.strip()]
        else:
            field_names.append(value)
    for value in field_names:
        entry = ctx.taxonomies["field"].find(value, report)
        if entry is not None:
            field_facets.append(Facet("linh-vuc", entry.slug, entry.name))

    if not number and not (type_entry is not None and type_entry.extra.get("draft")):
        report("document_number", f"thiếu trường bắt buộc {FIELDS['document_number']}",
               _EXAMPLES["document_number"])  # fmt: skip

    signer, position = None, ""
    signer_value = raw.get("document_signer")
    if isinstance(signer_value, dict):
        name, position = _text(signer_value.get("name")), _text(signer_value.get("position"))
    else:
        name, _, position = _text(signer_value).partition(",")
        name, position = name.strip(), position.strip()
    if name:
        signer = Facet("nguoi-ky", slug_of(name), name)

    replaces = _as_list(raw.get("document_replaces"))
    files = _attachments(raw.get("document_file"), ctx, report)

    status = _text(raw.get("status")).lower() or "published"
    if status not in ("published", "draft"):
        report("status", f'trạng thái "{status}" không dùng được', "dùng published hoặc draft")
        status = "published"
    slug = _text(raw.get("slug")) or slug_of(number or title)
    if raw.get("slug") is not None and slug != slug_of(slug):
        report("slug", f'slug "{slug}" không hợp lệ', "chỉ chữ thường không dấu, số và dấu '-'")

    if any(not p.warning for p in problems) or not (type_entry and issuer_entry and issued):
        return None, problems
    body_html = ctx.markdown(body, shown) if body.strip() else ""
    doc = Document(
        source=shown,
        title=title,
        number=number,
        slug=slug,
        type=Facet("loai", type_entry.slug, type_entry.name),
        issuer=Facet("co-quan", issuer_entry.slug, issuer_entry.name),
        issued=issued,
        date=posted or dt.datetime.combine(issued, dt.time(), posted_tz(ctx.timezone)),
        signer=signer,
        signer_position=position,
        effective=effective,
        expires=expires,
        fields=field_facets,
        replaces_numbers=replaces,
        files=files,
        body=body_html,
        summary=_text(raw.get("summary")),
        consultation_deadline=deadline,
        consultation_email=_text(raw.get("consultation_email")),
        consultation_address=_text(raw.get("consultation_address")),
        consultation_note=_text(raw.get("consultation_note")),
        is_draft_type=bool(type_entry.extra.get("draft")),
        own=bool(issuer_entry.extra.get("own")),
        status=status,
    )
    return doc, problems


def posted_tz(name: str) -> dt.tzinfo:
    return ZoneInfo(name)


def _attachments(value: Any, ctx: ReadContext, report: Callable[..., None]) -> list[Attachment]:
    out = []
    names = _as_list(value)
    if not names:
        report(
            "document_file",
            "thiếu tệp văn bản (Document_File)",
            f"đặt tệp vào {ctx.shown_root}/{ctx.files_folder}/ và ghi tên tệp, "
            "ví dụ: Document_File: qd-12-2024.pdf",
        )
    for name in names:
        rel = name.lstrip("/")
        if not rel.startswith(ctx.files_folder + "/"):
            rel = f"{ctx.files_folder}/{rel}"
        full = os.path.normpath(os.path.join(ctx.content_path, rel))
        root = os.path.normpath(os.path.join(ctx.content_path, ctx.files_folder))
        shown = f"{ctx.shown_root}/{rel}"
        ext = rel.rsplit(".", 1)[-1].lower() if "." in os.path.basename(rel) else ""
        if not full.startswith(root + os.sep):
            report("document_file", f'tệp "{name}" nằm ngoài thư mục {ctx.files_folder}/')
            continue
        if ext not in FILE_TYPES:
            report(
                "document_file",
                f'tệp "{name}" có định dạng không được nhận',
                "chỉ đăng tệp PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS",
            )
            continue
        label, mime, magic = FILE_TYPES[ext]
        try:
            size = os.path.getsize(full)
            with open(full, "rb") as handle:
                head = handle.read(8)
        except FileNotFoundError:
            report(
                "document_file",
                f"không tìm thấy tệp {shown}",
                "kiểm tra tên tệp (có phân biệt chữ hoa, chữ thường) và đặt tệp vào "
                f"{ctx.shown_root}/{ctx.files_folder}/",
            )
            continue
        except OSError as exc:
            report("document_file", f"không đọc được tệp {shown} ({exc.strerror})",
                   "kiểm tra quyền đọc của tệp")  # fmt: skip
            continue
        if size == 0:
            report("document_file", f"tệp {shown} rỗng (0 byte)", "chép lại tệp văn bản gốc")
            continue
        if size > ctx.max_file_bytes:
            limit = ctx.max_file_bytes / 1024 / 1024
            report(
                "document_file",
                f"tệp {shown} nặng {size / 1024 / 1024:.1f} MB, quá giới hạn {limit:g} MB",
                "nén lại tệp PDF (giảm độ phân giải ảnh quét) hoặc tách thành nhiều tệp",
            )
            continue
        if magic and not head.startswith(magic):
            report(
                "document_file",
                f"tệp {shown} có đuôi .{ext} nhưng nội dung không phải tệp {label}",
                "lưu lại tệp đúng định dạng từ phần mềm soạn thảo; không chỉ đổi đuôi tệp",
            )
            continue
        out.append(Attachment(rel, os.path.basename(rel), label, mime, size))
    return out


_EXAMPLES = {
    "title": "ví dụ: Title: Quy định về quản lý bến xe khách trên địa bàn tỉnh",
    "document_number": "ví dụ: Document_Number: 12/2024/QĐ-UBND",
    "document_type": "ví dụ: Document_Type: Quyết định (tên trong content/document-types.yml)",
    "document_issuer": "ví dụ: Document_Issuer: UBND tỉnh (tên trong content/document-issuers.yml)",
    "document_issued": "ví dụ: Document_Issued: 15/03/2024 (ngày/tháng/năm)",
}


# -- the register ---------------------------------------------------------------------


@dataclass
class Register:
    documents: list[Document]  # published, newest first
    by_key: dict[str, Document]
    facets: dict[str, list[tuple[Facet, list[Document]]]]

    def find(self, number: str) -> Document | None:
        return self.by_key.get(number_key(number)) if number.strip() else None


FACET_KINDS = ("loai", "nam", "co-quan", "linh-vuc", "nguoi-ky")


def build_register(
    documents: Iterable[Document], today: dt.date, taxonomies: dict[str, Taxonomy] | None = None
) -> tuple[Register, list[Problem]]:
    """Link documents to each other and group them for the filter pages."""
    problems: list[Problem] = []
    docs = [d for d in documents if d.status == "published"]
    docs.sort(key=lambda d: (d.issued, d.date, d.number), reverse=True)
    by_key: dict[str, Document] = {}
    by_slug: dict[str, Document] = {}
    kept: list[Document] = []
    numbered: dict[int, str] = {}
    for doc in sorted(docs, key=lambda d: d.source):
        key = number_key(doc.number) if doc.number else ""
        first = by_key.get(key) if key else None
        if first is not None:
            for one, other in ((first, doc), (doc, first)):
                problems.append(
                    Problem(
                        one.source,
                        FIELDS["document_number"],
                        f'số ký hiệu "{one.number}" trùng với văn bản {other.source}',
                        "mỗi văn bản chỉ đăng một lần; xóa bản trùng hoặc sửa số ký hiệu",
                    )
                )
            continue
        clash = by_slug.get(doc.slug)
        if clash is not None:
            problems.append(
                Problem(
                    doc.source,
                    FIELDS["slug"],
                    f"địa chỉ van-ban/{doc.slug}/ trùng với văn bản {clash.source}",
                    "thêm trường Slug với một địa chỉ khác, ví dụ Slug: " + doc.slug + "-2",
                )
            )
            continue
        if key:
            by_key[key] = doc
        by_slug[doc.slug] = doc
        numbered[id(doc)] = key
    kept = [d for d in docs if id(d) in numbered]
    for doc in kept:
        doc.replaces, doc.replaced_by, doc.related_news = [], [], []
    edges: dict[int, list[Document]] = {id(doc): [] for doc in kept}
    for doc in kept:
        for number in doc.replaces_numbers:
            target = by_key.get(number_key(number))
            if target is None:
                problems.append(
                    Problem(
                        doc.source,
                        FIELDS["document_replaces"],
                        f'không có văn bản số "{number}" trong sổ văn bản',
                        "kiểm tra số ký hiệu; nếu văn bản bị thay thế chưa đăng, hãy đăng nó",
                        warning=True,
                    )
                )
            elif target is doc:
                problems.append(
                    Problem(
                        doc.source,
                        FIELDS["document_replaces"],
                        "văn bản không thể thay thế chính nó",
                        f'xóa "{number}" khỏi Document_Replaces',
                    )
                )
            elif target not in edges[id(doc)]:
                edges[id(doc)].append(target)
                doc.replaces.append(target.link())
                target.replaced_by.append(doc.link())
    for cycle in _cycles(kept, edges):
        chain = " → ".join(d.number for d in [*cycle, cycle[0]])
        for doc in cycle:
            problems.append(
                Problem(
                    doc.source,
                    FIELDS["document_replaces"],
                    f"các văn bản thay thế nhau thành vòng: {chain}",
                    "một văn bản chỉ thay thế văn bản ban hành trước nó; sửa Document_Replaces",
                )
            )
    problems += _signer_spellings(kept)
    for doc in kept:
        doc.validity = validity(doc, today)
    facets: dict[str, dict[str, tuple[Facet, list[Document]]]] = {k: {} for k in FACET_KINDS}
    for doc in kept:
        for facet in doc.facets():
            facets[facet.kind].setdefault(facet.slug, (facet, []))[1].append(doc)
    ordered = {}
    for kind, groups in facets.items():
        items = list(groups.values())
        if kind == "nam":
            items.sort(key=lambda item: item[0].slug, reverse=True)
        else:
            order = _registry_order(kind, taxonomies)
            items.sort(key=lambda item: (order.get(item[0].slug, 10**6), fold(item[0].name)))
        ordered[kind] = items
    return Register(kept, by_key, ordered), problems


def _signer_spellings(docs: list[Document]) -> list[Problem]:
    """One signer written two ways ("Nguyễn Hữu Bình", "Nguyễn Hũu Bình") shares a filter
    page under the first spelling; say so, so the editor can make them the same."""
    first: dict[str, Document] = {}
    found = []
    for doc in sorted(docs, key=lambda d: d.source):
        if doc.signer is None:
            continue
        seen = first.setdefault(doc.signer.slug, doc)
        if seen.signer.name != doc.signer.name:
            found.append(
                Problem(
                    doc.source,
                    FIELDS["document_signer"],
                    f'người ký "{doc.signer.name}" viết khác "{seen.signer.name}" '
                    f"trong {seen.source}",
                    "viết tên người ký giống nhau ở mọi văn bản",
                    warning=True,
                )
            )
    return found


def _registry_order(kind: str, taxonomies: dict[str, Taxonomy] | None) -> dict[str, int]:
    if taxonomies is None or kind not in ("loai", "co-quan", "linh-vuc"):
        return {}
    registry = taxonomies[{"loai": "type", "co-quan": "issuer", "linh-vuc": "field"}[kind]].registry
    return {entry.slug: index for index, entry in enumerate(registry)}


def _cycles(docs: list[Document], edges: dict[int, list[Document]]) -> list[list[Document]]:
    """Each replacement cycle once (iterative colouring: linear, no recursion limit)."""
    state: dict[int, int] = {}  # 1 on the current path, 2 done
    found: list[list[Document]] = []
    for start in docs:
        if state.get(id(start)):
            continue
        path: list[Document] = []
        stack: list[tuple[Document, int]] = [(start, 0)]
        while stack:
            doc, index = stack.pop()
            if index == 0:
                state[id(doc)] = 1
                path.append(doc)
            if index < len(edges[id(doc)]):
                stack.append((doc, index + 1))
                nxt = edges[id(doc)][index]
                mark = state.get(id(nxt))
                if mark == 1:
                    found.append(path[path.index(nxt) :])
                elif not mark:
                    stack.append((nxt, 0))
            else:
                state[id(doc)] = 2
                path.pop()
    return found


# -- what the page's script reads -------------------------------------------------------


def index_records(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One small record per document for instant filtering and search in the browser."""
    out = []
    for doc in documents:
        in_force = [r.starts for r in doc.replaced_by]
        out.append(
            {
                "n": doc.number,
                "k": number_key(doc.number),
                "t": doc.title,
                "f": fold(doc.title + " " + doc.summary),
                "u": doc.url,
                "loai": doc.type.slug,
                "co-quan": doc.issuer.slug,
                "linh-vuc": [f.slug for f in doc.fields],
                "nguoi-ky": doc.signer.slug if doc.signer else "",
                "nam": str(doc.issued.year),
                "d": doc.issued.isoformat(),
                "e": doc.starts.isoformat(),
                "x": doc.expires.isoformat() if doc.expires else "",
                "r": min(in_force).isoformat() if in_force else "",
                "draft": doc.is_consultation,
                "type": doc.type.name,
                "issuer": doc.issuer.name,
            }
        )
    return out


def numbers_in(text: str) -> set[str]:
    """Number keys of every document number written in a text (for related news)."""
    return {number_key(m.group(0)) for m in NUMBER_IN_TEXT_RE.finditer(text)}
