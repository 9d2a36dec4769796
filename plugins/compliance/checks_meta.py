"""Checks over metadata: the site's settings and registries, and each post's front-matter."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator

from plugins.documents.core import number_key, numbers_in
from plugins.front_matter.dates import DateError, parse_date
from plugins.portal_core.text import fold

from .manifest import content_hash, stamp
from .model import Doc, Finding, Site
from .registry import check, doc_finding, site_finding
from .rules import Rule
from .sections import SectionTarget, best_target, section_targets
from .text import detect_legacy_encoding, plain_text, security_marks_in_filename
from .text import security_marks as find_security_marks
from .text import working_days_between as wd

SECTION_LABELS = {
    "chuc-nang-nhiem-vu": "chức năng, nhiệm vụ, quyền hạn",
    "so-do-to-chuc": "sơ đồ, cơ cấu tổ chức",
    "lich-su": "tóm lược quá trình hình thành và phát triển",
    "lanh-dao": "tiểu sử tóm tắt và nhiệm vụ của lãnh đạo",
    "tin-tuc-su-kien": "tin tức, sự kiện",
    "chi-dao-dieu-hanh": "chỉ đạo, điều hành",
    "lich-lam-viec": "lịch làm việc của lãnh đạo",
    "pho-bien-phap-luat": "phổ biến, hướng dẫn thực hiện pháp luật",
    "quy-hoach-ke-hoach": "chiến lược, quy hoạch, kế hoạch",
    "van-ban": "văn bản",
    "cong-bao": "công báo điện tử",
    "du-an-dau-thau": "dự án, đấu thầu, mua sắm công",
    "lay-y-kien": "lấy ý kiến góp ý",
    "can-bo-lien-he": "liên hệ cán bộ có thẩm quyền",
    "lien-he": "liên hệ",
    "hoi-dap": "hỏi đáp",
    "tiep-can-thong-tin": "tiếp cận thông tin",
    "chinh-sach-rieng-tu": "thông báo thu thập thông tin cá nhân",
    "de-tai-khoa-hoc": "chương trình, đề tài khoa học",
    "thong-ke": "thông tin thống kê",
    "bao-cao-tai-chinh": "báo cáo tài chính năm",
    "ke-hoach-cong-tac-nam": "chương trình, kế hoạch công tác năm",
}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?:\+84|0)(?:[\s.-]?\d){8,10}")
DOC_NUMBER_RE = re.compile(r"^\d+[a-z]?/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9-]*$")
DOCUMENT_FIELDS = (
    ("document_type", "Document_Type (hình thức văn bản)"),
    ("document_issuer", "Document_Issuer (cơ quan ban hành)"),
    ("document_number", "Document_Number (số ký hiệu)"),
    ("document_issued", "Document_Issued (ngày ban hành)"),
    ("document_effective", "Document_Effective (ngày hiệu lực)"),
    ("document_file", "Document_File (tệp văn bản)"),
)
PROJECT_FIELDS = (
    ("project_goal", "Project_Goal (mục tiêu chính)"),
    ("project_field", "Project_Field (lĩnh vực)"),
    ("project_type", "Project_Type (loại dự án)"),
    ("project_period", "Project_Period (thời gian thực hiện)"),
    ("project_budget", "Project_Budget (kinh phí)"),
    ("project_funding", "Project_Funding (loại hình tài trợ)"),
    ("project_donor", "Project_Donor (nhà tài trợ)"),
    ("project_status", "Project_Status (tình trạng)"),
)
PROJECT_STATUSES = ("chuan-bi-dau-tu", "dang-trien-khai", "da-hoan-tat")
CONSULTATION_FIELDS = (
    ("consultation_file", "Consultation_File (toàn văn dự thảo)"),
    ("consultation_deadline", "Consultation_Deadline (hạn góp ý)"),
    ("consultation_email", "Consultation_Email (thư điện tử nhận góp ý)"),
    ("consultation_address", "Consultation_Address (địa chỉ nhận góp ý)"),
)
PREVIEW_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1")


def field_date(value: object) -> dt.date | None:
    """A front-matter date (day-first like the reader), or None if empty or unreadable."""
    if value in (None, ""):
        return None
    try:
        return parse_date(value, "Asia/Ho_Chi_Minh").date()
    except (DateError, ValueError, TypeError):
        return None


def _published(doc: Doc) -> bool:
    return doc.status != "draft"


def _missing(doc: Doc, fields: tuple[tuple[str, str], ...]) -> list[str]:
    return [label for name, label in fields if doc.field(name) is None]


def _dmy(day: dt.date | dt.datetime) -> str:
    return day.strftime("%d/%m/%Y")


def _official(email: str, site: Site) -> bool:
    domain = email.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in site.config.official_email_domains)


# -- site: required sections --------------------------------------------------------------


def _missing_section(rule: Rule, key: str, targets: list[SectionTarget]) -> Finding | None:
    label = SECTION_LABELS.get(key, key)
    if not targets:
        return site_finding(rule, f"chưa có trang hay chuyên mục cho mục “{label}” ({key})")
    if not any(t.ok for t in targets):
        where = ", ".join(f"/{t.url}" for t in targets)
        return site_finding(rule, f"mục “{label}” ({key}) còn trống: {where}")
    return None


@check("site")
def sections_present(site: Site, rule: Rule) -> Iterator[Finding]:
    targets = section_targets(site)
    for key in rule.sections:
        found = _missing_section(rule, key, targets.get(key, []))
        if found:
            yield found


def _section_page(site: Site, rule: Rule) -> tuple[SectionTarget | None, Finding | None]:
    """Where the site fills the rule's section, and the finding if it does not (missing or
    empty; the target is then not to be read): for rules whose section must say more."""
    key = rule.sections[0]
    target = best_target(site, key)
    return target, _missing_section(rule, key, [target] if target else [])


def _last_update(doc: Doc | None) -> dt.datetime | None:
    if doc is None:
        return None
    return doc.modified or doc.date


@check("site")
def schedule_fresh(site: Site, rule: Rule) -> Iterator[Finding]:
    target = best_target(site, rule.params["key"])
    if target is None:
        yield site_finding(rule, "chưa có trang lịch làm việc (Section: lich-lam-viec)")
        return
    updated = _last_update(target.doc)
    if updated is None:
        yield site_finding(rule, f"trang /{target.url} không ghi ngày cập nhật (Modified)")
    elif (site.config.today - updated.date()).days > rule.params["days"]:
        yield site_finding(rule, f"trang /{target.url} cập nhật lần cuối ngày {_dmy(updated)}")


@check("site")
def officials_contacts(site: Site, rule: Rule) -> Iterator[Finding]:
    target, missing = _section_page(site, rule)
    if missing:
        yield missing
        return
    text = plain_text(target.doc.content) if target.doc else ""
    emails = EMAIL_RE.findall(text)
    if not emails:
        yield site_finding(rule, f"trang /{target.url} chưa ghi thư điện tử của cán bộ")
    bad = sorted({e for e in emails if not _official(e, site)})
    if bad:
        yield site_finding(
            rule,
            f"trang /{target.url} dùng thư điện tử ngoài tên miền công vụ: {', '.join(bad)}",
        )
    if not PHONE_RE.search(text):
        yield site_finding(rule, f"trang /{target.url} chưa ghi số điện thoại")


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@check("site")
def agency_contacts(site: Site, rule: Rule) -> Iterator[Finding]:
    identity = site.config.identity
    labels = {"address": "địa chỉ", "phone": "điện thoại", "email": "thư điện tử"}
    absent = [label for key, label in labels.items() if not identity.get(key, "").strip()]
    if absent:
        yield site_finding(rule, "PORTAL_IDENTITY thiếu: " + ", ".join(absent))
    email = identity.get("email", "")
    if email and not _official(email, site):
        yield site_finding(rule, f"thư điện tử {email} không thuộc tên miền công vụ")
    target, missing = _section_page(site, rule)
    if missing:
        yield missing
        return
    text = _squash(plain_text(target.doc.content)) if target.doc else ""
    if target.doc is not None:
        shown = [
            label
            for key, label in labels.items()
            if identity.get(key) and _squash(identity[key]) not in text
        ]
        if shown:
            yield site_finding(rule, f"trang /{target.url} chưa ghi: {', '.join(shown)}")


@check("site")
def agency_fax(site: Site, rule: Rule) -> Iterator[Finding]:
    if not site.config.identity.get("fax", "").strip():
        yield site_finding(rule, "PORTAL_IDENTITY không có 'fax'")


@check("site")
def english_pages(site: Site, rule: Rule) -> Iterator[Finding]:
    english = [d for d in site.pages if (d.lang or "").lower().startswith("en") and _published(d)]
    sections = {s for d in english for s in d.sections}
    if not sections & {"chuc-nang-nhiem-vu", "so-do-to-chuc"}:
        yield site_finding(rule, "chưa có trang giới thiệu tiếng Anh (Lang: en)")
    if not sections & {"lien-he", "can-bo-lien-he"}:
        yield site_finding(rule, "chưa có trang liên hệ tiếng Anh (Lang: en)")


@check("site")
def qa_section(site: Site, rule: Rule) -> Iterator[Finding]:
    target, missing = _section_page(site, rule)
    if missing:
        yield missing
        return
    content = target.doc.content if target.doc else ""
    if "mailto:" not in content and "<form" not in content:
        yield site_finding(
            rule, f"trang /{target.url} chưa có liên kết thư điện tử (mailto:) hay biểu mẫu"
        )


@check("site")
def access_to_information(site: Site, rule: Rule) -> Iterator[Finding]:
    target, missing = _section_page(site, rule)
    if missing:
        yield missing
        return
    if target.doc is not None and not EMAIL_RE.search(plain_text(target.doc.content)):
        yield site_finding(rule, f"trang /{target.url} chưa ghi thư điện tử tiếp nhận yêu cầu")


@functools.lru_cache(maxsize=64)  # the site's URL, on every page
def is_preview(siteurl: str) -> bool:
    host = (re.sub(r"^[a-z]+://", "", siteurl).split("/")[0].rsplit(":", 1)[0]).lower()
    return not host or host in PREVIEW_HOSTS or host.endswith((".local", ".localhost", ".test"))


@check("site")
def domain_pattern(site: Site, rule: Rule) -> Iterator[Finding]:
    cfg = site.config
    if is_preview(cfg.siteurl):
        return
    host = re.sub(r"^[a-z]+://", "", cfg.siteurl).split("/")[0].rsplit(":", 1)[0].lower()
    province = re.escape(cfg.province_slug) if cfg.province_slug else r"[a-z0-9-]+"
    patterns = {
        "so": rf"^[a-z0-9-]+\.{province}\.gov\.vn$",
        "ubnd_tinh": rf"^(www\.)?{province}\.gov\.vn$",
        "bo": r"^(www\.)?[a-z0-9-]+\.gov\.vn$",
    }
    if not re.match(patterns[cfg.level], host):
        example = {
            "so": f"tencoquan.{cfg.province_slug or 'tentinh'}.gov.vn",
            "ubnd_tinh": f"{cfg.province_slug or 'tentinh'}.gov.vn",
            "bo": "tenbo.gov.vn",
        }[cfg.level]
        yield site_finding(rule, f"SITEURL dùng tên miền “{host}”, cần dạng {example}")


@check("site")
def https_siteurl(site: Site, rule: Rule) -> Iterator[Finding]:
    if not is_preview(site.config.siteurl) and not site.config.siteurl.startswith("https://"):
        yield site_finding(rule, f"SITEURL là {site.config.siteurl}")


@check("site")
def freshness(site: Site, rule: Rule) -> Iterator[Finding]:
    cfg = site.config
    news = [
        d
        for d in site.articles
        if d.category == cfg.news_category and d.date is not None and _published(d)
    ]
    if news:
        newest = max(news, key=lambda d: d.date)
        age = wd(newest.date.date(), cfg.today, cfg.holidays)
        if age > cfg.news_max_age:
            yield site_finding(
                rule,
                f"tin mới nhất của chuyên mục {cfg.news_category} đăng ngày {_dmy(newest.date)}, "
                f"đã {age} ngày làm việc (giới hạn {cfg.news_max_age})",
            )
    keys = ("chuc-nang-nhiem-vu", "so-do-to-chuc", "lanh-dao", "lien-he", "can-bo-lien-he")
    seen: set[str] = set()
    for key in keys:
        for target in section_targets(site).get(key, []):
            if target.doc is None or target.url in seen:
                continue
            seen.add(target.url)
            updated = _last_update(target.doc)
            if updated is None:
                yield Finding(
                    rule.id, target.doc.path, "trang không ghi ngày cập nhật (Modified)", target.url
                )
            elif (cfg.today - updated.date()).days > cfg.page_max_age_days:
                yield Finding(
                    rule.id,
                    target.doc.path,
                    f"trang cập nhật lần cuối ngày {_dmy(updated)}, quá "
                    f"{cfg.page_max_age_days} ngày",
                    target.url,
                )


@check("site")
def archive_kept(site: Site, rule: Rule) -> Iterator[Finding]:
    if not site.previous_manifest:
        return
    current = {d.url for d in site.docs if _published(d)}
    moved = {k.strip("/") + "/": v for k, v in site.config.moved_urls.items()}
    for url in sorted(site.previous_manifest):
        if url not in current and url not in moved and url.rstrip("/") + "/" not in moved:
            yield site_finding(rule, f"/{url} có ở lần xuất bản trước nhưng nay không còn")


@check("site")
def maintenance_notice(site: Site, rule: Rule) -> Iterator[Finding]:
    plan = site.config.maintenance
    if not plan:
        return
    start = field_date(plan.get("start"))
    if start is None or start < site.config.today:
        return
    slug = str(plan.get("notice") or "")
    notice = next((d for d in site.docs if d.slug == slug and _published(d)), None)
    if notice is None or notice.date is None:
        yield site_finding(rule, f"chưa đăng thông báo tạm ngừng ngày {_dmy(start)}")
        return
    days = wd(notice.date.date(), start, site.config.holidays)
    if days < rule.params["days"]:
        yield Finding(
            rule.id,
            notice.path,
            f"thông báo đăng trước {days} ngày làm việc (cần ít nhất {rule.params['days']})",
            notice.url,
        )


@check("site")
def email_directory(site: Site, rule: Rule) -> Iterator[Finding]:
    without = [u.name for u in site.units if not u.email]
    if without:
        yield site_finding(rule, "đơn vị chưa có thư điện tử: " + "; ".join(without))
    target = best_target(site, "lien-he")
    if target is None or target.doc is None:
        return
    text = target.doc.content.lower()
    absent = [u.name for u in site.units if u.email and u.email.lower() not in text]
    if absent:
        yield site_finding(
            rule, f"trang /{target.url} chưa liệt kê thư điện tử của: " + "; ".join(absent)
        )


# -- posts ------------------------------------------------------------------------------


def _doc_text(doc: Doc) -> str:
    """Title, summary and body as plain text (computed once per post)."""
    cached = doc.__dict__.get("_plain")
    if cached is None:
        cached = doc.__dict__["_plain"] = "\n".join(
            (doc.title, doc.summary, plain_text(doc.content))
        )
    return cached


@check("doc", post_only=True)
def legacy_encoding(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    found = detect_legacy_encoding(_doc_text(doc))
    if found:
        yield doc_finding(
            rule, doc, f"chữ trông như bảng mã {found.encoding}, ví dụ: “{found.sample}”"
        )


@check("doc", post_only=True)
def security_marks(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    marks = find_security_marks(_doc_text(doc))
    if marks:
        yield doc_finding(rule, doc, "có dấu: " + ", ".join(sorted(set(marks))))
    for name in ("document_file", "consultation_file", "image"):
        value = doc.field(name) if name != "image" else doc.image
        if value and security_marks_in_filename(str(value)):
            yield doc_finding(rule, doc, f"tên tệp “{value}” có dấu độ mật")


@check("doc", post_only=True)
def image_credit(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if doc.source_name and doc.image and not doc.field("image_credit"):
        yield doc_finding(rule, doc, f"ảnh {doc.image}; bài lấy từ {doc.source_name}")


@check("doc", post_only=True)
def author_present(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    """The unit's byline is the author and source Art. 5(3) asks for; Author is optional."""
    if not doc.author.strip() and not doc.unit.strip():
        yield doc_finding(rule, doc, "thiếu cả Author lẫn Unit")


def is_document(doc: Doc) -> bool:
    return any(doc.field(name) is not None for name, _ in DOCUMENT_FIELDS) and (
        doc.field("document_type") is not None or doc.field("document_number") is not None
    )


@check("doc", post_only=True)
def document_fields(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    """Every entry of the register (plugins/documents) shows the fields of Art. 10.1.e.

    The register refuses a document without its type, issuer, number, issue date or file,
    so this finds what the register allows and the law does not (an odd number, say)."""
    if doc.field("document_draft"):
        return
    missing = _missing(doc, DOCUMENT_FIELDS)
    if not doc.title:
        missing.append("Title (trích yếu)")
    if missing:
        yield doc_finding(rule, doc, "thiếu " + "; ".join(missing))
    issued = field_date(doc.field("document_issued"))
    effective = field_date(doc.field("document_effective"))
    if issued and effective and effective < issued:
        yield doc_finding(rule, doc, "ngày hiệu lực trước ngày ban hành")
    number = doc.field("document_number")
    if number is not None and not DOC_NUMBER_RE.match(str(number)):
        yield doc_finding(rule, doc, f"số ký hiệu “{number}” không đúng dạng, ví dụ 123/QĐ-SGTVT")


def _register_keys(site: Site) -> set[str]:
    cached = getattr(site, "_register_keys", None)
    if cached is None:
        cached = {
            number_key(str(d.field("document_number")))
            for d in site.docs
            if d.kind == "document" and d.field("document_number")
        }
        site._register_keys = cached  # type: ignore[attr-defined]
    return cached


@check("doc")  # depends on the whole register: never memoised per post
def document_category(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    """A post in a document category, or one carrying Document_ fields, is news *about* a
    document: the document itself belongs in the register, and the post links to it."""
    if doc.status == "draft":
        return
    if doc.category not in site.config.document_categories and not is_document(doc):
        return
    keys = _register_keys(site)
    declared = [doc.field("document_number"), doc.field("related_doc_number")]
    linked = {number_key(str(n)) for n in declared if n is not None} | numbers_in(doc.content)
    if linked & keys:
        return
    yield doc_finding(
        rule,
        doc,
        "bài không liên kết tới văn bản nào trong sổ văn bản"
        + (f" (số {declared[0]} chưa có trong content/van-ban/)" if declared[0] else ""),
    )


@check("doc", post_only=True)
def project_fields(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if not any(doc.field(name) is not None for name, _ in PROJECT_FIELDS):
        return
    missing = _missing(doc, PROJECT_FIELDS)
    if missing:
        yield doc_finding(rule, doc, "thiếu " + "; ".join(missing))
    status = doc.field("project_status")
    if status is not None and fold(str(status)).replace(" ", "-") not in PROJECT_STATUSES:
        yield doc_finding(
            rule,
            doc,
            f"Project_Status “{status}” phải là một trong: {', '.join(PROJECT_STATUSES)}",
        )


@check("doc", post_only=True)
def consultation_fields(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if doc.kind == "document":
        if doc.field("document_draft"):
            yield from _draft_consultation(doc, site, rule)
        return
    if doc.category not in site.config.consultation_categories:
        return
    missing = _missing(doc, CONSULTATION_FIELDS)
    if missing:
        yield doc_finding(rule, doc, "thiếu " + "; ".join(missing))
    deadline = doc.field("consultation_deadline")
    if deadline is not None and field_date(deadline) is None:
        yield doc_finding(rule, doc, f"Consultation_Deadline “{deadline}” không phải ngày")
    email = doc.field("consultation_email")
    if email is not None and not _official(str(email), site):
        yield doc_finding(rule, doc, f"{email} không phải thư điện tử công vụ")


def _draft_consultation(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    """A draft in the register: its files are the draft; a deadline and a way to reply."""
    missing = [
        label
        for name, label in CONSULTATION_FIELDS
        if name != "consultation_file" and doc.field(name) is None
    ]
    if doc.field("consultation_email") is not None or doc.field("consultation_address"):
        missing = [m for m in missing if "Email" not in m and "Address" not in m]
    if missing:
        yield doc_finding(rule, doc, "thiếu " + "; ".join(missing))
    email = doc.field("consultation_email")
    if email is not None and not _official(str(email), site):
        yield doc_finding(rule, doc, f"{email} không phải thư điện tử công vụ")


def _fields_missing(
    doc: Doc, rule: Rule, categories: list[str], names: tuple[str, ...]
) -> Iterator[Finding]:
    """A post of these categories fills in every one of these fields."""
    if doc.category in categories:
        missing = [name for name in names if doc.field(name.lower()) is None]
        if missing:
            yield doc_finding(rule, doc, "thiếu " + ", ".join(missing))


@check("doc", post_only=True)
def law_fields(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    names = ("Related_Doc_Number", "Related_Doc_Date")
    yield from _fields_missing(doc, rule, site.config.law_categories, names)


@check("doc", post_only=True)
def plan_fields(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    names = ("Document_Number", "Document_Issued", "Document_File")
    yield from _fields_missing(doc, rule, site.config.plan_categories, names)


def _late(
    doc: Doc, site: Site, rule: Rule, start_value: object, limit: int, what: str
) -> Iterator[Finding]:
    start = field_date(start_value)
    if start is None or doc.date is None:
        return
    days = wd(start, doc.date.date(), site.config.holidays)
    if days > limit:
        yield doc_finding(
            rule,
            doc,
            f"{what} ngày {_dmy(start)}, bài đăng ngày {_dmy(doc.date)}: {days} ngày làm việc "
            f"(tối đa {limit})",
        )


@check("doc", post_only=True)
def deadline_law(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if doc.category in site.config.law_categories:
        yield from _late(
            doc, site, rule, doc.field("related_doc_date"), rule.params["limit"], "văn bản ban hành"
        )


def is_own_document(doc: Doc, site: Site) -> bool:
    if doc.field("document_issuer_own") is not None:
        return bool(doc.field("document_issuer_own"))
    issuer = fold(str(doc.field("document_issuer") or ""))
    agency = fold(site.config.agency_name)
    short = fold(site.config.identity.get("short_name", "")) or "so gtvt"
    return bool(issuer) and (issuer in agency or agency in issuer or issuer == short)


@check("doc", post_only=True)
def deadline_document(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if doc.field("document_draft"):
        return
    own = is_own_document(doc, site)
    limit = rule.params["own"] if own else rule.params["other"]
    yield from _late(doc, site, rule, doc.field("document_issued"), limit, "văn bản ban hành")


@check("doc", post_only=True)
def deadline_plan(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if doc.category in site.config.plan_categories and doc.field("document_issued"):
        start = doc.field("document_issued")
    else:
        start = doc.field("project_approved")
    yield from _late(doc, site, rule, start, rule.params["limit"], "phê duyệt")


@check("doc", post_only=True)
def deadline_answer(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    if doc.field("question_date") is not None:
        yield from _late(
            doc, site, rule, doc.field("question_date"), rule.params["limit"], "câu hỏi gửi"
        )


@check("doc", post_only=True)
def required_metadata(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    missing = [
        label
        for label, value in (("Title", doc.title), ("Date", doc.date), ("Unit", doc.unit))
        if not value
    ]
    if missing:
        yield doc_finding(rule, doc, "thiếu " + ", ".join(missing))


@check("doc", post_only=True)
def description_length(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    size = len(doc.summary)
    if not size:
        yield doc_finding(rule, doc, "chưa có Summary")
    elif not rule.params["min"] <= size <= rule.params["max"]:
        yield doc_finding(rule, doc, f"Summary dài {size} ký tự")


@check("doc")  # reads the previous build's manifest: runs on every build
def modified_updated(doc: Doc, site: Site, rule: Rule) -> Iterator[Finding]:
    previous = (site.previous_manifest or {}).get(doc.url)
    if not previous:
        return
    if previous.get("hash") != content_hash(doc) and previous.get("modified") == stamp(doc):
        yield doc_finding(rule, doc, "nội dung khác lần xuất bản trước")
