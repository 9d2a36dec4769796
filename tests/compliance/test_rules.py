"""Every rule of every pack: one input that passes and one that fails.

``CASES`` maps each rule id to two functions of a temporary folder that return the
rule's findings; the pass case must find nothing, the fail case at least one thing.
A meta-test makes sure no rule is left without its pair.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from plugins.compliance import manifest
from plugins.compliance.model import CategoryInfo, Finding, UnitInfo
from plugins.compliance.rules import PACKS

from .builders import (
    HEADER,
    OFFICIALS,
    SITEURL,
    asset,
    config,
    good_pages,
    html,
    output,
    page_doc,
    post,
    run_rule,
    site,
    view,
    when,
)

Case = Callable[[Path], list[Finding]]


def _without(key: str):
    return site([post(), *[p for p in good_pages() if key not in p.sections]])


def _section_case(rule_id: str, key: str, pack: str = "43/2011") -> tuple[Case, Case]:
    def passing(tmp: Path) -> list[Finding]:
        extra = page_doc(f"trang-{key}", key)
        return run_rule(rule_id, site([post(), *good_pages(), extra]), pack=pack)

    def failing(tmp: Path) -> list[Finding]:
        return run_rule(rule_id, _without(key), pack=pack)

    return passing, failing


def _category_case(rule_id: str, slug: str) -> tuple[Case, Case]:
    def failing(tmp: Path) -> list[Finding]:
        empty = {slug: CategoryInfo(slug, slug, f"chuyen-muc/{slug}/", 0)}
        return run_rule(rule_id, site(categories=empty))

    return (lambda tmp: run_rule(rule_id)), failing


def _post_case(rule_id: str, good: dict, bad: dict, pack: str = "43/2011") -> tuple[Case, Case]:
    return (
        lambda tmp: run_rule(rule_id, site([post(**good)]), pack=pack),
        lambda tmp: run_rule(rule_id, site([post(**bad)]), pack=pack),
    )


def _page_case(rule_id: str, good: dict, bad: dict, pack: str = "43/2011") -> tuple[Case, Case]:
    return (
        lambda tmp: run_rule(rule_id, pages=[view(**good)], pack=pack),
        lambda tmp: run_rule(rule_id, pages=[view(**bad)], pack=pack),
    )


def _page_text_case(rule_id: str, good: str, bad: str, kind: str = "article") -> tuple[Case, Case]:
    return (
        lambda tmp: run_rule(rule_id, pages=[view(good, kind=kind)]),
        lambda tmp: run_rule(rule_id, pages=[view(bad, kind=kind)]),
    )


def _output_case(rule_id: str, good: dict, bad: dict, pack: str = "43/2011") -> tuple[Case, Case]:
    return (
        lambda tmp: run_rule(rule_id, out=output(**good), pack=pack),
        lambda tmp: run_rule(rule_id, out=output(**bad), pack=pack),
    )


def _asset_case(rule_id: str, rel: str, good: str | bytes, bad: str | bytes) -> tuple[Case, Case]:
    return (
        lambda tmp: run_rule(rule_id, assets=[asset(tmp, rel, good)]),
        lambda tmp: run_rule(rule_id, assets=[asset(tmp, rel, bad)]),
    )


PROJECT = {
    "category": "du-an-dau-thau",
    "fields": {
        "project_goal": "Nâng cấp Đường tỉnh 512",
        "project_field": "Giao thông",
        "project_type": "Nhóm B",
        "project_period": "2025-2027",
        "project_budget": "450 tỷ đồng",
        "project_funding": "Ngân sách tỉnh",
        "project_donor": "Không",
        "project_status": "dang-trien-khai",
    },
}
CONSULTATION = {
    "category": "lay-y-kien",
    "fields": {
        "consultation_file": "https://sgtvt.lamson.gov.vn/files/du-thao.pdf",
        "consultation_deadline": "15/12/2026",
        "consultation_email": "gopy.sgtvt@lamson.gov.vn",
        "consultation_address": "Số 18 đường Lê Lợi",
    },
}
LAW = {
    "category": "pho-bien-phap-luat",
    "fields": {"related_doc_number": "36/2024/QH15", "related_doc_date": "10/11/2026"},
}
PLAN = {
    "category": "quy-hoach-ke-hoach",
    "fields": {
        "document_number": "45/QĐ-UBND",
        "document_issued": "12/11/2026",
        "document_file": "https://sgtvt.lamson.gov.vn/files/kh.pdf",
    },
}


#: an entry of the register (plugins/documents), as plugins.compliance.document_doc makes it
REGISTER_ENTRY = {
    "kind": "document",
    "path": "content/van-ban/qd-123.md",
    "url": "van-ban/123-qd-sgtvt/",
    "save_as": "van-ban/123-qd-sgtvt/index.html",
    "category": "",
    "date": when("2026-11-18T09:00"),
    "fields": {
        "document_type": "Quyết định",
        "document_issuer": "Sở Giao thông vận tải tỉnh Lam Sơn",
        "document_issuer_own": True,
        "document_number": "123/QĐ-SGTVT",
        "document_issued": dt.date(2026, 11, 17),
        "document_effective": dt.date(2026, 12, 1),
        "document_file": ["van-ban/files/qd-123.pdf"],
        "document_draft": False,
    },
}


def _register_fields_case() -> tuple[Case, Case]:
    files = {"sitemap.xml", "rss/tat-ca.xml", "van-ban/files/qd-123.pdf"}

    def passing(tmp: Path) -> list[Finding]:
        return run_rule(
            "D43-10.1.e.fields", site([post(**REGISTER_ENTRY)]), out=output(files=files)
        )

    def failing(tmp: Path) -> list[Finding]:
        bad = _with(REGISTER_ENTRY, document_number="QĐ 123", document_issuer=None)
        return run_rule("D43-10.1.e.fields", site([post(**bad)]), out=output(files=files))

    return passing, failing


def _register_news_case() -> tuple[Case, Case]:
    news = {"category": "van-ban", "fields": {"related_doc_number": "123/qđ-sgtvt"}}

    def passing(tmp: Path) -> list[Finding]:
        return run_rule("D43-10.1.e.category", site([post(**news), post(**REGISTER_ENTRY)]))

    def failing(tmp: Path) -> list[Finding]:
        return run_rule("D43-10.1.e.category", site([post(**news)]))

    return passing, failing


def _register_search_case() -> tuple[Case, Case]:
    def make(tmp: Path, listed: int) -> list[Finding]:
        (tmp / "api").mkdir(exist_ok=True)
        (tmp / "api" / "van-ban.json").write_text(
            json.dumps({"documents": [{"n": "x"}] * listed}), encoding="utf-8"
        )
        the_site = site([post(**REGISTER_ENTRY)])
        the_site.output_path = str(tmp)
        files = {"sitemap.xml", "van-ban/index.html", "api/van-ban.json"}
        return run_rule("D43-10.1.e.search", the_site, out=output(files=files))

    return (lambda tmp: make(tmp, 1)), (lambda tmp: make(tmp, 0))


def _with(base: dict, **fields) -> dict:
    return {**base, "fields": {**base["fields"], **fields}}


def _sitemap_case() -> tuple[Case, Case]:
    def make(tmp: Path, drop_from_xml: bool) -> list[Finding]:
        the_site = site()
        locs = [f"{SITEURL}/{d.url}" for d in the_site.docs]
        if drop_from_xml:
            locs = locs[1:]
        (tmp / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{u}</loc></url>" for u in locs)
            + "</urlset>",
            encoding="utf-8",
        )
        the_site.output_path = str(tmp)  # type: ignore[attr-defined]
        listed = {c.url for c in the_site.categories.values()} | {d.url for d in the_site.pages}
        out = output(page_links={"so-do-trang/": listed})
        return run_rule("TT32-16.4.b", the_site, out=out)

    return (lambda tmp: make(tmp, False)), (lambda tmp: make(tmp, True))


def _manifest_case(rule_id: str) -> tuple[Case, Case]:
    def make(changed: bool) -> list[Finding]:
        current = post()
        previous = manifest.build([current])
        if changed:
            previous[current.url]["hash"] = "something-else"
            if rule_id == "D43-17.2":
                previous["2020/01/bai-da-xoa/"] = {"hash": "x", "modified": ""}
        return run_rule(rule_id, site([current], previous_manifest=previous))

    return (lambda tmp: make(False)), (lambda tmp: make(True))


def _maintenance_case() -> tuple[Case, Case]:
    def make(notice_day: str) -> list[Finding]:
        cfg = config(maintenance={"start": "2026-12-10", "notice": "tam-ngung"})
        notice = post(slug="tam-ngung", date=when(notice_day))
        return run_rule("N224-13.1.a", site([notice], cfg), pack="224/2026")

    return (lambda tmp: make("2026-11-20T08:00")), (lambda tmp: make("2026-12-07T08:00"))


TCVN3_TEXT = "<p>Së Giao th«ng vËn t¶i tØnh Lam S¬n tæ chøc héi nghÞ.</p>"
BAD_HEADINGS = "<h3>Mục nhỏ trước mục lớn</h3><p>Nội dung.</p>"

CASES: dict[str, tuple[Case, Case]] = {
    # sections of Điều 10 k1 and others
    "D43-10.1.a": _section_case("D43-10.1.a", "so-do-to-chuc"),
    "D43-10.1.b": _category_case("D43-10.1.b", "tin-tuc-su-kien"),
    "D43-10.1.c": _category_case("D43-10.1.c", "chi-dao-dieu-hanh"),
    "D43-10.1.c.lich": (
        lambda tmp: run_rule("D43-10.1.c.lich"),
        lambda tmp: run_rule(
            "D43-10.1.c.lich",
            site(
                [
                    *[p for p in good_pages() if "lich-lam-viec" not in p.sections],
                    page_doc("lich-lam-viec", "lich-lam-viec", modified=when("2026-10-01T08:00")),
                ]
            ),
        ),
    ),
    "D43-10.1.d": _category_case("D43-10.1.d", "pho-bien-phap-luat"),
    "D43-10.1.dd": _category_case("D43-10.1.dd", "quy-hoach-ke-hoach"),
    "D43-10.1.e": _category_case("D43-10.1.e", "van-ban"),
    "D43-10.1.g": _section_case("D43-10.1.g", "cong-bao"),
    "D43-10.1.h": _category_case("D43-10.1.h", "du-an-dau-thau"),
    "D43-10.1.i": _category_case("D43-10.1.i", "lay-y-kien"),
    "D43-10.1.k": (
        lambda tmp: run_rule("D43-10.1.k"),
        lambda tmp: run_rule(
            "D43-10.1.k",
            site(
                [
                    *[p for p in good_pages() if "can-bo-lien-he" not in p.sections],
                    page_doc(
                        "can-bo-lien-he",
                        "can-bo-lien-he",
                        OFFICIALS.replace("thachlv.sgtvt@lamson.gov.vn", "thach72@gmail.com"),
                    ),
                ]
            ),
        ),
    ),
    "D43-10.1.l": (
        lambda tmp: run_rule("D43-10.1.l"),
        lambda tmp: run_rule(
            "D43-10.1.l", site(cfg=config(identity={"agency": "Sở", "email": "a@lamson.gov.vn"}))
        ),
    ),
    "D43-10.1.l.fax": (
        lambda tmp: run_rule("D43-10.1.l.fax"),
        lambda tmp: run_rule("D43-10.1.l.fax", site(cfg=config(identity={"agency": "Sở"}))),
    ),
    "D43-11": _section_case("D43-11", "de-tai-khoa-hoc"),
    "D43-12": _section_case("D43-12", "thong-ke"),
    "D43-13.1": (
        lambda tmp: run_rule(
            "D43-13.1",
            site(
                [
                    page_doc("about", "chuc-nang-nhiem-vu", lang="en"),
                    page_doc("contact", "lien-he", lang="en"),
                ]
            ),
        ),
        lambda tmp: run_rule("D43-13.1"),
    ),
    "D43-15.2": (
        lambda tmp: run_rule("D43-15.2"),
        lambda tmp: run_rule(
            "D43-15.2",
            site(
                [
                    *[p for p in good_pages() if "hoi-dap" not in p.sections],
                    page_doc("hoi-dap", "hoi-dap"),  # text only: no mailto, no form
                ]
            ),
        ),
    ),
    "ATI-11.1": _section_case("ATI-11.1", "tiep-can-thong-tin"),
    "TT32-16.2": _output_case(
        "TT32-16.2", {}, {"page_links": {"gioi-thieu/": set(), "lien-he/": set()}}
    ),
    "D43-18.2": _output_case("D43-18.2", {}, {"nav": [("Trang chủ", "", f"{SITEURL}/")]}),
    # domain, Unicode, XML
    "D43-6.1.b": (
        lambda tmp: run_rule("D43-6.1.b"),
        lambda tmp: run_rule("D43-6.1.b", site(cfg=config(siteurl="https://sgtvt-lamson.vn"))),
    ),
    "TT32-20": (
        lambda tmp: run_rule("TT32-20"),
        lambda tmp: run_rule("TT32-20", site(cfg=config(siteurl="http://sgtvt.lamson.gov.vn"))),
    ),
    "D43-7.1": _page_case("D43-7.1", {}, {"first_head": "<title>x</title><meta charset='utf-8'>"}),
    "D43-7.1.nfc": _page_case(
        "D43-7.1.nfc",
        {"body": "<p>Tiếng Việt</p>"},
        {"body": "<p>Tie\u0302\u0301ng Vie\u0323\u0302t</p>"},
    ),
    "D43-7.1.legacy": _post_case("D43-7.1.legacy", {}, {"content": TCVN3_TEXT}),
    "D43-7.1.font": _asset_case(
        "D43-7.1.font",
        "theme/css/a.css",
        "body{font-family:Arial,sans-serif}",
        "body{font-family:'.VnTime',serif}",
    ),
    "D43-7.1.xml": _asset_case(
        "D43-7.1.xml",
        "rss/a.xml",
        '<?xml version="1.0" encoding="utf-8"?><rss/>',
        "<rss/>",
    ),
    "D43-7.2": _asset_case(
        "D43-7.2", "rss/a.xml", '<?xml version="1.0" encoding="utf-8"?><rss></rss>', "<rss><item>"
    ),
    # content
    "D43-5.2": _post_case(
        "D43-5.2",
        {"content": "<p>Kế hoạch được giữ bí mật đến khi triển khai; MẬT ĐỘ GIAO THÔNG tăng.</p>"},
        {"content": "<p>TÀI LIỆU</p><p>TỐI MẬT</p><p>Nội dung.</p>"},
    ),
    "D43-5.2.credit": _post_case(
        "D43-5.2.credit",
        {
            "source_name": "Báo Lam Sơn",
            "image": "images/a.jpg",
            "fields": {"image_credit": "Ảnh: Báo Lam Sơn"},
        },
        {"source_name": "Báo Lam Sơn", "image": "images/a.jpg"},
    ),
    "D43-5.3": (
        lambda tmp: run_rule("D43-5.3", pages=[view()]),
        lambda tmp: run_rule("D43-5.3", site([post(author="", unit="")])),
    ),
    "D43-5.3.source": (
        lambda tmp: run_rule(
            "D43-5.3.source",
            pages=[
                view(
                    doc=post(source_name="Báo Lam Sơn", source_url="https://baolamson.vn/a"),
                    byline='<p class="source">Nguồn: '
                    '<a href="https://baolamson.vn/a">Báo Lam Sơn</a></p>',
                )
            ],
        ),
        lambda tmp: run_rule(
            "D43-5.3.source",
            pages=[view(doc=post(source_name="Báo Lam Sơn", source_url="https://baolamson.vn/a"))],
        ),
    ),
    "D43-5.3.quote": _page_case(
        "D43-5.3.quote",
        {"body": "<blockquote><p>Trích dẫn.</p></blockquote><p>— Theo Báo Lam Sơn</p>"},
        {"body": "<blockquote><p>Trích dẫn dài.</p></blockquote><p>Đoạn tiếp theo.</p>"},
    ),
    # per-post fields
    "D43-10.1.e.fields": _register_fields_case(),
    "D43-10.1.e.category": _register_news_case(),
    "D43-10.1.e.search": _register_search_case(),
    "D43-10.1.h.fields": _post_case(
        "D43-10.1.h.fields", PROJECT, _with(PROJECT, project_donor=None, project_status="xong")
    ),
    "D43-10.1.i.fields": _post_case(
        "D43-10.1.i.fields", CONSULTATION, _with(CONSULTATION, consultation_email="gopy@gmail.com")
    ),
    "D43-10.1.d.fields": _post_case("D43-10.1.d.fields", LAW, {"category": "pho-bien-phap-luat"}),
    "D43-10.1.dd.fields": _post_case(
        "D43-10.1.dd.fields", PLAN, {"category": "quy-hoach-ke-hoach"}
    ),
    # support functions
    "D43-15.1.a": _page_case("D43-15.1.a", {}, {"header": HEADER.replace('role="search"', "")}),
    "D43-15.1.b": _output_case("D43-15.1.b", {}, {"home_hrefs": ["https://baolamson.vn/"]}),
    "D43-15.1.c": _page_case(
        "D43-15.1.c",
        {},
        {"tools": '<div class="article-tools"><button class="print">In</button></div>'},
    ),
    "D43-15.1.c.css": _output_case("D43-15.1.c.css", {}, {"css_print": False}),
    "D43-16.2": _output_case("D43-16.2", {}, {"feeds": []}),
    # timeliness (today is Friday 20/11/2026; 01-02/09/2026 are holidays)
    "D43-17.1.a": (
        lambda tmp: run_rule("D43-17.1.a"),
        lambda tmp: run_rule(
            "D43-17.1.a", site([post(date=when("2026-11-05T08:00")), *good_pages()])
        ),
    ),
    "D43-17.1.b": _post_case("D43-17.1.b", LAW, _with(LAW, related_doc_date="01/10/2026")),
    "D43-17.1.c": _post_case(
        "D43-17.1.c",
        REGISTER_ENTRY,
        _with(REGISTER_ENTRY, document_issued=dt.date(2026, 11, 12)),
    ),
    "D43-17.1.d": _post_case("D43-17.1.d", PLAN, _with(PLAN, document_issued="20/10/2026")),
    "D43-17.1.dd": _post_case(
        "D43-17.1.dd",
        {"fields": {"question_date": "02/11/2026"}},
        {"fields": {"question_date": "01/10/2026"}},
    ),
    "D43-17.2": _manifest_case("D43-17.2"),
    # personal data, security
    "TT25-5.1": _output_case(
        "TT25-5.1",
        {"collecting": ["biểu mẫu tại /gop-y/"]},
        {"collecting": ["biểu mẫu"], "footer_links": set()},
    ),
    "TT25-8.2": _page_case(
        "TT25-8.2",
        {"body": '<form><input type="checkbox" name="dong-y"></form>'},
        {"body": '<form><input type="checkbox" name="dong-y" checked></form>'},
    ),
    "D43-29.1": _page_case(
        "D43-29.1",
        {
            "body": '<img src="https://cdn.lamson.gov.vn/a.png" alt="Bản đồ tuyến"><a href="http://a.vn/">a.vn</a>'
        },
        {"body": '<img src="http://cdn.example.com/a.png" alt="Bản đồ tuyến">'},
    ),
    "D43-29.1.sri": _page_case(
        "D43-29.1.sri",
        {"body": '<script src="https://cdn.example.com/a.js" integrity="sha384-x"></script>'},
        {"body": '<script src="https://cdn.example.com/a.js"></script>'},
    ),
    "D43-29.1.secrets": (
        lambda tmp: run_rule("D43-29.1.secrets", assets=[asset(tmp, "images/a.jpg", b"x")]),
        lambda tmp: run_rule("D43-29.1.secrets", assets=[asset(tmp, "files/.env", b"KEY=1")]),
    ),
    "LIT-28.2.dd": (
        lambda tmp: run_rule("LIT-28.2.dd"),
        lambda tmp: run_rule(
            "LIT-28.2.dd",
            site(units=[UnitInfo("tt", "Trung tâm Đăng kiểm", email="dk@lamson.gov.vn")]),
        ),
    ),
    "LIT-28.3": _page_case(
        "LIT-28.3", {}, {"body": '<form><input type="password" name="mk"></form>'}
    ),
    # layout and accessibility
    "TT32-16.3.a": _page_case(
        "TT32-16.3.a", {}, {"header": "<header><p>Cổng thông tin</p></header>"}
    ),
    "TT32-16.3.c": _page_case(
        "TT32-16.3.c", {}, {"footer": "<footer><p>Sở Giao thông vận tải tỉnh Lam Sơn</p></footer>"}
    ),
    "TT32-16.4.b": _sitemap_case(),
    "TT32-17": _page_text_case(
        "TT32-17",
        html(),
        html().replace('<meta name="viewport" content="width=device-width, initial-scale=1">', ""),
    ),
    "TT32-18.1.a": _page_case(
        "TT32-18.1.a",
        {"body": "<p><strong>Quan trọng</strong></p>"},
        {"body": '<p><span style="color: red">Quan trọng</span></p>'},
    ),
    "TT32-18.1.b": _page_case(
        "TT32-18.1.b", {"body": "<p>Tin mới</p>"}, {"body": "<marquee>Tin mới</marquee>"}
    ),
    "TT32-18.1.c": _page_case(
        "TT32-18.1.c",
        {
            "body": '<img src="/a.jpg" alt="Xe tải qua trạm cân">'
            '<img src="/b.png" alt="" role="presentation">'
        },
        {"body": '<img src="/a.jpg" alt="IMG_2041.jpg"><a href="/x"><img src="/c.png"></a>'},
    ),
    "TT32-18.1.c.media": _page_case(
        "TT32-18.1.c.media",
        {"body": '<video src="/a.mp4"><track kind="captions" src="/a.vtt"></video>'},
        {"body": '<video src="/a.mp4"></video>'},
    ),
    "TT32-18.1.d": _page_case(
        "TT32-18.1.d", {"body": "<h2>Mục</h2><h3>Mục nhỏ</h3>"}, {"body": BAD_HEADINGS}
    ),
    "TT32-18.1.d.links": _page_case(
        "TT32-18.1.d.links",
        {"body": '<a href="/kh.pdf">Kế hoạch kiểm tra năm 2026</a>'},
        {"body": '<a href="/kh.pdf">Xem thêm</a>'},
    ),
    "TT32-18.1.dd": _page_case(
        "TT32-18.1.dd",
        {"body": "<table><tr><th>Tuyến</th></tr><tr><td>ĐT 512</td></tr></table>"},
        {"body": "<table><tr><td>Tuyến</td></tr><tr><td>ĐT 512</td></tr></table>"},
    ),
    "TT32-18.1.dd.caption": _page_case(
        "TT32-18.1.dd.caption",
        {"body": "<table><caption>Danh sách tuyến</caption><tr><th>Tuyến</th></tr></table>"},
        {"body": "<p>Dưới đây:</p><table><tr><th>Tuyến</th></tr></table>"},
    ),
    "TT32-18.2": _output_case("TT32-18.2", {}, {"home_accesskeys": set()}),
    # metadata
    "TT24-4": _page_case("TT24-4", {}, {"head": '<meta name="DC.title" content="Họp">'}),
    "TT24-5": _post_case("TT24-5", {}, {"unit": ""}),
    "TT24-5.desc": _post_case("TT24-5.desc", {}, {"summary": "Ngắn."}),
    "TT24-9": _manifest_case("TT24-9"),
    "CHK-WAIVER": _post_case(
        "CHK-WAIVER",
        {"fields": {"compliance_waiver": "D43-5.3: bài tổng hợp của nhiều phòng"}},
        {"fields": {"compliance_waiver": "D43-5.3"}},
    ),
    # 42/2022 and 224/2026
    "N42-7.2": (
        lambda tmp: run_rule(
            "N42-7.2",
            site(
                [
                    page_doc("about", "chuc-nang-nhiem-vu", lang="en"),
                    page_doc("c", "lien-he", lang="en"),
                ]
            ),
            pack="42/2022",
        ),
        lambda tmp: run_rule("N42-7.2", pack="42/2022"),
    ),
    "N42-4.1": (
        lambda tmp: run_rule(
            "N42-4.1",
            site(
                [
                    page_doc("bao-cao-tai-chinh", "bao-cao-tai-chinh"),
                    page_doc("ke-hoach-nam", "ke-hoach-cong-tac-nam"),
                ]
            ),
            pack="42/2022",
        ),
        lambda tmp: run_rule("N42-4.1", pack="42/2022"),
    ),
    "N224-9.1.a": _output_case(
        "N224-9.1.a",
        {},
        {"nav": [("Dịch vụ công trực tuyến", "dich-vu-cong/", f"{SITEURL}/dich-vu-cong/")]},
        pack="224/2026",
    ),
    "N224-10.3": _page_case(
        "N224-10.3",
        {"byline": '<div class="article-rating">Đánh giá</div>'},
        {},
        pack="224/2026",
    ),
    "N224-13.1.a": _maintenance_case(),
}


def test_every_rule_of_every_pack_has_a_pass_and_a_fail_case():
    ids = {r.id for rules in PACKS.values() for r in rules}
    assert sorted(ids - set(CASES)) == []
    assert sorted(set(CASES) - ids) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_on_good_input(rule_id, tmp_path):
    found = [f for f in CASES[rule_id][0](tmp_path) if f.rule_id == rule_id]
    assert found == [], [dataclasses.asdict(f) for f in found]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fails_on_bad_input(rule_id, tmp_path):
    found = [f for f in CASES[rule_id][1](tmp_path) if f.rule_id == rule_id]
    assert found, f"{rule_id} found nothing on its failing input"
    assert all(isinstance(f.detail, str) for f in found)


# -- D43-5.3: the unit's byline is the author Art. 5(3) asks for -------------------------------


def test_a_post_without_author_is_credited_to_its_unit():
    no_author = post(author="")
    shown = view(
        doc=no_author, byline='<p class="byline"><a href="/don-vi/vp/">Văn phòng Sở</a></p>'
    )
    for pack in PACKS:
        assert run_rule("D43-5.3", site([no_author, *good_pages()]), [shown], pack=pack) == []


def test_the_unit_must_show_when_it_stands_for_the_author():
    hidden = view(doc=post(author=""), byline='<p class="byline"></p>')
    found = run_rule("D43-5.3", site([post(author=""), *good_pages()]), [hidden])
    assert [f.detail for f in found] == [
        "tên đơn vị (tác giả của bài) “Văn phòng Sở” không hiện trên trang"
    ]
    # an author, when given, is what the byline must show
    named = view(doc=post(author="Lê Văn Bình"), byline='<p class="byline">Văn phòng Sở</p>')
    assert [f.detail for f in run_rule("D43-5.3", pages=[named])] == [
        "tên tác giả “Lê Văn Bình” không hiện trên trang"
    ]


def test_the_editors_guide_lists_every_rule_as_the_rule_says_it():
    """docs/kiem-tra-tuan-thu.md quotes each rule's message and fix word for word."""
    guide = (Path(__file__).parents[2] / "docs/kiem-tra-tuan-thu.md").read_text(encoding="utf-8")
    stale = {
        r.id
        for rules in PACKS.values()
        for r in rules
        if f"**{r.id}**" not in guide or f"“{r.message}”" not in guide or r.hint not in guide
    }
    assert stale == set()
