"""Decap CMS's ``config.yml`` for the portal, from the settings and the two registries.

Pure data: no Pelican imports. The form mirrors the build's front-matter rules
(plugins/front_matter, plugins/images, plugins/compliance) so an editor sees a problem
before saving; the build stays the authority.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from plugins.front_matter.fields import SAFE_SLUG_RE
from plugins.portal_core.settings import Option, Settings

#: How a post's date is stored (the "date" widget of cms-portal.js writes it). Decap
#: derives file names from the date with dayjs, which reads ISO dates right and
#: ``07/12/2025`` as 12 July (``25/12/2025`` as no date at all); the build reads this form
#: too (plugins/front_matter/dates.py). Editors type and read dates day-first in the form.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
#: The file name's date comes from the date field *as stored* (a filter: dayjs reads and
#: formats it in the same local time). The year folder must be ``{{year}}``: Decap
#: rewrites ``path`` templates (lower case, no quotes), which breaks filters there.
#: ``{{year}}`` is the year of the date field (the "date" widget makes it the entry's
#: date) read in UTC: a new post dated 1 January before 07:00 (Vietnam time) lands in
#: the previous year's folder. Only the folder: its file name, URL and date stay right.
YEAR = "{{year}}"
DAY = "{{fields.date | date('YYYY-MM-DD')}}"
#: Photo folders are not rewritten like paths: the filter works there.
MEDIA_YEAR = "{{fields.date | date('YYYY')}}"

BACKENDS = ("gitlab", "gitea", "forgejo", "github", "bitbucket", "git-gateway", "azure")
#: The collections' folders and files; the registries are read here, never edited.
POSTS_FOLDER = "content/posts"
PAGES_FOLDER = "content/pages"
IMAGES_FOLDER = "content/images"


def _backend(value: Any, settings: Mapping) -> bool | str:
    if not isinstance(value, Mapping):
        return "CMS_BACKEND must be a dict: {'name': 'gitlab', 'repo': 'group/site'}."
    if value.get("name") not in BACKENDS:
        return f"CMS_BACKEND['name'] must be one of {', '.join(BACKENDS)}."
    if value.get("name") != "git-gateway" and not str(value.get("repo") or "").strip():
        return "CMS_BACKEND['repo'] must name the repository, e.g. 'so-gtvt/portal'."
    return True


SETTINGS = Settings(
    CMS_ENABLED=Option(True, "write /admin/"),
    CMS_SAVE_AS=Option(
        "admin",
        "the folder in the output",
        "một tên thư mục như 'admin'",
        lambda value, settings: bool(SAFE_SLUG_RE.match(str(value or ""))),
    ),
    CMS_BUNDLE_DIR=Option(
        "node_modules/decap-cms/dist", "Decap's dist folder; relative to the project"
    ),
    CMS_BACKEND=Option(
        {"name": "gitlab", "repo": "so-gtvt/cong-thong-tin", "branch": "main"},
        "Decap's backend block (docs/cms.md)",
        valid=_backend,
    ),
    CMS_LOCAL_BACKEND=Option(
        "",
        'decap-server\'s API on loopback for `invoke cms` ("" = none); only honoured when '
        "the admin is opened on that same host",
        valid=lambda value, settings: (
            not value or str(value).startswith(("http://127.0.0.1:", "http://localhost:"))
        ),
        message="CMS_LOCAL_BACKEND must be a loopback address (http://127.0.0.1:8081/api/v1): "
        "decap-server has no login.",
    ),
    CMS_SITE_URL=Option("", 'the link "view the site" in the CMS ("" = SITEURL)'),
)


def _required(label: str) -> str:
    return f"Chưa điền {label}: trường này bắt buộc."


def choice_options(entries: Iterable[tuple[str, str, int]]) -> list[dict[str, str]]:
    """Select options from ``(name, short_name, depth)``: the full name is what is stored,
    the label is indented by depth so the unit tree reads as a tree."""
    options = []
    for name, short_name, depth in entries:
        label = ("— " * depth) + name + (f" ({short_name})" if short_name else "")
        options.append({"label": label, "value": name})
    return options


def post_fields(
    units: list[dict[str, str]], categories: list[dict[str, str]], max_image_bytes: int
) -> list[dict[str, Any]]:
    """Every front-matter field of a news post, in the order of the editors' guide."""
    slug_pattern = [SAFE_SLUG_RE.pattern, "Chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang."]
    image_library = {"config": {"max_file_size": max_image_bytes}}
    return [
        {
            "label": "Tiêu đề",
            "name": "title",
            "widget": "string",
            "required": True,
            "pattern": [r"\S", _required("tiêu đề")],
        },
        {
            "label": "Ngày giờ đăng",
            "name": "date",
            "widget": "date",  # cms-portal.js: typed and shown day-first, stored ISO
            "default_now": True,
            "required": True,
            "hint": "Ngày/tháng/năm giờ:phút, giờ Việt Nam, ví dụ 07/12/2026 08:00. "
            "Ngày sau hôm nay: bài hẹn giờ, được đăng khi đến ngày.",
        },
        {
            "label": "Đơn vị viết bài",
            "name": "unit",
            "widget": "select",
            "options": units,
            "required": True,
            "hint": "Danh sách lấy từ content/units.yml (người quản trị sửa).",
        },
        {
            "label": "Chuyên mục",
            "name": "category",
            "widget": "select",
            "options": categories,
            "required": True,
            "hint": "Danh sách lấy từ content/categories.yml (người quản trị sửa).",
        },
        {
            "label": "Tóm tắt",
            "name": "summary",
            "widget": "text",
            "required": False,
            "hint": "Một hai câu hiện dưới tiêu đề và trong danh sách bài.",
        },
        {
            "label": "Ảnh đại diện",
            "name": "image",
            "widget": "image",
            "required": False,
            "media_library": image_library,
            "choose_url": False,
            "hint": "Ảnh JPEG, PNG hoặc WebP; được lưu vào content/images/<năm>/.",
        },
        {
            "label": "Mô tả ảnh (cho người khiếm thị)",
            "name": "image_alt",
            "widget": "mo-ta-anh",  # cms-portal.js: required when there is a photo
            "required": False,
            "hint": "Bắt buộc khi có ảnh: tả điều ảnh cho thấy, ví dụ 'Đoàn công tác "
            "kiểm tra mặt cầu Bến Mới'.",
        },
        {
            "label": "Chú thích ảnh",
            "name": "image_caption",
            "widget": "string",
            "required": False,
            "hint": "Hiện dưới ảnh. Ghi cả tác giả ảnh, ví dụ: '… (Ảnh: Nguyễn Văn A)'.",
        },
        {
            "label": "Thẻ",
            "name": "tags",
            "widget": "list",
            "required": False,
            "hint": "Các thẻ cách nhau bằng dấu phẩy.",
        },
        {"label": "Người viết", "name": "author", "widget": "string", "required": False},
        {
            "label": "Nguồn (bài đăng lại)",
            "name": "source",
            "widget": "string",
            "required": False,
            "pattern": [
                r"^[^|]+(\|\s*https?://\S+)?$|^https?://\S+$",
                "Viết: Tên báo | https://địa-chỉ-bài-gốc",
            ],
            "hint": "Chỉ điền khi đăng lại bài của nơi khác: Tên báo | https://địa-chỉ-bài-gốc",
        },
        {
            "label": "Địa chỉ bài (slug)",
            "name": "slug",
            "widget": "string",
            "required": False,
            "pattern": slug_pattern,
            "hint": "Để trống: tạo từ tiêu đề.",
        },
        *document_fields(),
        {"label": "Nội dung", "name": "body", "widget": "markdown", "required": True},
    ]


def document_fields() -> list[dict[str, Any]]:
    """The fields the compliance rules ask of a post that publishes a legal document or a
    draft for comment (docs/compliance.md); optional, the build checks when they apply."""

    def text(name: str, label: str, hint: str = "") -> dict[str, Any]:
        field = {"label": label, "name": name, "widget": "string", "required": False}
        if hint:
            field["hint"] = hint
        return field

    def day(name: str, label: str) -> dict[str, Any]:
        return {
            "label": label,
            "name": name,
            "widget": "date",
            "time": False,
            "required": False,
            "hint": "Ngày/tháng/năm, ví dụ 07/12/2026",
        }

    def file(name: str, label: str) -> dict[str, Any]:
        return {"label": label, "name": name, "widget": "file", "required": False}

    note = "Chỉ điền khi bài đăng văn bản (chuyên mục văn bản, dự thảo lấy ý kiến)."
    return [
        text("document_type", "Văn bản: hình thức", note),
        text("document_number", "Văn bản: số ký hiệu", "Ví dụ: 12/TB-SGTVT"),
        text("document_issuer", "Văn bản: cơ quan ban hành"),
        day("document_issued", "Văn bản: ngày ban hành"),
        day("document_effective", "Văn bản: ngày hiệu lực"),
        text("document_abstract", "Văn bản: trích yếu"),
        file("document_file", "Văn bản: tệp toàn văn"),
        file("consultation_file", "Lấy ý kiến: tệp dự thảo"),
        day("consultation_deadline", "Lấy ý kiến: hạn góp ý"),
        text("consultation_email", "Lấy ý kiến: thư điện tử nhận góp ý"),
        text("consultation_address", "Lấy ý kiến: địa chỉ nhận góp ý"),
    ]


def page_fields() -> list[dict[str, Any]]:
    return [
        {
            "label": "Tiêu đề",
            "name": "title",
            "widget": "string",
            "required": True,
            "pattern": [r"\S", _required("tiêu đề")],
        },
        {
            "label": "Địa chỉ trang (slug)",
            "name": "slug",
            "widget": "string",
            "required": True,
            "pattern": [SAFE_SLUG_RE.pattern, "Chỉ gồm chữ thường không dấu, chữ số, dấu '-'."],
            "hint": "Ví dụ: lien-he. Đổi địa chỉ của trang đã đăng sẽ làm hỏng các liên kết cũ.",
        },
        {"label": "Nội dung", "name": "body", "widget": "markdown", "required": True},
    ]


def cms_config(
    settings: Mapping[str, Any],
    units: list[dict[str, str]],
    categories: list[dict[str, str]],
) -> dict[str, Any]:
    """The whole config.yml as a dict (YAML is a superset of what we write)."""
    backend = dict(settings["CMS_BACKEND"])
    if settings.get("CMS_BACKEND") and "squash_merges" not in backend:
        backend["squash_merges"] = True
    # Messages Decap writes into git (commits, merge requests): Vietnamese, with the path.
    backend.setdefault(
        "commit_messages",
        {
            "create": "Tạo {{collection}} “{{slug}}” (qua trang quản trị)",
            "update": "Sửa {{collection}} “{{slug}}” (qua trang quản trị)",
            "delete": "Xóa {{collection}} “{{slug}}” (qua trang quản trị)",
            "uploadMedia": "Tải lên “{{path}}”",
            "deleteMedia": "Xóa “{{path}}”",
        },
    )
    max_bytes = int(settings.get("IMAGES_MAX_BYTES") or 40 * 1024 * 1024)
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "locale": "vi",
        "media_folder": IMAGES_FOLDER,
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": "posts",
                "label": "Tin bài",
                "label_singular": "tin bài",
                "description": "Tin, thông báo, bài viết của các đơn vị. Sau khi lưu, bài "
                "chuyển qua các bước: Bản nháp → Chờ duyệt → Sẵn sàng → Đăng.",
                "folder": POSTS_FOLDER,
                "create": True,
                "format": "yaml-frontmatter",
                "extension": "md",
                "identifier_field": "title",
                "slug": DAY + "-{{slug}}",
                "path": YEAR + "/{{slug}}",
                "media_folder": "/" + IMAGES_FOLDER + "/" + MEDIA_YEAR,
                "public_folder": "images/" + MEDIA_YEAR,
                "summary": "{{title}} — {{fields.date | date('DD/MM/YYYY HH:mm')}}",
                "sortable_fields": ["date", "title", "unit", "category"],
                "view_groups": [
                    {"label": "Năm", "field": "date", "pattern": r"\d{4}"},
                    {"label": "Đơn vị", "field": "unit"},
                ],
                "fields": post_fields(units, categories, max_bytes),
            },
            {
                "name": "pages",
                "label": "Trang cố định",
                "label_singular": "trang",
                "description": "Giới thiệu, liên hệ, chính sách… Mỗi trang có một địa chỉ riêng.",
                "folder": PAGES_FOLDER,
                "create": True,
                "format": "yaml-frontmatter",
                "extension": "md",
                "slug": "{{fields.slug}}",
                "fields": page_fields(),
            },
        ],
    }
    local = settings.get("CMS_LOCAL_BACKEND")
    if local:
        host = str(local).split("//", 1)[1].split(":", 1)[0]
        config["local_backend"] = {"url": str(local), "allowed_hosts": [host]}
    site_url = str(settings.get("CMS_SITE_URL") or settings.get("SITEURL") or "")
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url
    return config
