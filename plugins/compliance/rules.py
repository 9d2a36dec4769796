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


@dataclass(frozen=True)
class Rule:
    """One requirement: what to check, where, how bad, and how editors fix it."""

    id: str
    ref: str  # legal reference (Điều, khoản, điểm, document)
    scope: str  # site | page | post | asset
    severity: str  # error | warning | info
    message: str  # Vietnamese, for editors
    hint: str  # Vietnamese: how to fix it
    checks: tuple[str, ...]  # names of check functions
    levels: tuple[str, ...] = LEVELS  # agency levels the rule applies to
    by_level: Mapping[str, str] = field(default_factory=dict)  # level → severity
    needs_theme: bool = False  # passes only when the theme renders the element
    aggregate: bool = False  # one finding per problem, counting pages, not one per page
    source: str = "T"  # T: read in the legal text; S: secondary sources only
    params: Mapping[str, Any] = field(default_factory=dict)

    def severity_for(self, level: str) -> str:
        return self.by_level.get(level, self.severity)


def _section(rid: str, ref_: str, keys: list[str], what: str, **kw: Any) -> Rule:
    return Rule(
        rid,
        ref_,
        "site",
        kw.pop("severity", ERROR),
        f"Thiếu mục bắt buộc: {what}",
        "Tạo trang trong content/pages/ (hoặc dùng chuyên mục có sẵn) và khai báo mục nó đáp "
        "ứng bằng dòng 'Section: <mã mục>' ở đầu trang, ví dụ 'Section: "
        f"{keys[0]}'; chuyên mục phải có ít nhất một bài",
        ("sections_present",),
        params={"keys": keys},
        **kw,
    )


BASE: tuple[Rule, ...] = (
    # -- Điều 10 k1: the main information ("thông tin chủ yếu") ----------------------
    _section(
        "D43-10.1.a",
        ref(ND43, "10", "1", "a"),
        ["chuc-nang-nhiem-vu", "so-do-to-chuc", "lich-su", "lanh-dao"],
        "giới thiệu cơ quan (sơ đồ, cơ cấu tổ chức; chức năng, nhiệm vụ; quá trình hình thành; "
        "tiểu sử và nhiệm vụ của lãnh đạo)",
    ),
    _section("D43-10.1.b", ref(ND43, "10", "1", "b"), ["tin-tuc-su-kien"], "tin tức, sự kiện"),
    _section("D43-10.1.c", ref(ND43, "10", "1", "c"), ["chi-dao-dieu-hanh"], "chỉ đạo, điều hành"),
    Rule(
        "D43-10.1.c.lich",
        ref(ND43, "10", "1", "c"),
        "site",
        WARNING,
        "Lịch làm việc của lãnh đạo chưa có hoặc chưa cập nhật trong 7 ngày qua",
        "Đăng lịch làm việc tuần này trên trang có dòng 'Section: lich-lam-viec' và cập nhật "
        "trường Modified mỗi tuần",
        ("schedule_fresh",),
        params={"key": "lich-lam-viec", "days": 7},
    ),
    _section(
        "D43-10.1.d",
        ref(ND43, "10", "1", "d"),
        ["pho-bien-phap-luat"],
        "tuyên truyền, phổ biến, hướng dẫn thực hiện pháp luật",
    ),
    _section(
        "D43-10.1.dd",
        ref(ND43, "10", "1", "đ"),
        ["quy-hoach-ke-hoach"],
        "chiến lược, quy hoạch, kế hoạch phát triển ngành",
    ),
    _section("D43-10.1.e", ref(ND43, "10", "1", "e"), ["van-ban"], "văn bản quy phạm pháp luật"),
    _section(
        "D43-10.1.g",
        ref(ND43, "10", "1", "g"),
        ["cong-bao"],
        "công báo điện tử",
        levels=("ubnd_tinh",),
    ),
    _section(
        "D43-10.1.h",
        ref(ND43, "10", "1", "h"),
        ["du-an-dau-thau"],
        "dự án, hạng mục đầu tư, đấu thầu, mua sắm công",
    ),
    _section("D43-10.1.i", ref(ND43, "10", "1", "i"), ["lay-y-kien"], "lấy ý kiến góp ý"),
    Rule(
        "D43-10.1.k",
        ref(ND43, "10", "1", "k"),
        "site",
        ERROR,
        "Thiếu hoặc chưa đủ thông tin liên hệ của cán bộ, công chức có thẩm quyền",
        "Trang có dòng 'Section: can-bo-lien-he' phải ghi họ tên, chức vụ, đơn vị, điện thoại "
        "và thư điện tử công vụ (tên miền .gov.vn của tỉnh) của từng người",
        ("officials_contacts",),
        params={"key": "can-bo-lien-he"},
    ),
    Rule(
        "D43-10.1.l",
        ref(ND43, "10", "1", "l"),
        "site",
        ERROR,
        "Thiếu thông tin giao dịch của cơ quan (địa chỉ, điện thoại, thư điện tử)",
        "Khai báo PORTAL_IDENTITY (address, phone, email) trong pelicanconf.py và ghi đủ các "
        "thông tin này trên trang Liên hệ (Section: lien-he)",
        ("agency_contacts",),
        params={"key": "lien-he"},
    ),
    Rule(
        "D43-10.1.l.fax",
        ref(ND43, "10", "1", "l"),
        "site",
        WARNING,
        "Chưa có số fax của cơ quan",
        "Thêm 'fax' vào PORTAL_IDENTITY trong pelicanconf.py (nếu cơ quan không còn dùng fax, "
        "miễn trừ quy tắc này trong COMPLIANCE_WAIVERS và ghi lý do)",
        ("agency_fax",),
    ),
    _section(
        "D43-11",
        ref(ND43, "11", "1"),
        ["de-tai-khoa-hoc"],
        "chương trình, đề tài khoa học",
        levels=("ubnd_tinh", "bo"),
    ),
    _section(
        "D43-12", ref(ND43, "12"), ["thong-ke"], "thông tin thống kê", levels=("ubnd_tinh", "bo")
    ),
    Rule(
        "D43-13.1",
        ref(ND43, "13", "1"),
        "site",
        INFO,
        "Chưa có bản tiếng Anh của trang giới thiệu và trang liên hệ",
        "Tạo trang có 'Lang: en' và 'Section: chuc-nang-nhiem-vu' (giới thiệu), và trang "
        "'Lang: en' có 'Section: lien-he' hoặc 'Section: can-bo-lien-he'",
        ("english_pages",),
        by_level={"ubnd_tinh": ERROR, "bo": ERROR},
    ),
    Rule(
        "D43-15.2",
        ref(ND43, "15", "2"),
        "site",
        ERROR,
        "Thiếu mục hỏi đáp (gửi câu hỏi hoặc địa chỉ thư điện tử tiếp nhận)",
        "Tạo trang có 'Section: hoi-dap' ghi địa chỉ thư điện tử tiếp nhận câu hỏi "
        "(liên kết mailto:) hoặc có biểu mẫu gửi câu hỏi",
        ("qa_section",),
        params={"key": "hoi-dap"},
    ),
    Rule(
        "ATI-11.1",
        ref(ND13_18, "11", "1"),
        "site",
        ERROR,
        "Thiếu chuyên mục tiếp cận thông tin",
        "Tạo trang có 'Section: tiep-can-thong-tin' nêu danh mục thông tin công khai, đầu mối "
        "cung cấp thông tin và địa chỉ thư điện tử tiếp nhận yêu cầu",
        ("access_to_information",),
        params={"key": "tiep-can-thong-tin"},
    ),
    Rule(
        "TT32-16.2",
        ref(TT32, "16", "2"),
        "site",
        ERROR,
        "Mục thông tin bắt buộc không truy cập được từ trang chủ hoặc menu chính",
        "Đưa liên kết tới mục này vào menu chính, trang chủ, hoặc một trang có trong menu "
        "(ví dụ thêm dòng liên kết vào trang Giới thiệu)",
        ("sections_reachable",),
    ),
    Rule(
        "D43-18.2",
        ref(ND43, "18", "2"),
        "site",
        ERROR,
        "Menu chính chưa có mục 'Dịch vụ công trực tuyến'",
        "Thêm vào menu chính một mục 'Dịch vụ công trực tuyến' trỏ tới Cổng dịch vụ công "
        "(dichvucong.gov.vn hoặc cổng của tỉnh) hoặc trang danh mục dịch vụ công",
        ("dvc_menu",),
        needs_theme=True,
    ),
    # -- Điều 6, 7: domain, Unicode ---------------------------------------------------
    Rule(
        "D43-6.1.b",
        ref(ND43, "6", "1", "b"),
        "site",
        ERROR,
        "Tên miền của cổng không đúng dạng tencoquan.tentinh.gov.vn",
        "Đặt SITEURL trong publishconf.py theo dạng https://<tên cơ quan>.<tên tỉnh>.gov.vn",
        ("domain_pattern",),
    ),
    Rule(
        "TT32-20",
        ref(TT32, "20"),
        "site",
        ERROR,
        "Cổng không dùng giao thức an toàn HTTPS",
        "Đặt SITEURL trong publishconf.py bắt đầu bằng https://",
        ("https_siteurl",),
    ),
    Rule(
        "D43-7.1",
        ref(ND43, "7", "1"),
        "page",
        ERROR,
        "Trang không khai báo bảng mã UTF-8 ngay đầu phần <head> hoặc không đọc được theo UTF-8",
        'Trong mẫu giao diện, đặt <meta charset="utf-8"> là thẻ đầu tiên trong <head>',
        ("html_charset",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "D43-7.1.nfc",
        ref(ND43, "7", "1"),
        "page",
        ERROR,
        "Chữ tiếng Việt trên trang không ở dạng Unicode dựng sẵn (NFC)",
        "Lưu tệp nguồn (bài, mẫu giao diện) theo Unicode dựng sẵn; bộ gõ Unikey: chọn bảng "
        "mã Unicode dựng sẵn",
        ("html_nfc",),
        aggregate=True,
    ),
    Rule(
        "D43-7.1.legacy",
        ref(ND43, "7", "1"),
        "post",
        ERROR,
        "Bài có chữ bị lỗi phông do dán từ văn bản dùng bảng mã cũ",
        "Chuyển văn bản gốc sang Unicode (Unikey: Công cụ chuyển mã, chọn bảng mã nguồn như "
        "thông báo, đích là Unicode) rồi dán lại",
        ("legacy_encoding",),
    ),
    Rule(
        "D43-7.1.font",
        ref(ND43, "7", "1"),
        "asset",
        WARNING,
        "Tệp CSS dùng phông chữ của bảng mã cũ (TCVN3/VNI)",
        "Thay các phông .VnTime, VNI-Times… bằng phông Unicode (ví dụ Arial, Times New Roman)",
        ("css_legacy_fonts",),
    ),
    Rule(
        "D43-7.1.xml",
        ref(ND43, "7", "1"),
        "asset",
        WARNING,
        "Tệp XML (RSS, Atom, sơ đồ trang) không khai báo bảng mã UTF-8",
        'Tệp XML phải bắt đầu bằng <?xml version="1.0" encoding="UTF-8"?>',
        ("xml_encoding",),
    ),
    Rule(
        "D43-7.2",
        ref(ND43, "7", "2"),
        "asset",
        ERROR,
        "Tệp XML (RSS, Atom, sơ đồ trang) không đúng cú pháp",
        "Kiểm tra plugin hoặc mẫu tạo ra tệp này",
        ("xml_wellformed",),
    ),
    # -- Điều 5: content ---------------------------------------------------------------
    Rule(
        "D43-5.2",
        ref(ND43, "5", "2"),
        "post",
        ERROR,
        "Bài có dấu hiệu tài liệu mật (MẬT, TỐI MẬT, TUYỆT MẬT)",
        "Không đăng tài liệu mang độ mật lên cổng. Gỡ nội dung hoặc tệp đính kèm; nếu là từ "
        "thông thường bị nhận nhầm, ghi miễn trừ kèm lý do",
        ("security_marks",),
    ),
    Rule(
        "D43-5.2.credit",
        ref(ND43, "5", "2"),
        "post",
        WARNING,
        "Bài đăng lại có ảnh nhưng chưa ghi nguồn, bản quyền ảnh",
        "Thêm dòng 'Image_Credit: Ảnh: <tác giả / báo>' ở đầu bài",
        ("image_credit",),
    ),
    Rule(
        "D43-5.3",
        ref(ND43, "5", "3"),
        "post",
        ERROR,
        "Bài không ghi tác giả (người viết hoặc đơn vị đưa tin) trên trang",
        "Đơn vị ghi ở dòng 'Unit:' là tác giả, nguồn tin của bài; muốn ghi tên người viết thì "
        "thêm dòng 'Author: <họ tên>'. Mẫu giao diện phải hiển thị người viết, hoặc đơn vị khi "
        "bài không có Author",
        ("author_present", "author_rendered"),
    ),
    Rule(
        "D43-5.3.source",
        ref(ND43, "5", "3"),
        "post",
        ERROR,
        "Bài đăng lại nhưng nguồn không hiện trên trang",
        "Ghi 'Source: Tên báo | https://địa-chỉ-bài-gốc'; mẫu giao diện phải hiển thị nguồn",
        ("source_rendered",),
    ),
    Rule(
        "D43-5.3.quote",
        ref(ND43, "5", "3"),
        "post",
        WARNING,
        "Đoạn trích dẫn không ghi nguồn",
        "Ghi nguồn ngay dưới đoạn trích (ví dụ '— Theo Báo Lam Sơn') hoặc khai báo Source",
        ("blockquote_cite",),
    ),
    # -- Điều 10 k1 e, h, i, d, đ: per-post fields ----------------------------------------
    Rule(
        "D43-10.1.e.fields",
        ref(ND43, "10", "1", "e"),
        "post",
        ERROR,
        "Văn bản trong sổ văn bản chưa đủ thông tin bắt buộc",
        "Mỗi văn bản trong content/van-ban/ phải có: Title (trích yếu), Document_Type (hình "
        "thức), Document_Issuer (cơ quan ban hành), Document_Number (số ký hiệu, ví dụ "
        "12/2024/QĐ-UBND), Document_Issued (ngày ban hành), ngày hiệu lực (Document_Effective, "
        "mặc định là ngày ban hành) và Document_File (tệp tải về, có trong bản xuất bản)",
        ("document_fields", "document_files_exist"),
    ),
    Rule(
        "D43-10.1.e.search",
        ref(ND43, "10", "1", "e"),
        "site",
        ERROR,
        "Chưa có công cụ tìm kiếm văn bản, hoặc công cụ không tìm được mọi văn bản",
        "Bật plugin plugins.documents: nó viết trang /van-ban/ (tra cứu theo số ký hiệu, "
        "trích yếu, loại, năm, cơ quan, lĩnh vực, người ký) và dữ liệu tra cứu của mọi văn bản",
        ("document_search",),
    ),
    Rule(
        "D43-10.1.e.category",
        ref(ND43, "10", "1", "e"),
        "post",
        WARNING,
        "Bài về văn bản chưa liên kết tới văn bản trong sổ văn bản",
        "Đăng văn bản vào sổ văn bản (một tệp trong content/van-ban/, xem hướng dẫn biên tập) "
        "rồi trong bài ghi Related_Doc_Number: <số ký hiệu> hoặc liên kết "
        "[tên văn bản]({van-ban}<số ký hiệu>); nếu chỉ là tin, chuyển sang chuyên mục tin",
        ("document_category",),
    ),
    Rule(
        "D43-10.1.h.fields",
        ref(ND43, "10", "1", "h"),
        "post",
        ERROR,
        "Thông tin dự án chưa đủ các trường bắt buộc",
        "Bài về một dự án phải có: Project_Goal, Project_Field, Project_Type, Project_Period, "
        "Project_Budget, Project_Funding, Project_Donor, Project_Status (chuan-bi-dau-tu, "
        "dang-trien-khai hoặc da-hoan-tat)",
        ("project_fields",),
    ),
    Rule(
        "D43-10.1.i.fields",
        ref(ND43, "10", "1", "i"),
        "post",
        WARNING,
        "Bài lấy ý kiến chưa đủ thông tin để người dân góp ý",
        "Thêm: Consultation_File (toàn văn dự thảo), Consultation_Deadline (hạn góp ý), "
        "Consultation_Email (thư điện tử công vụ nhận góp ý), Consultation_Address",
        ("consultation_fields",),
    ),
    Rule(
        "D43-10.1.d.fields",
        ref(ND43, "10", "1", "d"),
        "post",
        WARNING,
        "Bài phổ biến pháp luật chưa ghi văn bản được phổ biến",
        "Thêm Related_Doc_Number (số ký hiệu) và Related_Doc_Date (ngày ban hành) của văn bản",
        ("law_fields",),
    ),
    Rule(
        "D43-10.1.dd.fields",
        ref(ND43, "10", "1", "đ"),
        "post",
        WARNING,
        "Bài chiến lược, quy hoạch, kế hoạch chưa ghi quyết định phê duyệt",
        "Thêm Document_Number (số quyết định), Document_Issued (ngày phê duyệt) và "
        "Document_File (tệp toàn văn)",
        ("plan_fields",),
    ),
    # -- Điều 15: support functions --------------------------------------------------------
    Rule(
        "D43-15.1.a",
        ref(ND43, "15", "1", "a"),
        "page",
        ERROR,
        "Trang không có ô tìm kiếm",
        'Mẫu giao diện phải có biểu mẫu tìm kiếm (form role="search") trên mọi trang',
        ("search_form",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "D43-15.1.b",
        ref(ND43, "15", "1", "b"),
        "site",
        WARNING,
        "Trang chủ chưa có liên kết tới cổng thông tin điện tử của tỉnh",
        "Thêm khối 'Liên kết' có liên kết tới cổng của UBND tỉnh (COMPLIANCE_PROVINCE_PORTAL_URL)",
        ("province_link",),
        needs_theme=True,
    ),
    Rule(
        "D43-15.1.c",
        ref(ND43, "15", "1", "c"),
        "post",
        ERROR,
        "Bài không có chức năng in hoặc lưu",
        "Mẫu bài viết phải có nút 'In' và nút 'Lưu' (trong khối .article-tools)",
        ("print_save",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "D43-15.1.c.css",
        ref(ND43, "15", "1", "c"),
        "asset",
        WARNING,
        "CSS chưa có kiểu dành cho bản in (@media print)",
        "Thêm khối @media print vào CSS của giao diện",
        ("print_css",),
        needs_theme=True,
    ),
    Rule(
        "D43-16.2",
        ref(ND43, "16", "2"),
        "site",
        WARNING,
        "Cổng chưa xuất dữ liệu máy đọc được (RSS/Atom, sitemap.xml) để tích hợp với cổng tỉnh",
        "Bật plugin feeds và sơ đồ trang XML",
        ("machine_readable",),
    ),
    # -- Điều 17: timeliness ----------------------------------------------------------------
    Rule(
        "D43-17.1.a",
        ref(ND43, "17", "1", "a"),
        "site",
        WARNING,
        "Thông tin chưa được cập nhật thường xuyên",
        "Đăng tin mới trong chuyên mục tin tức; rà soát và cập nhật trường Modified của các "
        "trang giới thiệu, liên hệ",
        ("freshness",),
    ),
    Rule(
        "D43-17.1.b",
        ref(ND43, "17", "1", "b"),
        "post",
        WARNING,
        "Bài phổ biến pháp luật đăng quá 15 ngày làm việc kể từ ngày văn bản ban hành",
        "Đăng bài phổ biến văn bản mới sớm hơn; kiểm tra Related_Doc_Date",
        ("deadline_law",),
        params={"limit": 15},
    ),
    Rule(
        "D43-17.1.c",
        ref(ND43, "17", "1", "c"),
        "post",
        WARNING,
        "Văn bản đăng chậm so với thời hạn (2 ngày làm việc với văn bản của Sở, 10 ngày với "
        "văn bản của cơ quan khác)",
        "Đăng văn bản ngay sau khi ban hành; kiểm tra Document_Issued và Document_Issuer",
        ("deadline_document",),
        params={"own": 2, "other": 10},
    ),
    Rule(
        "D43-17.1.d",
        ref(ND43, "17", "1", "d"),
        "post",
        WARNING,
        "Chiến lược, quy hoạch, kế hoạch hoặc dự án đăng quá 10 ngày làm việc kể từ khi phê duyệt",
        "Đăng ngay sau khi được phê duyệt; kiểm tra Document_Issued hoặc Project_Approved",
        ("deadline_plan",),
        params={"limit": 10},
    ),
    Rule(
        "D43-17.1.dd",
        ref(ND43, "17", "1", "đ"),
        "post",
        WARNING,
        "Câu hỏi được trả lời quá 15 ngày làm việc",
        "Trả lời câu hỏi trong 15 ngày làm việc kể từ ngày nhận (Question_Date)",
        ("deadline_answer",),
        params={"limit": 15},
    ),
    Rule(
        "D43-17.2",
        ref(ND43, "17", "2"),
        "site",
        WARNING,
        "Trang đã đăng trước đây không còn trên cổng",
        "Không xóa bài đã đăng; nếu đổi địa chỉ, khai báo địa chỉ cũ → mới trong "
        "COMPLIANCE_MOVED_URLS",
        ("archive_kept",),
    ),
    # -- Điều 9, 29: personal data and security ----------------------------------------
    Rule(
        "TT25-5.1",
        ref(TT25, "5", "1"),
        "site",
        ERROR,
        "Cổng thu thập thông tin (biểu mẫu, cookie, mã của bên thứ ba, đếm truy cập) nhưng "
        "chưa có thông báo về thu thập thông tin cá nhân ở chân trang",
        "Tạo trang có 'Section: chinh-sach-rieng-tu' nêu hình thức, phạm vi, mục đích thu "
        "thập và liên kết tới nó từ chân trang",
        ("privacy_notice",),
        params={"key": "chinh-sach-rieng-tu"},
    ),
    Rule(
        "TT25-8.2",
        ref(TT25, "8", "2"),
        "page",
        ERROR,
        "Biểu mẫu đánh dấu sẵn ô đồng ý",
        "Bỏ thuộc tính checked: người dùng phải tự đánh dấu ô đồng ý",
        ("prechecked_consent",),
        aggregate=True,
    ),
    Rule(
        "D43-29.1",
        ref(ND43, "29", "1"),
        "page",
        ERROR,
        "Trang tải tài nguyên qua http:// (không mã hóa)",
        "Dùng địa chỉ https:// hoặc đường dẫn tương đối cho ảnh, CSS, JavaScript",
        ("mixed_content",),
        aggregate=True,
    ),
    Rule(
        "D43-29.1.sri",
        ref(ND43, "29", "1"),
        "page",
        WARNING,
        "Trang nạp mã JavaScript từ máy chủ bên ngoài không kèm mã kiểm tra toàn vẹn",
        "Tự lưu trữ tệp JavaScript hoặc thêm thuộc tính integrity và crossorigin",
        ("script_integrity",),
        aggregate=True,
    ),
    Rule(
        "D43-29.1.secrets",
        ref(ND43, "29", "1"),
        "asset",
        ERROR,
        "Thư mục xuất bản chứa tệp bí mật (khóa, mật khẩu, cấu hình)",
        "Xóa tệp khỏi content/ hoặc STATIC_PATHS; đổi ngay khóa, mật khẩu đã lộ",
        ("secret_files",),
    ),
    Rule(
        "LIT-28.2.dd",
        ref(LCNTT, "28", "2", "đ"),
        "site",
        WARNING,
        "Danh mục thư điện tử chưa đủ các đơn vị trực thuộc",
        "Khai báo thư điện tử của mọi đơn vị trong content/units.yml và liệt kê trên trang Liên hệ",
        ("email_directory",),
    ),
    Rule(
        "LIT-28.3",
        ref(LCNTT, "28", "3"),
        "page",
        WARNING,
        "Trang yêu cầu đăng nhập: thông tin chủ yếu phải cung cấp miễn phí, không rào chắn",
        "Bỏ ô mật khẩu hoặc chuyển chức năng cần đăng nhập sang hệ thống khác",
        ("login_wall",),
        aggregate=True,
    ),
    # -- TT 32/2017: layout and accessibility -------------------------------------------
    Rule(
        "TT32-16.3.a",
        ref(TT32, "16", "3", "a"),
        "page",
        ERROR,
        "Đầu trang chưa đủ: biểu trưng có chú thích, tên đầy đủ của cơ quan (dạng chữ) và "
        "menu Trang chủ, Giới thiệu, Dịch vụ công trực tuyến, Sơ đồ cổng",
        "Sửa mẫu giao diện (phần header)",
        ("header_block",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "TT32-16.3.c",
        ref(TT32, "16", "3", "c"),
        "page",
        ERROR,
        "Chân trang chưa đủ: bản quyền, tên đơn vị, người chịu trách nhiệm, địa chỉ, điện "
        "thoại, thư điện tử",
        "Sửa mẫu giao diện (khối .identity-block ở chân trang) và PORTAL_IDENTITY",
        ("footer_identity",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "TT32-16.4.b",
        ref(TT32, "16", "4", "b"),
        "site",
        ERROR,
        "Sơ đồ cổng chưa đủ (trang sơ đồ dạng cây cho người đọc và tệp sitemap.xml)",
        "Giao diện phải có trang /so-do-trang/ liệt kê mọi chuyên mục và trang, liên kết từ "
        "trang chủ; bật tệp /sitemap.xml chứa mọi bài và trang",
        ("sitemaps",),
        needs_theme=True,
    ),
    Rule(
        "TT32-17",
        ref(TT32, "17", "1"),
        "page",
        ERROR,
        "Trang chưa hỗ trợ thiết bị di động (thiếu thẻ meta viewport)",
        'Thêm <meta name="viewport" content="width=device-width, initial-scale=1"> vào <head>',
        ("viewport",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "TT32-18.1.a",
        ref(TT32, "18", "1", "a"),
        "post",
        WARNING,
        "Bài dùng màu chữ để nhấn mạnh",
        "Bỏ màu chữ tự đặt; dùng chữ đậm hoặc tiêu đề để nhấn mạnh",
        ("inline_colour",),
    ),
    Rule(
        "TT32-18.1.b",
        ref(TT32, "18", "1", "b"),
        "page",
        ERROR,
        "Trang có chữ nhấp nháy hoặc tự chạy",
        "Bỏ thẻ <marquee>, <blink> và hiệu ứng chuyển động lặp vô hạn",
        ("no_blink",),
        aggregate=True,
    ),
    Rule(
        "TT32-18.1.c",
        ref(TT32, "18", "1", "c"),
        "post",
        ERROR,
        "Ảnh hoặc nút bằng hình không có dòng mô tả (alt) có nghĩa",
        "Viết mô tả ngắn nội dung ảnh: ![Mô tả ảnh](images/…) hoặc Image_Alt: …; không dùng "
        "tên tệp hay chữ 'ảnh' làm mô tả",
        ("img_alt",),
    ),
    Rule(
        "TT32-18.1.c.media",
        ref(TT32, "18", "1", "c"),
        "post",
        WARNING,
        "Video hoặc âm thanh không có phụ đề hay bản ghi lời",
        'Thêm <track kind="captions"> hoặc liên kết tới bản ghi lời ngay dưới video',
        ("media_captions",),
    ),
    Rule(
        "TT32-18.1.d",
        ref(TT32, "18", "1", "d"),
        "post",
        WARNING,
        "Tiêu đề mục không theo thứ tự (bỏ cấp hoặc nhiều tiêu đề cấp 1)",
        "Trong bài, dùng '## ' cho mục lớn, '### ' cho mục nhỏ; không bỏ cấp",
        ("heading_order",),
    ),
    Rule(
        "TT32-18.1.d.links",
        ref(TT32, "18", "1", "d"),
        "post",
        WARNING,
        "Liên kết có chữ không rõ nghĩa (ví dụ 'tại đây', 'xem thêm')",
        "Viết chữ của liên kết nói rõ nơi đến, ví dụ [Kế hoạch kiểm tra năm 2026](…)",
        ("link_text",),
    ),
    Rule(
        "TT32-18.1.dd",
        ref(TT32, "18", "1", "đ"),
        "post",
        ERROR,
        "Bảng dữ liệu không có ô tiêu đề",
        "Trong Markdown, dòng đầu của bảng là tiêu đề cột, tiếp theo là dòng | --- | --- |",
        ("table_headers",),
    ),
    Rule(
        "TT32-18.1.dd.caption",
        ref(TT32, "18", "1", "đ"),
        "post",
        WARNING,
        "Bảng dữ liệu không có tên bảng (thông tin tóm tắt)",
        "Đặt tên bảng ngay trên bảng, hoặc dùng thẻ <caption>",
        ("table_caption",),
    ),
    Rule(
        "TT32-18.2",
        ref(TT32, "18", "2"),
        "site",
        INFO,
        "Khuyến khích: phím tắt tới Trang chủ, Sơ đồ cổng, Tìm kiếm và nút tăng giảm cỡ chữ",
        "Thêm accesskey cho ba liên kết này và nút đổi cỡ chữ vào giao diện",
        ("accesskeys",),
        needs_theme=True,
    ),
    # -- TT 24/2011: Dublin Core metadata ------------------------------------------------
    Rule(
        "TT24-4",
        ref(TT24, "4", "1"),
        "post",
        ERROR,
        "Trang thiếu dữ liệu đặc tả Dublin Core bắt buộc",
        'Mẫu giao diện phải sinh các thẻ <meta name="DC.title">, DC.creator, DC.date, '
        "DC.description, DC.publisher, DC.identifier cho trang chủ, trang giới thiệu và bài",
        ("dublin_core",),
        needs_theme=True,
        aggregate=True,
    ),
    Rule(
        "TT24-5",
        ref(TT24, "5", "1"),
        "post",
        ERROR,
        "Bài để trống yếu tố đặc tả bắt buộc (tiêu đề, thời gian, cơ quan)",
        "Điền Title, Date và Unit ở đầu bài",
        ("required_metadata",),
    ),
    Rule(
        "TT24-5.desc",
        ref(TT24, "5", "3"),
        "post",
        WARNING,
        "Tóm tắt bài (mô tả) thiếu hoặc độ dài không phù hợp (50–300 ký tự)",
        "Viết Summary 1–2 câu, từ 50 đến 300 ký tự",
        ("description_length",),
        params={"min": 50, "max": 300},
    ),
    Rule(
        "TT24-9",
        ref(TT24, "9", "1"),
        "post",
        WARNING,
        "Nội dung bài đã thay đổi nhưng ngày cập nhật (Modified) chưa đổi",
        "Sửa trường Modified thành thời điểm sửa bài",
        ("modified_updated",),
    ),
    Rule(
        "CHK-WAIVER",
        "Quy định nội bộ về kiểm tra tuân thủ (docs/kiem-tra-tuan-thu.md)",
        "post",
        WARNING,
        "Dòng miễn trừ (Compliance_Waiver) không hợp lệ nên không được áp dụng",
        "Viết: 'Compliance_Waiver: <mã quy tắc>: <lý do>', ví dụ "
        "'Compliance_Waiver: D43-5.2: chữ MẬT là tên riêng của dự án, không phải dấu mật'",
        ("waiver_syntax",),
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
            "N42-7.2",
            ref(ND42, "7", "2"),
            "site",
            ERROR,
            "Chưa có bản tiếng Anh của thông tin cơ cấu tổ chức, chức năng và liên hệ",
            "Tạo trang có 'Lang: en' và 'Section: chuc-nang-nhiem-vu', và trang 'Lang: en' "
            "có 'Section: can-bo-lien-he' hoặc 'Section: lien-he'",
            ("english_pages",),
            source="S",
        ),
        _section(
            "N42-4.1",
            ref(ND42, "4", "1"),
            ["bao-cao-tai-chinh", "ke-hoach-cong-tac-nam"],
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
            "N224-9.1.a",
            ref(ND224, "9", "1", "a"),
            "site",
            ERROR,
            "Mục dịch vụ công trực tuyến chưa liên kết tới Cổng Dịch vụ công quốc gia hoặc "
            "của tỉnh",
            "Thêm vào menu chính mục 'Dịch vụ công trực tuyến' trỏ tới dichvucong.gov.vn "
            "hoặc cổng dịch vụ công của tỉnh",
            ("dvc_menu",),
            needs_theme=True,
            source="S",
            params={"external_only": True},
        ),
        Rule(
            "N224-10.3",
            ref(ND224, "10", "3"),
            "post",
            WARNING,
            "Bài chưa có chức năng đánh giá mức độ hài lòng về thông tin",
            "Mẫu bài viết cần có khối đánh giá (.article-rating) không thu thập thông tin cá nhân",
            ("rating_widget",),
            needs_theme=True,
            aggregate=True,
            source="S",
        ),
        Rule(
            "N224-13.1.a",
            ref(ND224, "13", "1", "a"),
            "site",
            ERROR,
            "Tạm ngừng cổng theo kế hoạch nhưng chưa thông báo trước ít nhất 7 ngày làm việc",
            "Đăng thông báo tạm ngừng và khai báo nó trong COMPLIANCE_MAINTENANCE['notice']",
            ("maintenance_notice",),
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
