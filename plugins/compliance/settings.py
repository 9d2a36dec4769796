"""The plugin's settings: defaults, validation, and the plain ``Config`` the checks read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from plugins.portal_core.files import beside_content
from plugins.portal_core.settings import (
    Option,
    Settings,
    choice,
    flag,
    folder,
    number,
    strings,
    text,
)

from .holidays import DEFAULT_HOLIDAYS, parse_holidays
from .model import LEVELS, Config
from .rules import PACKS, all_rule_ids, canonical_id
from .selectors import SelectorError, parse_selector

#: Where each required section is found by default: "page:<slug>", "category:<slug>" or
#: "register:<what>" (the register of documents: "van-ban" any document, "du-thao" a
#: draft for comment; plugins/documents).
#: A page can also claim a section itself with ``Section: <key>`` in its front-matter.
SECTION_SOURCES = ("page:", "category:", "register:")
DEFAULT_SECTIONS: dict[str, list[str]] = {
    "chuc-nang-nhiem-vu": ["page:gioi-thieu"],
    "so-do-to-chuc": ["page:so-do-to-chuc"],
    "lich-su": ["page:lich-su-hinh-thanh"],
    "lanh-dao": ["page:lanh-dao-so"],
    "tin-tuc-su-kien": ["category:tin-tuc-su-kien"],
    "chi-dao-dieu-hanh": ["category:chi-dao-dieu-hanh"],
    "lich-lam-viec": ["page:lich-lam-viec"],
    "pho-bien-phap-luat": ["category:pho-bien-phap-luat"],
    "quy-hoach-ke-hoach": ["category:quy-hoach-ke-hoach"],
    "van-ban": ["register:van-ban", "category:van-ban"],
    "du-an-dau-thau": ["category:du-an-dau-thau"],
    "lay-y-kien": ["category:lay-y-kien", "register:du-thao"],
    "can-bo-lien-he": ["page:can-bo-lien-he"],
    "lien-he": ["page:lien-he"],
    "hoi-dap": ["page:hoi-dap"],
    "tiep-can-thong-tin": ["page:tiep-can-thong-tin"],
    "chinh-sach-rieng-tu": ["page:chinh-sach-rieng-tu"],
}

DEFAULT_SELECTORS: dict[str, str] = {
    "header": "header",
    "main_nav": "nav.main-nav",
    "footer": "footer",
    "identity_block": ".identity-block",
    "main": "main",
    "article_body": ".article-body",
    "byline": ".byline",
    "source": ".source",
    "search_form": "form[role=search]",
    "print": ".article-tools .print",
    "save": ".article-tools .save",
    "rating": ".article-rating",
    "font_size": ".font-size",
}


def _waivers(value: Any, settings: Mapping) -> bool | str:
    if not isinstance(value, Mapping):
        return 'COMPLIANCE_WAIVERS must be a dict {"RULE-ID": "reason"}.'
    known = all_rule_ids()
    lines = []
    for rule_id, reason in value.items():
        if canonical_id(str(rule_id)) not in known:
            lines.append(f"COMPLIANCE_WAIVERS: unknown rule id {rule_id!r}.")
        if not isinstance(reason, str) or len(reason.strip()) < 5:
            lines.append(f"COMPLIANCE_WAIVERS[{rule_id!r}]: write the reason for the waiver.")
    return " ".join(lines) or True


def _selectors(value: Any, settings: Mapping) -> bool | str:
    lines = []
    for key, selector in (value or {}).items():
        try:
            parse_selector(selector)
        except SelectorError as exc:
            lines.append(f"COMPLIANCE_SELECTORS[{key!r}]: {exc}.")
    return " ".join(lines) or True


def _holidays(value: Any, settings: Mapping) -> bool | str:
    try:
        parse_holidays(value)
    except (ValueError, TypeError) as exc:
        return f"COMPLIANCE_HOLIDAYS: {exc}."
    return True


def _today(value: Any, settings: Mapping) -> bool:
    try:
        return value is None or bool(_date(value))
    except ValueError:
        return False


def _sections(value: Any, settings: Mapping) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(v, (list, tuple)) and all(str(c).startswith(SECTION_SOURCES) for c in v)
        for v in value.values()
    )


def _categories(default: list[str] | None, doc: str) -> Option:
    return strings(default, doc) if default is not None else Option(None, doc)


SETTINGS = Settings(
    COMPLIANCE_PACK=choice(
        "43/2011",
        "rule pack",
        tuple(PACKS),
        message="{name} must be one of " + ", ".join(PACKS) + ", not {value!r}.",
    ),
    COMPLIANCE_AGENCY_LEVEL=choice(
        "so",
        "`so`, `ubnd_tinh`, `bo`: which rows apply, and D43-13.1's severity",
        tuple(LEVELS),
        message="{name} must be one of " + ", ".join(LEVELS) + ", not {value!r}.",
    ),
    COMPLIANCE_FAIL_ON_ERROR=flag(False, "errors fail the build"),
    COMPLIANCE_REPORT_DIR=folder(
        "reports/compliance", "report folder; relative to the folder holding PATH"
    ),
    COMPLIANCE_CACHE_PATH=Option(
        "cache/compliance",
        "findings kept between builds; relative to the folder holding PATH; None: no cache; "
        "deleting the folder is safe",
        valid=lambda v, s: v is None or (isinstance(v, str) and bool(v.strip())),
        message='{name} must be a folder (e.g. "cache/compliance") or None (no cache), '
        "not {value!r}.",
    ),
    COMPLIANCE_WORKERS=number(
        0,
        "processes for the page checks of a big site: 0 one per core, 1 this process only",
        message="{name} must be a whole number ≥ 0 (0: one per core), not {value!r}.",
    ),
    COMPLIANCE_WAIVERS=Option(
        {}, '`{"RULE-ID": "written reason"}` for the whole site', valid=_waivers
    ),
    COMPLIANCE_SECTIONS=Option(
        {},
        'where each required section is: `{"key": ["page:<slug>", "category:<slug>"]}`, '
        "merged over DEFAULT_SECTIONS",
        valid=_sections,
        message='{name} must map a section to ["page:<slug>", "category:<slug>", '
        '"register:van-ban"].',
    ),
    COMPLIANCE_SELECTORS=Option(
        {}, "theme selectors, merged over DEFAULT_SELECTORS", valid=_selectors
    ),
    COMPLIANCE_MENU_LABELS=strings(
        ["Trang chủ", "Giới thiệu", "Dịch vụ công", "Sơ đồ"],
        "labels the main menu must contain (TT32-16.3.a)",
    ),
    COMPLIANCE_HOLIDAYS=Option(
        list(DEFAULT_HOLIDAYS),
        'public holidays, ISO dates or "2027-02-05..2027-02-11" ranges; extend it every year',
        valid=_holidays,
        shown="holidays.py (2022–2026)",
    ),
    COMPLIANCE_NEWS_CATEGORY=text("tin-tuc-su-kien", "whose freshness D43-17.1.a watches"),
    COMPLIANCE_NEWS_MAX_AGE=number(
        7,
        "working days without news before a warning",
        low=1,
        message="{name} must be a whole number ≥ 1, not {value!r}.",
    ),
    COMPLIANCE_PAGE_MAX_AGE_DAYS=number(
        365,
        "age of intro/contact pages' Modified before a warning",
        low=1,
        message="{name} must be a whole number ≥ 1, not {value!r}.",
    ),
    COMPLIANCE_DOCUMENT_CATEGORIES=_categories(
        ["van-ban"], "posts here that link no register entry get D43-10.1.e.category"
    ),
    COMPLIANCE_PLAN_CATEGORIES=_categories(
        ["quy-hoach-ke-hoach"], "D43-10.1.dd.fields, D43-17.1.d"
    ),
    COMPLIANCE_LAW_CATEGORIES=_categories(["pho-bien-phap-luat"], "D43-10.1.d.fields, D43-17.1.b"),
    COMPLIANCE_CONSULTATION_CATEGORIES=_categories(["lay-y-kien"], "D43-10.1.i.fields"),
    COMPLIANCE_DC_CATEGORIES=_categories(
        None, "categories whose posts must carry Dublin Core; None: all"
    ),
    COMPLIANCE_OFFICIAL_EMAIL_DOMAINS=Option(
        None, "official e-mail domains; None: the domain of PORTAL_IDENTITY's email"
    ),
    COMPLIANCE_PROVINCE_SLUG=Option(
        None, "domain pattern of D43-6.1.b; None: taken from that e-mail domain"
    ),
    COMPLIANCE_PROVINCE_PORTAL_URL=Option(
        None, "link required by D43-15.1.b; None: https://<province>.gov.vn"
    ),
    COMPLIANCE_DVC_HOSTS=strings(
        ["dichvucong.gov.vn"], "online public-service portals (D43-18.2, N224-9.1.a)"
    ),
    COMPLIANCE_SITEMAP_URL=Option(
        lambda settings: settings.get("SITEMAP_PAGE_URL") or "so-do-trang/",
        "the HTML site map",
        shown='SITEMAP_PAGE_URL or "so-do-trang/"',
    ),
    COMPLIANCE_SITEMAP_XML=text("sitemap.xml", "the XML site map"),
    COMPLIANCE_COLLECTS=strings(
        [],
        "what the site collects that its HTML does not show (e.g. the visitor counter); "
        "makes TT25-5.1 require the privacy page",
    ),
    COMPLIANCE_MAINTENANCE=Option(
        None,
        '`{"start": "2026-12-20", "notice": "<slug>"}` (N224-13.1.a)',
        valid=lambda v, s: v is None or (isinstance(v, Mapping) and "start" in v),
        message='{name} must be {{"start": "YYYY-MM-DD", "notice": "<slug>"}}.',
    ),
    COMPLIANCE_MOVED_URLS=Option(
        {}, '`{"old/url/": "new/url/"}`: moved posts are not "disappeared" (D43-17.2)'
    ),
    COMPLIANCE_TODAY=Option(
        None,
        'fixes "today" for the timeliness rules (tests, re-runs)',
        valid=_today,
        message="{name} must be a date (YYYY-MM-DD), not {value!r}.",
    ),
)
DEFAULTS: dict[str, Any] = SETTINGS.defaults()


#: Front-matter fields the rules read; declared to the reader at start-up.
FIELDS = (
    "section",
    "compliance_waiver",
    "image_credit",
    "document_type",
    "document_issuer",
    "document_number",
    "document_issued",
    "document_effective",
    "document_abstract",
    "document_file",
    "related_doc_number",
    "related_doc_date",
    "project_goal",
    "project_field",
    "project_type",
    "project_period",
    "project_budget",
    "project_funding",
    "project_donor",
    "project_status",
    "project_approved",
    "consultation_file",
    "consultation_deadline",
    "consultation_email",
    "consultation_address",
    "question_date",
)


def apply_defaults(settings: dict[str, Any]) -> None:
    """Fill in the defaults (the schema's check reports bad values) and declare the
    fields the rules read."""
    SETTINGS.apply(settings)
    settings["COMPLIANCE_SITEMAP_URL"] = settings["COMPLIANCE_SITEMAP_URL"] or settings.get(
        "SITEMAP_PAGE_URL", "so-do-trang/"
    )
    extra = list(settings.get("FRONT_MATTER_EXTRA_FIELDS") or [])
    known = {str(f).lower() for f in extra}
    settings["FRONT_MATTER_EXTRA_FIELDS"] = extra + [f for f in FIELDS if f not in known]


def validate(settings: Mapping[str, Any]) -> list[str]:
    """Every wrong compliance setting, as one line each for the operator."""
    return SETTINGS.apply(dict(settings))


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def build_config(settings: Mapping[str, Any], today: dt.date | None = None) -> Config:
    """A validated ``Config`` from Pelican settings (call ``validate`` first)."""
    identity = {k: str(v) for k, v in (settings.get("PORTAL_IDENTITY") or {}).items()}
    email_domain = identity.get("email", "").rpartition("@")[2].lower()
    domains = settings.get("COMPLIANCE_OFFICIAL_EMAIL_DOMAINS") or (
        [email_domain] if email_domain else []
    )
    province = settings.get("COMPLIANCE_PROVINCE_SLUG") or (
        email_domain.split(".")[0] if email_domain.endswith(".gov.vn") else ""
    )
    portal = settings.get("COMPLIANCE_PROVINCE_PORTAL_URL") or (
        f"https://{province}.gov.vn" if province else ""
    )
    sections = {k: list(v) for k, v in DEFAULT_SECTIONS.items()}
    for key, value in (settings.get("COMPLIANCE_SECTIONS") or {}).items():
        sections[key] = list(value)
    if settings.get("COMPLIANCE_TODAY") is not None:
        today = _date(settings["COMPLIANCE_TODAY"])
    dc = settings.get("COMPLIANCE_DC_CATEGORIES")
    return Config(
        pack=settings["COMPLIANCE_PACK"],
        level=settings["COMPLIANCE_AGENCY_LEVEL"],
        siteurl=str(settings.get("SITEURL") or "").rstrip("/"),
        identity=identity,
        agency_name=identity.get("agency") or str(settings.get("SITENAME") or ""),
        selectors={**DEFAULT_SELECTORS, **(settings.get("COMPLIANCE_SELECTORS") or {})},
        sections=sections,
        menu_labels=list(settings["COMPLIANCE_MENU_LABELS"]),
        holidays=parse_holidays(settings["COMPLIANCE_HOLIDAYS"]),
        news_category=settings["COMPLIANCE_NEWS_CATEGORY"],
        news_max_age=settings["COMPLIANCE_NEWS_MAX_AGE"],
        page_max_age_days=settings["COMPLIANCE_PAGE_MAX_AGE_DAYS"],
        document_categories=list(settings["COMPLIANCE_DOCUMENT_CATEGORIES"]),
        document_index=str(settings.get("DOCUMENTS_INDEX_SAVE_AS") or "api/van-ban.json"),
        plan_categories=list(settings["COMPLIANCE_PLAN_CATEGORIES"]),
        law_categories=list(settings["COMPLIANCE_LAW_CATEGORIES"]),
        consultation_categories=list(settings["COMPLIANCE_CONSULTATION_CATEGORIES"]),
        dc_categories=list(dc) if dc is not None else None,
        official_email_domains=[d.lower().lstrip("@") for d in domains],
        province_slug=province,
        province_portal_url=portal.rstrip("/"),
        dvc_hosts=list(settings["COMPLIANCE_DVC_HOSTS"]),
        sitemap_url=settings["COMPLIANCE_SITEMAP_URL"],
        sitemap_xml=settings["COMPLIANCE_SITEMAP_XML"],
        collects=list(settings["COMPLIANCE_COLLECTS"]),
        maintenance=dict(settings["COMPLIANCE_MAINTENANCE"])
        if settings.get("COMPLIANCE_MAINTENANCE")
        else None,
        moved_urls=dict(settings["COMPLIANCE_MOVED_URLS"]),
        waivers={
            canonical_id(str(k)): str(v).strip()
            for k, v in (settings.get("COMPLIANCE_WAIVERS") or {}).items()
        },
        today=today or dt.date.today(),
    )


def cache_dir(settings: Mapping[str, Any]) -> str | None:
    """COMPLIANCE_CACHE_PATH (None: no cache); a relative path is taken, like the report
    folder, from the folder that holds PATH: next to content/, outside the web root."""
    path = settings.get("COMPLIANCE_CACHE_PATH", DEFAULTS["COMPLIANCE_CACHE_PATH"])
    return beside_content(settings, str(path)) if path else None


def report_dir(settings: Mapping[str, Any]) -> str:
    """COMPLIANCE_REPORT_DIR; a relative path is taken from the folder that holds PATH.

    That is the repository root for the real site (content/ lives there) and the test's
    temporary folder for a throw-away site, so reports never land inside the web root.
    """
    return beside_content(settings, str(settings["COMPLIANCE_REPORT_DIR"]))
