"""Real Pelican builds of tiny sites with documents: the pages, feeds and bad inputs."""

from __future__ import annotations

import json
import re

import feedparser

from tests.conftest import ROOT, run_pelican

SAMPLE_NUMBERS = 14


def _rows(page: str) -> list[str]:
    return re.findall(r'<td class="doc-number"><a href="[^"]+">([^<]+)</a>', page)


def _jsonld(page: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    )


def test_register_pages_filters_links_and_feeds(doc_site):
    doc_site.document("old", Document_Number="5/2021/QĐ-UBND", Document_Issued="12/03/2021")
    doc_site.document(
        "2024/new",
        Document_Effective="01/04/2024",
        Document_Replaces="05/2021/QĐ-UBND",
        Document_Fields="Vận tải; Sát hạch, cấp giấy phép lái xe",
        body='Thay thế quyết định cũ.<script>alert(1)</script> <a href="javascript:x()">x</a>',
    )
    doc_site.document(
        "later",
        Document_Number="3/2026/QĐ-SGTVT",
        Document_Issuer="Sở GTVT",
        Document_Signer="Nguyễn Hữu Bình, Giám đốc",
        Document_Issued="01/06/2026",
        Document_Effective="01/07/2026",
    )
    doc_site.post(
        "tin",
        title="Bến xe khách có quy định mới",
        body="Theo [Quyết định 12/2024]({van-ban}12/2024/QĐ-UBND), bến xe phải niêm yết giá.",
    )
    result = doc_site.build()
    assert result.returncode == 0, result.log

    register = result.page("van-ban/")
    rows = _rows(register)
    assert rows == ["3/2026/QĐ-SGTVT", "12/2024/QĐ-UBND", "5/2021/QĐ-UBND"]  # newest first
    for facet in (
        "loai/quyet-dinh/",
        "nam/2024/",
        "co-quan/ubnd-tinh/",
        "linh-vuc/sat-hach-giay-phep-lai-xe/",
        "nguoi-ky/nguyen-huu-binh/",
    ):
        assert f'href="{doc_site_url(result)}/van-ban/{facet}"' in register
    by_issuer = result.page("van-ban/co-quan/so-gtvt/")
    assert _rows(by_issuer) == ["3/2026/QĐ-SGTVT"]

    new = result.page("van-ban/12-2024-qd-ubnd/")
    old = result.page("van-ban/5-2021-qd-ubnd/")
    later = result.page("van-ban/3-2026-qd-sgtvt/")
    assert "validity-con-hieu-luc" in new and "validity-bi-thay-the" in old
    assert "validity-chua-co-hieu-luc" in later  # issued 01/06, effective 01/07, today 15/06
    assert "van-ban/5-2021-qd-ubnd/" in new and "van-ban/12-2024-qd-ubnd/" in old  # both ways
    assert "van-ban/files/qd.pdf" in new and "(PDF, 1 KB)" in new
    assert (result.output / "van-ban/files/qd.pdf").read_bytes().startswith(b"%PDF-")
    assert "Bến xe khách có quy định mới" in new  # related news, from the link in the post
    assert "<script>alert" not in new and "javascript:" not in new  # sanitised like posts
    assert "content/van-ban/2024/new.md: đã loại bỏ mã HTML" in result.log
    post = next(result.output.glob("20*/*/*/index.html")).read_text(encoding="utf-8")
    assert f'href="{doc_site_url(result)}/van-ban/12-2024-qd-ubnd/"' in post

    data = _jsonld(new)
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "12/2024/QĐ-UBND"
    assert data["legislationDate"] == "2024-03-15"
    assert data["legislationDateOfApplicability"] == "2024-04-01"
    assert data["legislationLegalForce"] == "InForce"
    assert data["legislationChanges"] == ["5/2021/QĐ-UBND"]
    assert data["encoding"][0]["encodingFormat"] == "application/pdf"
    assert '<meta name="DC.title" content="Quy định quản lý bến xe khách">' in new
    assert '<meta name="DC.identifier" content="12/2024/QĐ-UBND">' in new
    assert '<meta name="DC.creator" content="Ủy ban nhân dân tỉnh Lam Sơn">' in new

    index = json.loads((result.output / "api/van-ban.json").read_text(encoding="utf-8"))
    assert [d["n"] for d in index["documents"]] == [
        "3/2026/QĐ-SGTVT",
        "12/2024/QĐ-UBND",
        "5/2021/QĐ-UBND",
    ]
    assert index["documents"][1]["r"] == "" and index["documents"][2]["r"] == "2024-04-01"

    for path in ("van-ban/rss.xml", "van-ban/atom.xml", "van-ban/loai/quyet-dinh/rss.xml"):
        feed = feedparser.parse((result.output / path).read_bytes())
        assert not feed.bozo, (path, feed.bozo_exception)
        assert len(feed.entries) == 3
        assert feed.entries[0].link.endswith("/van-ban/3-2026-qd-sgtvt/")
        assert "3/2026/QĐ-SGTVT" in feed.entries[0].title

    sitemap = (result.output / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("van-ban/", "van-ban/12-2024-qd-ubnd/", "van-ban/loai/quyet-dinh/"):
        assert f"/{url}</loc>" in sitemap


def doc_site_url(result) -> str:
    return re.search(
        r'<link rel="canonical" href="(https?://[^/"]+)', result.page("van-ban/")
    ).group(1)


def test_a_draft_for_comment_shows_its_deadline(doc_site):
    doc_site.document(
        "du-thao",
        Title="Dự thảo quy định giá dịch vụ bến xe",
        Document_Number=None,
        Document_Type="Dự thảo",
        Consultation_Deadline="30/06/2026",
        Consultation_Email="vt@lamson.gov.vn",
    )
    doc_site.document(
        "du-thao-cu",
        Title="Dự thảo quy định cũ",
        Document_Number=None,
        Document_Type="Dự thảo",
        Consultation_Deadline="10/06/2026",
    )
    result = doc_site.build()
    assert result.returncode == 0, result.log
    open_page = result.page("van-ban/du-thao-quy-dinh-gia-dich-vu-ben-xe/")
    assert "Đang lấy ý kiến đến hết ngày 30/06/2026" in open_page
    assert "mailto:vt@lamson.gov.vn" in open_page
    closed = result.page("van-ban/du-thao-quy-dinh-cu/")
    assert "Đã hết hạn góp ý" in closed


def _errors(result) -> str:
    assert result.returncode != 0, result.log
    return result.log


def test_duplicate_numbers_name_both_files(doc_site):
    doc_site.document("a")
    doc_site.document("b", Document_Number="12/2024/qđ-ubnd")
    log = _errors(doc_site.build())
    assert "content/van-ban/a.md [Document_Number (số ký hiệu)]" in log
    assert "trùng với văn bản content/van-ban/b.md" in log
    assert "trùng với văn bản content/van-ban/a.md" in log
    assert "Traceback" not in log


def test_missing_big_impossible_and_misspelt_inputs_each_get_a_vietnamese_error(doc_site):
    doc_site.settings("DOCUMENTS_TODAY = '2026-06-15'\nDOCUMENTS_MAX_FILE_MB = 0.001\n")
    big = doc_site.content / "van-ban/files/big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 4000)
    doc_site.document("thieu-tep", Document_Number="1/QĐ-A", Document_File="khong-co.pdf")
    doc_site.document("tep-lon", Document_Number="2/QĐ-A", Document_File="big.pdf")
    doc_site.document("ngay-sai", Document_Number="3/QĐ-A", Document_Issued="30/02/2024")
    doc_site.document(
        "hieu-luc", Document_Number="4/QĐ-A", Document_Effective="01/01/2024"
    )  # before 15/03/2024
    doc_site.document("loai-sai", Document_Number="5/QĐ-A", Document_Type="Quyết đinh")
    doc_site.document("tu-thay", Document_Number="6/QĐ-A", Document_Replaces="6/QĐ-A")
    doc_site.document("vong-1", Document_Number="7/QĐ-A", Document_Replaces="8/QĐ-A")
    doc_site.document("vong-2", Document_Number="8/QĐ-A", Document_Replaces="7/QĐ-A")
    log = _errors(doc_site.build())
    expected = [
        ("thieu-tep.md:8 [Document_File", "không tìm thấy tệp content/van-ban/files/khong-co.pdf"),
        ("tep-lon.md:8 [Document_File", "quá giới hạn"),
        ("ngay-sai.md:6 [Document_Issued", "không phải ngày có thật"),
        ("hieu-luc.md:9 [Document_Effective", "trước ngày ban hành 15/03/2024"),
        ("loai-sai.md:3 [Document_Type", 'có phải là "Quyết định"'),
        ("tu-thay.md [Document_Replaces", "không thể thay thế chính nó"),
        ("vong-1.md [Document_Replaces", "thay thế nhau thành vòng: "),
        ("vong-2.md [Document_Replaces", " → 7/QĐ-A → "),
    ]
    for where, words in expected:
        line = next((x for x in log.splitlines() if where in x), "")
        following = log[log.find(line) :][:400]
        assert line and words in following, (where, words, log)
    assert "Traceback" not in log


def test_an_unknown_replaced_number_is_a_warning_and_a_bad_link_an_error(doc_site):
    doc_site.document("a", Document_Replaces="99/2020/QĐ-UBND")
    result = doc_site.build()
    assert result.returncode == 0, result.log
    assert 'không có văn bản số "99/2020/QĐ-UBND" trong sổ văn bản' in result.log
    doc_site.post("tin", body="Xem [văn bản]({van-ban}1/2000/QĐ-X).")
    log = _errors(doc_site.build())
    assert 'content/posts/tin.md [{van-ban}]: liên kết tới văn bản "1/2000/QĐ-X"' in log


def test_a_file_left_beside_the_documents_is_named(doc_site):
    doc_site.document("a")
    (doc_site.content / "van-ban" / "qd-goc.pdf").write_bytes(b"%PDF-1.4")
    result = doc_site.build()
    assert result.returncode == 0, result.log
    assert "content/van-ban/qd-goc.pdf: tệp này không phải văn bản (.md)" in result.log
    assert "chuyển tệp vào content/van-ban/files/" in result.log


def test_a_site_without_documents_needs_no_registry(tiny_site):
    tiny_site.post("a")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert not (result.output / "van-ban").exists()


def test_the_sample_site_has_a_dozen_documents_and_a_replacement_chain(sample_build):
    index = json.loads((sample_build.output / "api/van-ban.json").read_text(encoding="utf-8"))
    documents = index["documents"]
    assert len(documents) == SAMPLE_NUMBERS
    assert len({d["loai"] for d in documents}) >= 4
    assert any(d["draft"] for d in documents)
    chain = sample_build.page("van-ban/18-2023-qd-ubnd/")
    assert "van-ban/05-2021-qd-ubnd/" in chain and "van-ban/07-2025-qd-ubnd/" in chain
    for path in (sample_build.output / "van-ban/files").iterdir():
        data = path.read_bytes()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        assert len(data) < 4096
        xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
        assert data[xref : xref + 4] == b"xref"  # the offsets a PDF reader follows are right


def test_a_full_build_without_the_incremental_layer_writes_the_same_register(tmp_path):
    settings = tmp_path / "full.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        "INCREMENTAL_BUILD = False\nSEARCH_INDEX = False\nDOCUMENTS_TODAY = '2026-12-07'\n",
        encoding="utf-8",
    )
    result = run_pelican(ROOT / "content", tmp_path / "out", settings)
    assert result.returncode == 0, result.log
    page = result.page("van-ban/")
    assert page.count('<td class="doc-number">') == SAMPLE_NUMBERS
    assert "validity-chua-co-hieu-luc" in result.page("van-ban/22-2026-qd-ubnd/")


def test_a_replaced_attachment_is_published_and_an_unchanged_one_kept(doc_site):
    doc_site.document("a")
    doc_site.pdf("other.pdf", "Tep khac")
    doc_site.document("b", Document_Number="2/QĐ-X", Document_File="other.pdf")
    assert doc_site.build().returncode == 0
    doc_site.pdf("qd.pdf", "Ban moi, dai hon ban cu nhieu")
    result = doc_site.build()
    assert result.returncode == 0, result.log
    for name in ("qd.pdf", "other.pdf"):
        published = (result.output / "van-ban/files" / name).read_bytes()
        assert published == (doc_site.content / "van-ban/files" / name).read_bytes()
    assert "(PDF, 1 KB)" in result.page("van-ban/12-2024-qd-ubnd/")


def test_the_register_is_paginated_and_every_document_is_on_one_page(doc_site):
    doc_site.settings("DOCUMENTS_TODAY = '2026-06-15'\nDOCUMENTS_PER_PAGE = 2\n")
    numbers = [f"{n}/QĐ-X" for n in range(1, 6)]
    for n, number in enumerate(numbers, start=1):
        doc_site.document(f"d{n}", Document_Number=number, Document_Issued=f"{n}/01/2024")
    result = doc_site.build()
    assert result.returncode == 0, result.log
    pages = [
        result.output / "van-ban/index.html",
        *result.output.glob("van-ban/trang/*/index.html"),
    ]
    assert len(pages) > 1
    shown = [n for page in pages for n in _rows(page.read_text(encoding="utf-8"))]
    assert sorted(shown) == sorted(numbers)
    assert _rows(result.page("van-ban/"))[0] == "5/QĐ-X"  # the newest first
    sitemap = (result.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/van-ban/trang/1/</loc>" in sitemap
