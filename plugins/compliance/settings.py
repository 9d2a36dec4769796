"""The plugin's settings: defaults, validation, and the plain ``Config`` the checks read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from plugins.portal_core.files import beside_content

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

DEFAULTS: dict[str, Any] = {
    "COMPLIANCE_PACK": "43/2011",
    "COMPLIANCE_AGENCY_LEVEL": "so",
    "COMPLIANCE_FAIL_ON_ERROR": False,
    "COMPLIANCE_REPORT_DIR": "reports/compliance",
    "COMPLIANCE_CACHE_PATH": "cache/compliance",
    "COMPLIANCE_WORKERS": 0,  # 0: one process per core for the page checks of a big site
    "COMPLIANCE_WAIVERS": {},
    "COMPLIANCE_SECTIONS": {},
    "COMPLIANCE_SELECTORS": {},
    "COMPLIANCE_MENU_LABELS": ["Trang chủ", "Giới thiệu", "Dịch vụ công", "Sơ đồ"],
    "COMPLIANCE_HOLIDAYS": list(DEFAULT_HOLIDAYS),
    "COMPLIANCE_NEWS_CATEGORY": "tin-tuc-su-kien",
    "COMPLIANCE_NEWS_MAX_AGE": 7,
    "COMPLIANCE_PAGE_MAX_AGE_DAYS": 365,
    "COMPLIANCE_DOCUMENT_CATEGORIES": ["van-ban"],
    "COMPLIANCE_PLAN_CATEGORIES": ["quy-hoach-ke-hoach"],
    "COMPLIANCE_LAW_CATEGORIES": ["pho-bien-phap-luat"],
    "COMPLIANCE_CONSULTATION_CATEGORIES": ["lay-y-kien"],
    "COMPLIANCE_DC_CATEGORIES": None,
    "COMPLIANCE_OFFICIAL_EMAIL_DOMAINS": None,  # None: the domain of PORTAL_IDENTITY's email
    "COMPLIANCE_PROVINCE_SLUG": None,  # None: taken from that domain too
    "COMPLIANCE_PROVINCE_PORTAL_URL": None,  # None: https://<province domain>
    "COMPLIANCE_DVC_HOSTS": ["dichvucong.gov.vn"],
    "COMPLIANCE_SITEMAP_URL": "so-do-trang/",
    "COMPLIANCE_SITEMAP_XML": "sitemap.xml",
    "COMPLIANCE_COLLECTS": [],
    "COMPLIANCE_MAINTENANCE": None,
    "COMPLIANCE_MOVED_URLS": {},
    "COMPLIANCE_TODAY": None,
}

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
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    extra = list(settings.get("FRONT_MATTER_EXTRA_FIELDS") or [])
    known = {str(f).lower() for f in extra}
    settings["FRONT_MATTER_EXTRA_FIELDS"] = extra + [f for f in FIELDS if f not in known]


def validate(settings: Mapping[str, Any]) -> list[str]:
    """Every wrong compliance setting, as one line each for the operator."""
    errors: list[str] = []
    pack = settings.get("COMPLIANCE_PACK")
    if pack not in PACKS:
        errors.append(f"COMPLIANCE_PACK must be one of {', '.join(PACKS)}, not {pack!r}.")
    level = settings.get("COMPLIANCE_AGENCY_LEVEL")
    if level not in LEVELS:
        errors.append(f"COMPLIANCE_AGENCY_LEVEL must be one of {', '.join(LEVELS)}, not {level!r}.")
    cache = settings.get("COMPLIANCE_CACHE_PATH")
    if cache is not None and not (isinstance(cache, str) and cache.strip()):
        errors.append(
            'COMPLIANCE_CACHE_PATH must be a folder (e.g. "cache/compliance") or None '
            f"(no cache), not {cache!r}."
        )
    waivers = settings.get("COMPLIANCE_WAIVERS")
    if not isinstance(waivers, Mapping):
        errors.append('COMPLIANCE_WAIVERS must be a dict {"RULE-ID": "reason"}.')
    else:
        known = all_rule_ids()
        for rule_id, reason in waivers.items():
            if canonical_id(str(rule_id)) not in known:
                errors.append(f"COMPLIANCE_WAIVERS: unknown rule id {rule_id!r}.")
            if not isinstance(reason, str) or len(reason.strip()) < 5:
                errors.append(f"COMPLIANCE_WAIVERS[{rule_id!r}]: write the reason for the waiver.")
    for key, value in (settings.get("COMPLIANCE_SELECTORS") or {}).items():
        try:
            parse_selector(value)
        except SelectorError as exc:
            errors.append(f"COMPLIANCE_SELECTORS[{key!r}]: {exc}.")
    try:
        parse_holidays(settings.get("COMPLIANCE_HOLIDAYS"))
    except (ValueError, TypeError) as exc:
        errors.append(f"COMPLIANCE_HOLIDAYS: {exc}.")
    workers = settings.get("COMPLIANCE_WORKERS")
    if workers is not None and (
        not isinstance(workers, int) or isinstance(workers, bool) or workers < 0
    ):
        errors.append(
            f"COMPLIANCE_WORKERS must be a whole number ≥ 0 (0: one per core), not {workers!r}."
        )
    for key in ("COMPLIANCE_NEWS_MAX_AGE", "COMPLIANCE_PAGE_MAX_AGE_DAYS"):
        value = settings.get(key)
        if not isinstance(value, int) or value < 1:
            errors.append(f"{key} must be a whole number ≥ 1, not {value!r}.")
    sections = settings.get("COMPLIANCE_SECTIONS")
    if not isinstance(sections, Mapping) or not all(
        isinstance(v, (list, tuple))
        and all(str(c).startswith(("page:", "category:", "register:")) for c in v)
        for v in sections.values()
    ):
        errors.append(
            'COMPLIANCE_SECTIONS must map a section to ["page:<slug>", "category:<slug>", '
            '"register:van-ban"].'
        )
    maintenance = settings.get("COMPLIANCE_MAINTENANCE")
    if maintenance is not None and not (
        isinstance(maintenance, Mapping) and "start" in maintenance
    ):
        errors.append('COMPLIANCE_MAINTENANCE must be {"start": "YYYY-MM-DD", "notice": "<slug>"}.')
    today = settings.get("COMPLIANCE_TODAY")
    if today is not None:
        try:
            _date(today)
        except ValueError:
            errors.append(f"COMPLIANCE_TODAY must be a date (YYYY-MM-DD), not {today!r}.")
    return errors


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
