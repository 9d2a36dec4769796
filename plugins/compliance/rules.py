"""The rule table: one small record per legal requirement, and the packs built from it.

Rules are data. Each names the check functions that implement it (see ``checks_meta``
and ``checks_html``); the engine looks them up by name. Ids are stable: reports,
waivers and CI logs refer to them, so never rename one; add a new id instead.

Legal references follow ``/work/shared/design/legal-checklist.md``; rows marked [S]
there (secondary sources only) are flagged ``source="S"`` here and in the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .model import ERROR, INFO, LEVELS, WARNING

ND43 = "Nghị định 43/2011/NĐ-CP"
ND42 = "Nghị định 42/2022/NĐ-CP"
ND224 = "Nghị định 224/2026/NĐ-CP"
TT32 = "Thông tư 32/2017/TT-BTTTT"
TT24 = "Thông tư 24/2011/TT-BTTTT"
TT25 = "Thông tư 25/2010/TT-BTTTT"
ND13_18 = "Nghị định 13/2018/NĐ-CP"
LCNTT = "Luật Công nghệ thông tin 67/2006/QH11"


def ref(doc: str, dieu: str, khoan: str = "", diem: str = "") -> str:
    """'Điểm a khoản 1 Điều 10 Nghị định 43/2011/NĐ-CP', the way Vietnamese law is cited."""
    parts = []
    if diem:
        parts.append(f"điểm {diem}")
    if khoan:
        parts.append(f"khoản {khoan}")
    parts.append(f"Điều {dieu}")
    text = " ".join(parts) + " " + doc
    return text[0].upper() + text[1:]


#: The kinds of post and page a rule's "doc" and "page" checks look at (``Rule.kinds``).
ARTICLES = ("article",)
CONTENT = ("article", "page", "document")  # what editors write


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One requirement: what to check, where, how bad, and how editors fix it.

    ``kinds`` is where the rule applies, as an axe-core rule carries its selector: the
    engine runs the rule's "doc" checks only on posts, and its "page" checks only on
    pages, of those kinds (``Doc.kind``, ``PageView.kind``; empty: every kind).
    ``sections`` are the required sections (``Section:`` keys) the rule wants the site
    to have: the engine hands them all to ``sections_reachable`` (TT32-16.2).
    """

    id: str
    ref: str  # legal reference (Điều, khoản, điểm, document)
    scope: str  # site | page | post | asset (for the report)
    severity: str  # error | warning | info
    message: str  # Vietnamese, for editors
    hint: str  # Vietnamese: how to fix it
    checks: tuple[str, ...]  # names of check functions
    kinds: tuple[str, ...] = ()  # post and page kinds its checks apply to; (): all
    sections: tuple[str, ...] = ()  # required sections it looks for
    levels: tuple[str, ...] = LEVELS  # agency levels the rule applies to
    by_level: Mapping[str, str] = field(default_factory=dict)  # level → severity
    needs_theme: bool = False  # passes only when the theme renders the element
    aggregate: bool = False  # one finding per problem, counting pages, not one per page
    source: str = "T"  # T: read in the legal text; S: secondary sources only
    params: Mapping[str, Any] = field(default_factory=dict)

    def severity_for(self, level: str) -> str:
        return self.by_level.get(level, self.severity)

    def applies_to(self, kind: str) -> bool:
        """Whether the rule's post and page checks look at a post or page of this kind."""
        return not self.kinds or kind in self.kinds


def _section(rid: str, ref_: str, keys: tuple[str, ...], what: str, **kw: Any) -> Rule:
    return Rule(
        id=rid,
        ref=ref_,
        scope="site",
        severity=kw.pop("severity", ERROR),
        message=f"Thiếu mục bắt buộc: {what}",
        hint="Tạo trang trong content/pages/ (hoặc dùng chuyên mục có sẵn) và khai báo mục nó "
        "đáp ứng bằng dòng 'Section: <mã mục>' ở đầu trang, ví dụ 'Section: "
        f"{keys[0]}'; chuyên mục phải có ít nhất một bài",
        checks=("sections_present",),
        sections=keys,
        **kw,
    )


BASE: tuple[Rule, ...] = (
    # -- Điều 10 k1: the main information ("thông tin chủ yếu") ----------------------
    _section(
        "D43-10.1.a",
        ref(ND43, "10", "1", "a"),
        ("chuc-nang-nhiem-vu", "so-do-to-chuc", "lich-su", "lanh-dao"),
        "giới thiệu cơ quan (sơ đồ, cơ cấu tổ chức; chức năng, nhiệm vụ; quá trình hình thành; "
        "tiểu sử và nhiệm vụ của lãnh đạo)",
    ),
    _section("D43-10.1.b", ref(ND43, "10", "1", "b"), ("tin-tuc-su-kien",), "tin tức, sự kiện"),
    _section("D43-10.1.c", ref(ND43, "10", "1", "c"), ("chi-dao-dieu-hanh",), "chỉ đạo, điều hành"),
    Rule(
        id="D43-10.1.c.lich",
        ref=ref(ND43, "10", "1", "c"),
        scope="site",
        severity=WARNING,
        message="Lịch làm việc của lãnh đạo chưa có hoặc chưa cập nhật trong 7 ngày qua",
        hint="Đăng lịch làm việc tuần này trên trang có dòng 'Section: lich-lam-viec' và cập nhật "
        "trường Modified mỗi tuần",
        checks=("schedule_fresh",),
        params={"key": "lich-lam-viec", "days": 7},
    ),
    _section(
        "D43-10.1.d",
        ref(ND43, "10", "1", "d"),
        ("pho-bien-phap-luat",),
        "tuyên truyền, phổ biến, hướng dẫn thực hiện pháp luật",
    ),
    _section(
        "D43-10.1.dd",
        ref(ND43, "10", "1", "đ"),
        ("quy-hoach-ke-hoach",),
        "chiến lược, quy hoạch, kế hoạch phát triển ngành",
    ),
    _section("D43-10.1.e", ref(ND43, "10", "1", "e"), ("van-ban",), "văn bản quy phạm pháp luật"),
    _section(
        "D43-10.1.g",
        ref(ND43, "10", "1", "g"),
        ("cong-bao",),
        "công báo điện tử",
        levels=("ubnd_tinh",),
    ),
    _section(
        "D43-10.1.h",
        ref(ND43, "10", "1", "h"),
        ("du-an-dau-thau",),
        "dự án, hạng mục đầu tư, đấu thầu, mua sắm công",
    ),
    _section("D43-10.1.i", ref(ND43, "10", "1", "i"), ("lay-y-kien",), "lấy ý kiến góp ý"),
    Rule(
        id="D43-10.1.k",
        ref=ref(ND43, "10", "1", "k"),
        scope="site",
        severity=ERROR,
        message="Thiếu hoặc chưa đủ thông tin liên hệ của cán bộ, công chức có thẩm quyền",
        hint="Trang có dòng 'Section: can-bo-lien-he' phải ghi họ tên, chức vụ, đơn vị, điện thoại "
        "và thư điện tử công vụ (tên miền .gov.vn của tỉnh) của từng người",
        checks=("officials_contacts",),
        sections=("can-bo-lien-he",),
    ),
    Rule(
        id="D43-10.1.l",
        ref=ref(ND43, "10", "1", "l"),
        scope="site",
        severity=ERROR,
        message="Thiếu thông tin giao dịch của cơ quan (địa chỉ, điện thoại, thư điện tử)",
        hint="Khai báo PORTAL_IDENTITY (address, phone, email) trong pelicanconf.py và ghi đủ các "
        "thông tin này trên trang Liên hệ (Section: lien-he)",
        checks=("agency_contacts",),
        sections=("lien-he",),
    ),
    Rule(
        id="D43-10.1.l.fax",
        ref=ref(ND43, "10", "1", "l"),
        scope="site",
        severity=WARNING,
        message="Chưa có số fax của cơ quan",
        hint="Thêm 'fax' vào PORTAL_IDENTITY trong pelicanconf.py (nếu cơ quan không còn dùng fax, "
        "miễn trừ quy tắc này trong COMPLIANCE_WAIVERS và ghi lý do)",
        checks=("agency_fax",),
    ),
    _section(
        "D43-11",
        ref(ND43, "11", "1"),
        ("de-tai-khoa-hoc",),
        "chương trình, đề tài khoa học",
        levels=("ubnd_tinh", "bo"),
    ),
    _section(
        "D43-12", ref(ND43, "12"), ("thong-ke",), "thông tin thống kê", levels=("ubnd_tinh", "bo")
    ),
    Rule(
        id="D43-13.1",
        ref=ref(ND43, "13", "1"),
        scope="site",
        severity=INFO,
        message="Chưa có bản tiếng Anh của trang giới thiệu và trang liên hệ",
        hint="Tạo trang có 'Lang: en' và 'Section: chuc-nang-nhiem-vu' (giới thiệu), và trang "
        "'Lang: en' có 'Section: lien-he' hoặc 'Section: can-bo-lien-he'",
        checks=("english_pages",),
        by_level={"ubnd_tinh": ERROR, "bo": ERROR},
    ),
    Rule(
        id="D43-15.2",
        ref=ref(ND43, "15", "2"),
        scope="site",
        severity=ERROR,
        message="Thiếu mục hỏi đáp (gửi câu hỏi hoặc địa chỉ thư điện tử tiếp nhận)",
        hint="Tạo trang có 'Section: hoi-dap' ghi địa chỉ thư điện tử tiếp nhận câu hỏi "
        "(liên kết mailto:) hoặc có biểu mẫu gửi câu hỏi",
        checks=("qa_section",),
        sections=("hoi-dap",),
    ),
    Rule(
        id="ATI-11.1",
        ref=ref(ND13_18, "11", "1"),
        scope="site",
        severity=ERROR,
        message="Thiếu chuyên mục tiếp cận thông tin",
        hint="Tạo trang có 'Section: tiep-can-thong-tin' nêu danh mục thông tin công khai, đầu mối "
        "cung cấp thông tin và địa chỉ thư điện tử tiếp nhận yêu cầu",
        checks=("access_to_information",),
        sections=("tiep-can-thong-tin",),
    ),
    Rule(
        id="TT32-16.2",
        ref=ref(TT32, "16", "2"),
        scope="site",
        severity=ERROR,
        message="Mục thông tin bắt buộc không truy cập được từ trang chủ hoặc menu chính",
        hint="Đưa liên kết tới mục này vào menu chính, trang chủ, hoặc một trang có trong menu "
        "(ví dụ thêm dòng liên kết vào trang Giới thiệu)",
        checks=("sections_reachable",),
    ),
    Rule(
        id="D43-18.2",
        ref=ref(ND43, "18", "2"),
        scope="site",
        severity=ERROR,
        message="Menu chính chưa có mục 'Dịch vụ công trực tuyến'",
        hint="Thêm vào menu chính một mục 'Dịch vụ công trực tuyến' trỏ tới Cổng dịch vụ công "
        "(dichvucong.gov.vn hoặc cổng của tỉnh) hoặc trang danh mục dịch vụ công",
        checks=("dvc_menu",),
        needs_theme=True,
    ),
    # -- Điều 6, 7: domain, Unicode ---------------------------------------------------
    Rule(
        id="D43-6.1.b",
        ref=ref(ND43, "6", "1", "b"),
        scope="site",
        severity=ERROR,
        message="Tên miền của cổng không đúng dạng tencoquan.tentinh.gov.vn",
        hint="Đặt SITEURL trong publishconf.py theo dạng https://<tên cơ quan>.<tên tỉnh>.gov.vn",
        checks=("domain_pattern",),
    ),
    Rule(
        id="TT32-20",
        ref=ref(TT32, "20"),
        scope="site",
        severity=ERROR,
        message="Cổng không dùng giao thức an toàn HTTPS",
        hint="Đặt SITEURL trong publishconf.py bắt đầu bằng https://",
        checks=("https_siteurl",),
    ),
    Rule(
        id="D43-7.1",
        ref=ref(ND43, "7", "1"),
        scope="page",
        severity=ERROR,
        message="Trang không khai báo bảng mã UTF-8 ngay đầu phần <head> hoặc không đọc được theo "
        "UTF-8",
        hint='Trong mẫu giao diện, đặt <meta charset="utf-8"> là thẻ đầu tiên trong <head>',
        checks=("html_charset",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="D43-7.1.nfc",
        ref=ref(ND43, "7", "1"),
        scope="page",
        severity=ERROR,
        message="Chữ tiếng Việt trên trang không ở dạng Unicode dựng sẵn (NFC)",
        hint="Lưu tệp nguồn (bài, mẫu giao diện) theo Unicode dựng sẵn; bộ gõ Unikey: chọn bảng "
        "mã Unicode dựng sẵn",
        checks=("html_nfc",),
        aggregate=True,
    ),
    Rule(
        id="D43-7.1.legacy",
        ref=ref(ND43, "7", "1"),
        scope="post",
        severity=ERROR,
        message="Bài có chữ bị lỗi phông do dán từ văn bản dùng bảng mã cũ",
        hint="Chuyển văn bản gốc sang Unicode (Unikey: Công cụ chuyển mã, chọn bảng mã nguồn như "
        "thông báo, đích là Unicode) rồi dán lại",
        checks=("legacy_encoding",),
    ),
    Rule(
        id="D43-7.1.font",
        ref=ref(ND43, "7", "1"),
        scope="asset",
        severity=WARNING,
        message="Tệp CSS dùng phông chữ của bảng mã cũ (TCVN3/VNI)",
        hint="Thay các phông .VnTime, VNI-Times… bằng phông Unicode (ví dụ Arial, Times New Roman)",
        checks=("css_legacy_fonts",),
    ),
    Rule(
        id="D43-7.1.xml",
        ref=ref(ND43, "7", "1"),
        scope="asset",
        severity=WARNING,
        message="Tệp XML (RSS, Atom, sơ đồ trang) không khai báo bảng mã UTF-8",
        hint='Tệp XML phải bắt đầu bằng <?xml version="1.0" encoding="UTF-8"?>',
        checks=("xml_encoding",),
    ),
    Rule(
        id="D43-7.2",
        ref=ref(ND43, "7", "2"),
        scope="asset",
        severity=ERROR,
        message="Tệp XML (RSS, Atom, sơ đồ trang) không đúng cú pháp",
        hint="Kiểm tra plugin hoặc mẫu tạo ra tệp này",
        checks=("xml_wellformed",),
    ),
    # -- Điều 5: content ---------------------------------------------------------------
    Rule(
        id="D43-5.2",
        ref=ref(ND43, "5", "2"),
        scope="post",
        severity=ERROR,
        message="Bài có dấu hiệu tài liệu mật (MẬT, TỐI MẬT, TUYỆT MẬT)",
        hint="Không đăng tài liệu mang độ mật lên cổng. Gỡ nội dung hoặc tệp đính kèm; nếu là từ "
        "thông thường bị nhận nhầm, ghi miễn trừ kèm lý do",
        checks=("security_marks",),
    ),
    Rule(
        id="D43-5.2.credit",
        ref=ref(ND43, "5", "2"),
        scope="post",
        severity=WARNING,
        message="Bài đăng lại có ảnh nhưng chưa ghi nguồn, bản quyền ảnh",
        hint="Thêm dòng 'Image_Credit: Ảnh: <tác giả / báo>' ở đầu bài",
        checks=("image_credit",),
        kinds=ARTICLES,
    ),
    Rule(
        id="D43-5.3",
        ref=ref(ND43, "5", "3"),
        scope="post",
        severity=ERROR,
        message="Bài không ghi tác giả (người viết hoặc đơn vị đưa tin) trên trang",
        hint="Đơn vị ghi ở dòng 'Unit:' là tác giả, nguồn tin của bài; muốn ghi tên người viết thì "
        "thêm dòng 'Author: <họ tên>'. Mẫu giao diện phải hiển thị người viết, hoặc đơn vị khi "
        "bài không có Author",
        checks=("author_present", "author_rendered"),
        kinds=ARTICLES,
    ),
    Rule(
        id="D43-5.3.source",
        ref=ref(ND43, "5", "3"),
        scope="post",
        severity=ERROR,
        message="Bài đăng lại nhưng nguồn không hiện trên trang",
        hint="Ghi 'Source: Tên báo | https://địa-chỉ-bài-gốc'; mẫu giao diện phải hiển thị nguồn",
        checks=("source_rendered",),
        kinds=ARTICLES,
    ),
    Rule(
        id="D43-5.3.quote",
        ref=ref(ND43, "5", "3"),
        scope="post",
        severity=WARNING,
        message="Đoạn trích dẫn không ghi nguồn",
        hint="Ghi nguồn ngay dưới đoạn trích (ví dụ '— Theo Báo Lam Sơn') hoặc khai báo Source",
        checks=("blockquote_cite",),
        kinds=CONTENT,
    ),
    # -- Điều 10 k1 e, h, i, d, đ: per-post fields ----------------------------------------
    Rule(
        id="D43-10.1.e.fields",
        ref=ref(ND43, "10", "1", "e"),
        scope="post",
        severity=ERROR,
        message="Văn bản trong sổ văn bản chưa đủ thông tin bắt buộc",
        hint="Mỗi văn bản trong content/van-ban/ phải có: Title (trích yếu), Document_Type (hình "
        "thức), Document_Issuer (cơ quan ban hành), Document_Number (số ký hiệu, ví dụ "
        "12/2024/QĐ-UBND), Document_Issued (ngày ban hành), ngày hiệu lực (Document_Effective, "
        "mặc định là ngày ban hành) và Document_File (tệp tải về, có trong bản xuất bản)",
        checks=("document_fields", "document_files_exist"),
        kinds=("document",),
    ),
    Rule(
        id="D43-10.1.e.search",
        ref=ref(ND43, "10", "1", "e"),
        scope="site",
        severity=ERROR,
        message="Chưa có công cụ tìm kiếm văn bản, hoặc công cụ không tìm được mọi văn bản",
        hint="Bật plugin plugins.documents: nó viết trang /van-ban/ (tra cứu theo số ký hiệu, "
        "trích yếu, loại, năm, cơ quan, lĩnh vực, người ký) và dữ liệu tra cứu của mọi văn bản",
        checks=("document_search",),
    ),
    Rule(
        id="D43-10.1.e.category",
        ref=ref(ND43, "10", "1", "e"),
        scope="post",
        severity=WARNING,
        message="Bài về văn bản chưa liên kết tới văn bản trong sổ văn bản",
        hint="Đăng văn bản vào sổ văn bản (một tệp trong content/van-ban/, xem hướng dẫn biên tập) "
        "rồi trong bài ghi Related_Doc_Number: <số ký hiệu> hoặc liên kết "
        "[tên văn bản]({van-ban}<số ký hiệu>); nếu chỉ là tin, chuyển sang chuyên mục tin",
        checks=("document_category",),
        kinds=ARTICLES,
    ),
    Rule(
        id="D43-10.1.h.fields",
        ref=ref(ND43, "10", "1", "h"),
        scope="post",
        severity=ERROR,
        message="Thông tin dự án chưa đủ các trường bắt buộc",
        hint="Bài về một dự án phải có: Project_Goal, Project_Field, Project_Type, Project_Period, "
        "Project_Budget, Project_Funding, Project_Donor, Project_Status (chuan-bi-dau-tu, "
        "dang-trien-khai hoặc da-hoan-tat)",
        checks=("project_fields",),
    ),
    Rule(
        id="D43-10.1.i.fields",
        ref=ref(ND43, "10", "1", "i"),
        scope="post",
        severity=WARNING,
        message="Bài lấy ý kiến chưa đủ thông tin để người dân góp ý",
        hint="Thêm: Consultation_File (toàn văn dự thảo), Consultation_Deadline (hạn góp ý), "
        "Consultation_Email (thư điện tử công vụ nhận góp ý), Consultation_Address",
        checks=("consultation_fields",),
        kinds=("article", "document"),
    ),
    Rule(
        id="D43-10.1.d.fields",
        ref=ref(ND43, "10", "1", "d"),
        scope="post",
        severity=WARNING,
        message="Bài phổ biến pháp luật chưa ghi văn bản được phổ biến",
        hint="Thêm Related_Doc_Number (số ký hiệu) và Related_Doc_Date (ngày ban hành) của văn bản",
        checks=("law_fields",),
        kinds=ARTICLES,
    ),
    Rule(
        id="D43-10.1.dd.fields",
        ref=ref(ND43, "10", "1", "đ"),
        scope="post",
        severity=WARNING,
        message="Bài chiến lược, quy hoạch, kế hoạch chưa ghi quyết định phê duyệt",
        hint="Thêm Document_Number (số quyết định), Document_Issued (ngày phê duyệt) và "
        "Document_File (tệp toàn văn)",
        checks=("plan_fields",),
        kinds=ARTICLES,
    ),
    # -- Điều 15: support functions --------------------------------------------------------
    Rule(
        id="D43-15.1.a",
        ref=ref(ND43, "15", "1", "a"),
        scope="page",
        severity=ERROR,
        message="Trang không có ô tìm kiếm",
        hint='Mẫu giao diện phải có biểu mẫu tìm kiếm (form role="search") trên mọi trang',
        checks=("search_form",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="D43-15.1.b",
        ref=ref(ND43, "15", "1", "b"),
        scope="site",
        severity=WARNING,
        message="Trang chủ chưa có liên kết tới cổng thông tin điện tử của tỉnh",
        hint="Thêm khối 'Liên kết' có liên kết tới cổng của UBND tỉnh "
        "(COMPLIANCE_PROVINCE_PORTAL_URL)",
        checks=("province_link",),
        needs_theme=True,
    ),
    Rule(
        id="D43-15.1.c",
        ref=ref(ND43, "15", "1", "c"),
        scope="post",
        severity=ERROR,
        message="Bài không có chức năng in hoặc lưu",
        hint="Mẫu bài viết phải có nút 'In' và nút 'Lưu' (trong khối .article-tools)",
        checks=("print_save",),
        kinds=ARTICLES,
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="D43-15.1.c.css",
        ref=ref(ND43, "15", "1", "c"),
        scope="asset",
        severity=WARNING,
        message="CSS chưa có kiểu dành cho bản in (@media print)",
        hint="Thêm khối @media print vào CSS của giao diện",
        checks=("print_css",),
        needs_theme=True,
    ),
    Rule(
        id="D43-16.2",
        ref=ref(ND43, "16", "2"),
        scope="site",
        severity=WARNING,
        message="Cổng chưa xuất dữ liệu máy đọc được (RSS/Atom, sitemap.xml) để tích hợp với cổng "
        "tỉnh",
        hint="Bật plugin feeds và sơ đồ trang XML",
        checks=("machine_readable",),
    ),
    # -- Điều 17: timeliness ----------------------------------------------------------------
    Rule(
        id="D43-17.1.a",
        ref=ref(ND43, "17", "1", "a"),
        scope="site",
        severity=WARNING,
        message="Thông tin chưa được cập nhật thường xuyên",
        hint="Đăng tin mới trong chuyên mục tin tức; rà soát và cập nhật trường Modified của các "
        "trang giới thiệu, liên hệ",
        checks=("freshness",),
    ),
    Rule(
        id="D43-17.1.b",
        ref=ref(ND43, "17", "1", "b"),
        scope="post",
        severity=WARNING,
        message="Bài phổ biến pháp luật đăng quá 15 ngày làm việc kể từ ngày văn bản ban hành",
        hint="Đăng bài phổ biến văn bản mới sớm hơn; kiểm tra Related_Doc_Date",
        checks=("deadline_law",),
        kinds=ARTICLES,
        params={"limit": 15},
    ),
    Rule(
        id="D43-17.1.c",
        ref=ref(ND43, "17", "1", "c"),
        scope="post",
        severity=WARNING,
        message="Văn bản đăng chậm so với thời hạn (2 ngày làm việc với văn bản của Sở, 10 ngày "
        "với "
        "văn bản của cơ quan khác)",
        hint="Đăng văn bản ngay sau khi ban hành; kiểm tra Document_Issued và Document_Issuer",
        checks=("deadline_document",),
        kinds=("document",),
        params={"own": 2, "other": 10},
    ),
    Rule(
        id="D43-17.1.d",
        ref=ref(ND43, "17", "1", "d"),
        scope="post",
        severity=WARNING,
        message="Chiến lược, quy hoạch, kế hoạch hoặc dự án đăng quá 10 ngày làm việc kể từ khi "
        "phê duyệt",
        hint="Đăng ngay sau khi được phê duyệt; kiểm tra Document_Issued hoặc Project_Approved",
        checks=("deadline_plan",),
        kinds=ARTICLES,
        params={"limit": 10},
    ),
    Rule(
        id="D43-17.1.dd",
        ref=ref(ND43, "17", "1", "đ"),
        scope="post",
        severity=WARNING,
        message="Câu hỏi được trả lời quá 15 ngày làm việc",
        hint="Trả lời câu hỏi trong 15 ngày làm việc kể từ ngày nhận (Question_Date)",
        checks=("deadline_answer",),
        params={"limit": 15},
    ),
    Rule(
        id="D43-17.2",
        ref=ref(ND43, "17", "2"),
        scope="site",
        severity=WARNING,
        message="Trang đã đăng trước đây không còn trên cổng",
        hint="Không xóa bài đã đăng; nếu đổi địa chỉ, khai báo địa chỉ cũ → mới trong "
        "COMPLIANCE_MOVED_URLS",
        checks=("archive_kept",),
    ),
    # -- Điều 9, 29: personal data and security ----------------------------------------
    Rule(
        id="TT25-5.1",
        ref=ref(TT25, "5", "1"),
        scope="site",
        severity=ERROR,
        message="Cổng thu thập thông tin (biểu mẫu, cookie, mã của bên thứ ba, đếm truy cập) nhưng "
        "chưa có thông báo về thu thập thông tin cá nhân ở chân trang",
        hint="Tạo trang có 'Section: chinh-sach-rieng-tu' nêu hình thức, phạm vi, mục đích thu "
        "thập và liên kết tới nó từ chân trang",
        checks=("privacy_notice",),
        params={"key": "chinh-sach-rieng-tu"},
    ),
    Rule(
        id="TT25-8.2",
        ref=ref(TT25, "8", "2"),
        scope="page",
        severity=ERROR,
        message="Biểu mẫu đánh dấu sẵn ô đồng ý",
        hint="Bỏ thuộc tính checked: người dùng phải tự đánh dấu ô đồng ý",
        checks=("prechecked_consent",),
        aggregate=True,
    ),
    Rule(
        id="D43-29.1",
        ref=ref(ND43, "29", "1"),
        scope="page",
        severity=ERROR,
        message="Trang tải tài nguyên qua http:// (không mã hóa)",
        hint="Dùng địa chỉ https:// hoặc đường dẫn tương đối cho ảnh, CSS, JavaScript",
        checks=("mixed_content",),
        aggregate=True,
    ),
    Rule(
        id="D43-29.1.sri",
        ref=ref(ND43, "29", "1"),
        scope="page",
        severity=WARNING,
        message="Trang nạp mã JavaScript từ máy chủ bên ngoài không kèm mã kiểm tra toàn vẹn",
        hint="Tự lưu trữ tệp JavaScript hoặc thêm thuộc tính integrity và crossorigin",
        checks=("script_integrity",),
        aggregate=True,
    ),
    Rule(
        id="D43-29.1.secrets",
        ref=ref(ND43, "29", "1"),
        scope="asset",
        severity=ERROR,
        message="Thư mục xuất bản chứa tệp bí mật (khóa, mật khẩu, cấu hình)",
        hint="Xóa tệp khỏi content/ hoặc STATIC_PATHS; đổi ngay khóa, mật khẩu đã lộ",
        checks=("secret_files",),
    ),
    Rule(
        id="LIT-28.2.dd",
        ref=ref(LCNTT, "28", "2", "đ"),
        scope="site",
        severity=WARNING,
        message="Danh mục thư điện tử chưa đủ các đơn vị trực thuộc",
        hint="Khai báo thư điện tử của mọi đơn vị trong content/units.yml và liệt kê trên trang "
        "Liên hệ",
        checks=("email_directory",),
    ),
    Rule(
        id="LIT-28.3",
        ref=ref(LCNTT, "28", "3"),
        scope="page",
        severity=WARNING,
        message="Trang yêu cầu đăng nhập: thông tin chủ yếu phải cung cấp miễn phí, không rào chắn",
        hint="Bỏ ô mật khẩu hoặc chuyển chức năng cần đăng nhập sang hệ thống khác",
        checks=("login_wall",),
        aggregate=True,
    ),
    # -- TT 32/2017: layout and accessibility -------------------------------------------
    Rule(
        id="TT32-16.3.a",
        ref=ref(TT32, "16", "3", "a"),
        scope="page",
        severity=ERROR,
        message="Đầu trang chưa đủ: biểu trưng có chú thích, tên đầy đủ của cơ quan (dạng chữ) và "
        "menu Trang chủ, Giới thiệu, Dịch vụ công trực tuyến, Sơ đồ cổng",
        hint="Sửa mẫu giao diện (phần header)",
        checks=("header_block",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="TT32-16.3.c",
        ref=ref(TT32, "16", "3", "c"),
        scope="page",
        severity=ERROR,
        message="Chân trang chưa đủ: bản quyền, tên đơn vị, người chịu trách nhiệm, địa chỉ, điện "
        "thoại, thư điện tử",
        hint="Sửa mẫu giao diện (khối .identity-block ở chân trang) và PORTAL_IDENTITY",
        checks=("footer_identity",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="TT32-16.4.b",
        ref=ref(TT32, "16", "4", "b"),
        scope="site",
        severity=ERROR,
        message="Sơ đồ cổng chưa đủ (trang sơ đồ dạng cây cho người đọc và tệp sitemap.xml)",
        hint="Giao diện phải có trang /so-do-trang/ liệt kê mọi chuyên mục và trang, liên kết từ "
        "trang chủ; bật tệp /sitemap.xml chứa mọi bài và trang",
        checks=("sitemaps",),
        needs_theme=True,
    ),
    Rule(
        id="TT32-17",
        ref=ref(TT32, "17", "1"),
        scope="page",
        severity=ERROR,
        message="Trang chưa hỗ trợ thiết bị di động (thiếu thẻ meta viewport)",
        hint='Thêm <meta name="viewport" content="width=device-width, initial-scale=1"> vào <head>',
        checks=("viewport",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="TT32-18.1.a",
        ref=ref(TT32, "18", "1", "a"),
        scope="post",
        severity=WARNING,
        message="Bài dùng màu chữ để nhấn mạnh",
        hint="Bỏ màu chữ tự đặt; dùng chữ đậm hoặc tiêu đề để nhấn mạnh",
        checks=("inline_colour",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.1.b",
        ref=ref(TT32, "18", "1", "b"),
        scope="page",
        severity=ERROR,
        message="Trang có chữ nhấp nháy hoặc tự chạy",
        hint="Bỏ thẻ <marquee>, <blink> và hiệu ứng chuyển động lặp vô hạn",
        checks=("no_blink",),
        aggregate=True,
    ),
    Rule(
        id="TT32-18.1.c",
        ref=ref(TT32, "18", "1", "c"),
        scope="post",
        severity=ERROR,
        message="Ảnh hoặc nút bằng hình không có dòng mô tả (alt) có nghĩa",
        hint="Viết mô tả ngắn nội dung ảnh: ![Mô tả ảnh](images/…) hoặc Image_Alt: …; không dùng "
        "tên tệp hay chữ 'ảnh' làm mô tả",
        checks=("img_alt",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.1.c.media",
        ref=ref(TT32, "18", "1", "c"),
        scope="post",
        severity=WARNING,
        message="Video hoặc âm thanh không có phụ đề hay bản ghi lời",
        hint='Thêm <track kind="captions"> hoặc liên kết tới bản ghi lời ngay dưới video',
        checks=("media_captions",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.1.d",
        ref=ref(TT32, "18", "1", "d"),
        scope="post",
        severity=WARNING,
        message="Tiêu đề mục không theo thứ tự (bỏ cấp hoặc nhiều tiêu đề cấp 1)",
        hint="Trong bài, dùng '## ' cho mục lớn, '### ' cho mục nhỏ; không bỏ cấp",
        checks=("heading_order",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.1.d.links",
        ref=ref(TT32, "18", "1", "d"),
        scope="post",
        severity=WARNING,
        message="Liên kết có chữ không rõ nghĩa (ví dụ 'tại đây', 'xem thêm')",
        hint="Viết chữ của liên kết nói rõ nơi đến, ví dụ [Kế hoạch kiểm tra năm 2026](…)",
        checks=("link_text",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.1.dd",
        ref=ref(TT32, "18", "1", "đ"),
        scope="post",
        severity=ERROR,
        message="Bảng dữ liệu không có ô tiêu đề",
        hint="Trong Markdown, dòng đầu của bảng là tiêu đề cột, tiếp theo là dòng | --- | --- |",
        checks=("table_headers",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.1.dd.caption",
        ref=ref(TT32, "18", "1", "đ"),
        scope="post",
        severity=WARNING,
        message="Bảng dữ liệu không có tên bảng (thông tin tóm tắt)",
        hint="Đặt tên bảng ngay trên bảng, hoặc dùng thẻ <caption>",
        checks=("table_caption",),
        kinds=CONTENT,
    ),
    Rule(
        id="TT32-18.2",
        ref=ref(TT32, "18", "2"),
        scope="site",
        severity=INFO,
        message="Khuyến khích: phím tắt tới Trang chủ, Sơ đồ cổng, Tìm kiếm và nút tăng giảm cỡ "
        "chữ",
        hint="Thêm accesskey cho ba liên kết này và nút đổi cỡ chữ vào giao diện",
        checks=("accesskeys",),
        needs_theme=True,
    ),
    # -- TT 24/2011: Dublin Core metadata ------------------------------------------------
    Rule(
        id="TT24-4",
        ref=ref(TT24, "4", "1"),
        scope="post",
        severity=ERROR,
        message="Trang thiếu dữ liệu đặc tả Dublin Core bắt buộc",
        hint='Mẫu giao diện phải sinh các thẻ <meta name="DC.title">, DC.creator, DC.date, '
        "DC.description, DC.publisher, DC.identifier cho trang chủ, trang giới thiệu và bài",
        checks=("dublin_core",),
        kinds=("home", "page", "article", "document"),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        id="TT24-5",
        ref=ref(TT24, "5", "1"),
        scope="post",
        severity=ERROR,
        message="Bài để trống yếu tố đặc tả bắt buộc (tiêu đề, thời gian, cơ quan)",
        hint="Điền Title, Date và Unit ở đầu bài",
        checks=("required_metadata",),
        kinds=ARTICLES,
    ),
    Rule(
        id="TT24-5.desc",
        ref=ref(TT24, "5", "3"),
        scope="post",
        severity=WARNING,
        message="Tóm tắt bài (mô tả) thiếu hoặc độ dài không phù hợp (50–300 ký tự)",
        hint="Viết Summary 1–2 câu, từ 50 đến 300 ký tự",
        checks=("description_length",),
        kinds=ARTICLES,
        params={"min": 50, "max": 300},
    ),
    Rule(
        id="TT24-9",
        ref=ref(TT24, "9", "1"),
        scope="post",
        severity=WARNING,
        message="Nội dung bài đã thay đổi nhưng ngày cập nhật (Modified) chưa đổi",
        hint="Sửa trường Modified thành thời điểm sửa bài",
        checks=("modified_updated",),
        kinds=("article", "page"),
    ),
    Rule(
        id="CHK-WAIVER",
        ref="Quy định nội bộ về kiểm tra tuân thủ (docs/kiem-tra-tuan-thu.md)",
        scope="post",
        severity=WARNING,
        message="Dòng miễn trừ (Compliance_Waiver) không hợp lệ nên không được áp dụng",
        hint="Viết: 'Compliance_Waiver: <mã quy tắc>: <lý do>', ví dụ "
        "'Compliance_Waiver: D43-5.2: chữ MẬT là tên riêng của dự án, không phải dấu mật'",
        checks=("waiver_syntax",),
    ),
)


def _derive(
    base: Iterable[Rule],
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    drop: Iterable[str] = (),
    add: Iterable[Rule] = (),
) -> tuple[Rule, ...]:
    dropped = set(drop)
    changes = changes or {}
    rules = [replace(r, **changes.get(r.id, {})) for r in base if r.id not in dropped]
    return (*rules, *add)


_N42_NOTE = " (kế thừa {})"
_PACK_42 = _derive(
    BASE,
    changes={
        "D43-15.1.a": {"ref": ref(ND42, "7", "1"), "source": "S"},
        "D43-15.1.b": {"ref": ref(ND42, "7", "1"), "source": "S"},
        "D43-15.1.c": {"ref": ref(ND42, "7", "1"), "source": "S"},
        "D43-10.1.a": {"ref": ref(ND42, "4", "1") + _N42_NOTE.format("Điều 10 NĐ 43/2011")},
        "D43-10.1.k": {"ref": ref(ND42, "4", "1") + _N42_NOTE.format("Điều 10 NĐ 43/2011")},
        "D43-10.1.l": {"ref": ref(ND42, "4", "1") + _N42_NOTE.format("Điều 10 NĐ 43/2011")},
        "D43-10.1.dd": {"ref": ref(ND42, "4", "1"), "source": "S"},
        # not found in 42/2022 summaries: kept as good practice
        "D43-5.3": {"severity": WARNING},
        "D43-5.3.source": {"severity": WARNING},
    },
    drop=("D43-13.1",),
    add=(
        Rule(
            id="N42-7.2",
            ref=ref(ND42, "7", "2"),
            scope="site",
            severity=ERROR,
            message="Chưa có bản tiếng Anh của thông tin cơ cấu tổ chức, chức năng và liên hệ",
            hint="Tạo trang có 'Lang: en' và 'Section: chuc-nang-nhiem-vu', và trang 'Lang: en' "
            "có 'Section: can-bo-lien-he' hoặc 'Section: lien-he'",
            checks=("english_pages",),
            source="S",
        ),
        _section(
            "N42-4.1",
            ref(ND42, "4", "1"),
            ("bao-cao-tai-chinh", "ke-hoach-cong-tac-nam"),
            "báo cáo tài chính năm và chương trình, kế hoạch công tác hằng năm",
            source="S",
        ),
    ),
)

_PACK_224 = _derive(
    BASE,
    changes={
        "D43-6.1.b": {"ref": ref(ND224, "11", "4", "b"), "source": "S"},
        "D43-10.1.a": {"ref": ref(ND224, "9", "1", "b"), "source": "S"},
        "D43-10.1.b": {"severity": WARNING},  # not listed in Đ9 of 224/2026
        "D43-17.1.a": {"ref": ref(ND224, "9", "3"), "source": "S"},
        "TT24-4": {"ref": ref(TT24, "4", "1") + "; " + ref(ND224, "11", "5")},
        "D43-5.3": {"severity": WARNING},
        "D43-5.3.source": {"severity": WARNING},
    },
    drop=("D43-18.2",),
    add=(
        Rule(
            id="N224-9.1.a",
            ref=ref(ND224, "9", "1", "a"),
            scope="site",
            severity=ERROR,
            message="Mục dịch vụ công trực tuyến chưa liên kết tới Cổng Dịch vụ công quốc gia hoặc "
            "của tỉnh",
            hint="Thêm vào menu chính mục 'Dịch vụ công trực tuyến' trỏ tới dichvucong.gov.vn "
            "hoặc cổng dịch vụ công của tỉnh",
            checks=("dvc_menu",),
            needs_theme=True,
            source="S",
            params={"external_only": True},
        ),
        Rule(
            id="N224-10.3",
            ref=ref(ND224, "10", "3"),
            scope="post",
            severity=WARNING,
            message="Bài chưa có chức năng đánh giá mức độ hài lòng về thông tin",
            hint="Mẫu bài viết cần có khối đánh giá (.article-rating) không thu thập thông tin cá "
            "nhân",
            checks=("rating_widget",),
            kinds=ARTICLES,
            needs_theme=True,
            aggregate=True,
            source="S",
        ),
        Rule(
            id="N224-13.1.a",
            ref=ref(ND224, "13", "1", "a"),
            scope="site",
            severity=ERROR,
            message="Tạm ngừng cổng theo kế hoạch nhưng chưa thông báo trước ít nhất 7 ngày làm "
            "việc",
            hint="Đăng thông báo tạm ngừng và khai báo nó trong COMPLIANCE_MAINTENANCE['notice']",
            checks=("maintenance_notice",),
            source="S",
            params={"days": 7},
        ),
    ),
)

PACKS: dict[str, tuple[Rule, ...]] = {
    "43/2011": BASE,
    "42/2022": _PACK_42,
    "224/2026": _PACK_224,
}

PACK_TITLES = {
    "43/2011": "Nghị định 43/2011/NĐ-CP",
    "42/2022": "Nghị định 42/2022/NĐ-CP",
    "224/2026": "Nghị định 224/2026/NĐ-CP",
}

LEVEL_TITLES = {"so": "cấp Sở", "ubnd_tinh": "UBND tỉnh", "bo": "cấp Bộ"}


def all_rule_ids() -> set[str]:
    return {r.id for rules in PACKS.values() for r in rules}


def canonical_id(rule_id: str) -> str:
    """Waivers may spell point đ as in the law (D43-10.1.đ); ids use 'dd'."""
    return rule_id.strip().replace("đ", "dd").replace("Đ", "DD")


def rules_for(pack: str, level: str) -> list[Rule]:
    """The rules that apply to this pack and agency level, severities set for the level."""
    out = []
    for rule in PACKS[pack]:
        if level not in rule.levels:
            continue
        severity = rule.severity_for(level)
        out.append(rule if severity == rule.severity else replace(rule, severity=severity))
    return out
