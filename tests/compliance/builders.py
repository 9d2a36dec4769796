"""Small builders for compliance tests: a valid site, post, page and rendered HTML page.

Each builder returns something that passes every rule; a test changes one thing to
make one rule fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.compliance import engine
from plugins.compliance.holidays import parse_holidays
from plugins.compliance.model import CategoryInfo, Config, Doc, Finding, Site, UnitInfo
from plugins.compliance.output import Asset, Output, PageView
from plugins.compliance.registry import CHECKS
from plugins.compliance.rules import PACKS, Rule
from plugins.compliance.settings import DEFAULT_SECTIONS, DEFAULT_SELECTORS

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SITEURL = "https://sgtvt.lamson.gov.vn"
IDENTITY = {
    "agency": "Sở Giao thông vận tải tỉnh Lam Sơn",
    "responsible": "Ông Trần Minh Quang, Phó Giám đốc Sở",
    "address": "Số 18 đường Lê Lợi, phường Đông Thành, tỉnh Lam Sơn",
    "phone": "0237 3 852 100",
    "email": "sgtvt@lamson.gov.vn",
    "fax": "0237 3 852 199",
}
CATEGORIES = [
    "tin-tuc-su-kien",
    "chi-dao-dieu-hanh",
    "pho-bien-phap-luat",
    "quy-hoach-ke-hoach",
    "van-ban",
    "du-an-dau-thau",
    "lay-y-kien",
]
TODAY = dt.date(2026, 11, 20)  # a Friday


def when(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=TZ)


def rule(rule_id: str, pack: str = "43/2011") -> Rule:
    return next(r for r in PACKS[pack] if r.id == rule_id)


def config(**changes: Any) -> Config:
    values: dict[str, Any] = {
        "siteurl": SITEURL,
        "identity": dict(IDENTITY),
        "agency_name": IDENTITY["agency"],
        "selectors": dict(DEFAULT_SELECTORS),
        "sections": {k: list(v) for k, v in DEFAULT_SECTIONS.items()},
        "menu_labels": ["Trang chủ", "Giới thiệu", "Dịch vụ công", "Sơ đồ"],
        "holidays": parse_holidays(["2026-09-01", "2026-09-02"]),
        "document_categories": ["van-ban"],
        "plan_categories": ["quy-hoach-ke-hoach"],
        "law_categories": ["pho-bien-phap-luat"],
        "consultation_categories": ["lay-y-kien"],
        "official_email_domains": ["lamson.gov.vn"],
        "province_slug": "lamson",
        "province_portal_url": "https://lamson.gov.vn",
        "dvc_hosts": ["dichvucong.gov.vn"],
        "today": TODAY,
    }
    values.update(changes)
    return Config(**values)


LONG_TEXT = (
    "<p>" + "Nội dung trang giới thiệu của Sở Giao thông vận tải tỉnh Lam Sơn. " * 3 + "</p>"
)


def post(**changes: Any) -> Doc:
    values: dict[str, Any] = {
        "kind": "article",
        "path": "content/posts/2026/bai.md",
        "url": "2026/11/bai/",
        "save_as": "2026/11/bai/index.html",
        "title": "Họp giao ban tháng 11",
        "date": when("2026-11-19T09:00"),
        "category": "tin-tuc-su-kien",
        "unit": "Văn phòng Sở",
        "author": "Nguyễn Thị Hoa",
        "summary": "Sở Giao thông vận tải họp giao ban đánh giá kết quả công tác tháng 10.",
        "content": "<p>Sáng nay, Sở Giao thông vận tải tổ chức họp giao ban.</p>",
        "slug": "bai",
    }
    values.update(changes)
    return Doc(**values)


def page_doc(slug: str, sections: str = "", content: str = LONG_TEXT, **changes: Any) -> Doc:
    fields = {"section": sections} if sections else {}
    values: dict[str, Any] = {
        "kind": "page",
        "path": f"content/pages/{slug}.md",
        "url": f"{slug}/",
        "save_as": f"{slug}/index.html",
        "title": slug,
        "slug": slug,
        "content": content,
        "modified": when("2026-11-02T08:00"),
        "fields": fields,
    }
    values.update(changes)
    return Doc(**values)


OFFICIALS = (
    "<table><tr><th>Họ tên</th><th>Chức vụ</th><th>Điện thoại</th><th>Thư điện tử</th></tr>"
    "<tr><td>Lương Văn Thạch</td><td>Giám đốc</td><td>0237 3 852 102</td>"
    "<td>thachlv.sgtvt@lamson.gov.vn</td></tr></table>"
)
CONTACTS = (
    "<p>Địa chỉ: Số 18 đường Lê Lợi, phường Đông Thành, tỉnh Lam Sơn. Điện thoại: 0237 3 852 "
    "100. Thư điện tử: sgtvt@lamson.gov.vn; vanphong.sgtvt@lamson.gov.vn</p>"
)


def good_pages() -> list[Doc]:
    return [
        page_doc("gioi-thieu", "chuc-nang-nhiem-vu"),
        page_doc("so-do-to-chuc", "so-do-to-chuc"),
        page_doc("lich-su-hinh-thanh", "lich-su"),
        page_doc("lanh-dao-so", "lanh-dao"),
        page_doc("lich-lam-viec", "lich-lam-viec", modified=when("2026-11-16T16:00")),
        page_doc("can-bo-lien-he", "can-bo-lien-he", OFFICIALS),
        page_doc("lien-he", "lien-he", CONTACTS),
        page_doc(
            "hoi-dap",
            "hoi-dap",
            '<p>Gửi câu hỏi tới <a href="mailto:hoidap@lamson.gov.vn">hoidap@lamson.gov.vn</a>'
            ". Sở trả lời trong 15 ngày làm việc kể từ ngày nhận câu hỏi.</p>",
        ),
        page_doc(
            "tiep-can-thong-tin",
            "tiep-can-thong-tin",
            "<p>Đầu mối cung cấp thông tin: Văn phòng Sở; thư điện tử "
            "tiepcan.sgtvt@lamson.gov.vn; danh mục thông tin công khai của Sở.</p>",
        ),
        page_doc("chinh-sach-rieng-tu", "chinh-sach-rieng-tu"),
    ]


def site(docs: list[Doc] | None = None, cfg: Config | None = None, **kw: Any) -> Site:
    if docs is None:
        docs = [post(), *good_pages()]
    categories = {
        slug: CategoryInfo(slug, slug, f"chuyen-muc/{slug}/", 1 if slug != "empty" else 0)
        for slug in CATEGORIES
    }
    categories.update(kw.pop("categories", {}))
    units = kw.pop(
        "units", [UnitInfo("van-phong", "Văn phòng Sở", "", "", "vanphong.sgtvt@lamson.gov.vn")]
    )
    result = Site(cfg or config(), docs, categories, units, **kw)
    result.required_sections = engine.required_sections(  # type: ignore[attr-defined]
        engine.rules_for(result.config.pack, result.config.level)
    )
    return result


DC = (
    '<link rel="canonical" href="{siteurl}/{url}">'
    '<meta name="DC.title" content="Họp giao ban">'
    '<meta name="DC.creator" content="Văn phòng Sở">'
    '<meta name="DC.date" content="{date}">'
    '<meta name="DC.description" content="Mô tả">'
    '<meta name="DC.publisher" content="Sở Giao thông vận tải tỉnh Lam Sơn">'
    '<meta name="DC.identifier" content="{siteurl}/{url}">'
)
HEADER = (
    '<header><a href="/"><img src="/logo.svg" alt="Quốc huy"></a>'
    "<p>Sở Giao thông vận tải tỉnh Lam Sơn</p>"
    '<form role="search" action="/tim-kiem/"><input name="q"></form>'
    '<nav class="main-nav"><a href="{siteurl}/">Trang chủ</a>'
    '<a href="{siteurl}/gioi-thieu/">Giới thiệu</a>'
    '<a href="https://dichvucong.gov.vn/">Dịch vụ công trực tuyến</a>'
    '<a href="{siteurl}/so-do-trang/">Sơ đồ cổng</a></nav></header>'
)
FOOTER = (
    '<footer><p>© Bản quyền thuộc Sở Giao thông vận tải tỉnh Lam Sơn</p><dl class="identity-block">'
    "<dd>Ông Trần Minh Quang, Phó Giám đốc Sở</dd>"
    "<dd>Số 18 đường Lê Lợi, phường Đông Thành, tỉnh Lam Sơn</dd>"
    "<dd>0237 3 852 100</dd><dd>sgtvt@lamson.gov.vn</dd></dl>"
    '<a href="{siteurl}/chinh-sach-rieng-tu/">Thông báo thu thập thông tin</a></footer>'
)
TOOLS = '<div class="article-tools"><button class="print">In</button><a class="save">Lưu</a></div>'


def html(
    body: str = "<p>Nội dung.</p>",
    head: str | None = None,
    header: str | None = None,
    footer: str | None = None,
    tools: str = TOOLS,
    byline: str = '<p class="byline">Nguyễn Thị Hoa</p>',
    url: str = "2026/11/bai/",
    date: str = "2026-11-19T09:00:00+07:00",
    first_head: str = '<meta charset="utf-8">',
) -> str:
    head = DC if head is None else head
    header = HEADER if header is None else header
    footer = FOOTER if footer is None else footer
    fill = {"siteurl": SITEURL, "url": url, "date": date}
    return (
        f'<!DOCTYPE html><html lang="vi"><head>{first_head}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Họp giao ban</title>{head.format(**fill)}</head><body>"
        f"{header.format(**fill)}<main><article><h1>Họp giao ban</h1>{tools}"
        f'<div class="article-body">{body}</div>{byline}</article></main>'
        f"{footer.format(**fill)}</body></html>"
    )


def view(
    text: str | None = None, kind: str = "article", doc: Doc | None = None, **kw: Any
) -> PageView:
    if doc is None and kind == "article":
        doc = post()
    rel = (doc.save_as if doc else "") or ("index.html" if kind == "home" else "x/index.html")
    return PageView(
        rel, text if text is not None else html(**kw), kind, doc, dict(DEFAULT_SELECTORS), SITEURL
    )


def output(**changes: Any) -> Output:
    values: dict[str, Any] = {
        "has_home": True,
        "files": {"sitemap.xml", "rss/tat-ca.xml"},
        "html_urls": {"", "so-do-trang/"},
        "nav": [
            ("Trang chủ", "", f"{SITEURL}/"),
            ("Giới thiệu", "gioi-thieu/", f"{SITEURL}/gioi-thieu/"),
            ("Dịch vụ công trực tuyến", None, "https://dichvucong.gov.vn/"),
            ("Liên hệ", "lien-he/", f"{SITEURL}/lien-he/"),
        ],
        "home_links": {"", "gioi-thieu/", "lien-he/", "so-do-trang/"}
        | {f"chuyen-muc/{c}/" for c in CATEGORIES},
        "home_hrefs": ["https://lamson.gov.vn/"],
        "home_accesskeys": {"1", "2", "3"},
        "home_has_font_size": True,
        "footer_links": {"chinh-sach-rieng-tu/"},
        "page_links": {
            "gioi-thieu/": {
                "so-do-to-chuc/",
                "lich-su-hinh-thanh/",
                "lanh-dao-so/",
                "lich-lam-viec/",
            },
            "lien-he/": {
                "can-bo-lien-he/",
                "hoi-dap/",
                "tiep-can-thong-tin/",
                "chinh-sach-rieng-tu/",
            },
        },
        "feeds": ["rss/tat-ca.xml"],
        "css_print": True,
    }
    values.update(changes)
    return Output(**values)


def run_rule(
    rule_id: str,
    the_site: Site | None = None,
    pages: list[PageView] = (),
    assets: list[Asset] = (),
    out: Output | None = None,
    pack: str = "43/2011",
) -> list[Finding]:
    """Every check of one rule over the given inputs, as the engine would run them."""
    the_site = the_site or site()
    the_rule = rule(rule_id, pack)
    found: list[Finding] = []
    for name in the_rule.checks:
        kind, fn = CHECKS[name]
        if kind == "site":
            found += fn(the_site, the_rule)
        elif kind == "doc":
            for doc in the_site.docs:
                if the_rule.applies_to(doc.kind):
                    found += fn(doc, the_site, the_rule)
        elif kind == "page":
            for page in pages:
                if the_rule.applies_to(page.kind):
                    found += fn(page, the_site, the_rule)
        elif kind == "asset":
            for asset in assets:
                found += fn(asset, the_site, the_rule)
        elif kind == "output":
            found += fn(out or output(), the_site, the_rule)
    return found


def asset(tmp: Path, rel: str, data: bytes | str) -> Asset:
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Asset(rel, str(path))
