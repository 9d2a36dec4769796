"""The register's pure core: reading one file, validity, replacements, the search records."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from plugins.documents import registries
from plugins.documents.core import (
    DRAFT,
    EXPIRED,
    IN_FORCE,
    NOT_YET,
    REPLACED,
    ReadContext,
    build_register,
    index_records,
    number_key,
    numbers_in,
    read_document,
    slug_of,
    split_front_matter,
)
from scripts.make_sample_pdfs import tiny_pdf
from tests.conftest import ROOT

from .conftest import REGISTRIES, dedent


@pytest.fixture
def ctx(tmp_path: Path) -> ReadContext:
    content = tmp_path / "content"
    (content / "van-ban" / "files").mkdir(parents=True)
    for name in REGISTRIES:
        shutil.copy(ROOT / "content" / name, content / name)
    (content / "van-ban" / "files" / "qd.pdf").write_bytes(tiny_pdf(["x"]))
    taxonomies = registries.taxonomies()
    files = {t.setting: name for t, name in zip(taxonomies.values(), REGISTRIES, strict=True)}
    settings = {"PATH": str(content), **files}
    problems = [problem for t in taxonomies.values() for problem in t.load(settings)]
    assert problems == []
    return ReadContext(str(content), "content", taxonomies, max_file_bytes=4000)


def write(ctx: ReadContext, name: str, text: str) -> str:
    path = Path(ctx.content_path) / "van-ban" / f"{name}.md"
    path.write_text(dedent(text), encoding="utf-8")
    return str(path)


GOOD = """
    Title: Quy định quản lý bến xe khách
    Document_Number: {number}
    Document_Type: Quyết định
    Document_Issuer: UBND tỉnh
    Document_Issued: {issued}
    Document_File: qd.pdf
    {extra}
    """


def doc(ctx, name, number="12/2024/QĐ-UBND", issued="15/03/2024", extra=""):
    text = dedent(GOOD.format(number=number, issued=issued, extra="")).rstrip() + "\n" + extra
    found, problems = read_document(write(ctx, name, text), ctx)
    assert [p for p in problems if not p.warning] == [], problems
    return found


def test_a_document_is_read_with_every_field(ctx):
    path = write(
        ctx,
        "a",
        """
        ---
        title: Quy định quản lý bến xe khách
        document_number: 12/2024/QĐ-UBND
        document_type: QĐ
        document_issuer: Ủy ban nhân dân tỉnh Lam Sơn
        document_signer: {name: Lê Văn Thành, position: Phó Chủ tịch}
        document_issued: 15/03/2024
        document_effective: ngày 1 tháng 4 năm 2024
        document_fields: [Vận tải, "Sát hạch, cấp giấy phép lái xe"]
        document_file: [qd.pdf]
        ---
        Nội dung **chính**.
        """,
    )
    ctx.markdown = lambda text, shown: f"<p>{text.strip()}</p>"
    found, problems = read_document(path, ctx)
    assert problems == []
    assert (found.number, found.slug, found.type.slug, found.issuer.slug) == (
        "12/2024/QĐ-UBND",
        "12-2024-qd-ubnd",
        "quyet-dinh",
        "ubnd-tinh",
    )
    assert found.effective == dt.date(2024, 4, 1)
    assert [f.slug for f in found.fields] == ["van-tai", "sat-hach-giay-phep-lai-xe"]
    assert (found.signer.name, found.signer.slug, found.signer_position) == (
        "Lê Văn Thành",
        "le-van-thanh",
        "Phó Chủ tịch",
    )
    assert found.files[0].label == "PDF" and found.files[0].size > 0
    assert found.body == "<p>Nội dung **chính**.</p>"


def test_key_value_and_yaml_headers_give_the_same_fields():
    kv, kv_lines, kv_body, error = split_front_matter("Title: A\nDocument_Fields: X; Y\n\nBody")
    assert error == "" and kv == {"title": "A", "document_fields": "X; Y"} and kv_body == "Body"
    assert kv_lines == {"title": 1, "document_fields": 2}
    yml, yml_lines, body, error = split_front_matter("---\ntitle: A\n---\nBody")
    assert error == "" and yml == {"title": "A"} and yml_lines == {"title": 2} and body == "Body"


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ("Document_Type: Quyết đinh", "Document_Type", 'có phải là "Quyết định"'),
        ("Document_Issuer: UBND tinh Lam Son", "Document_Issuer", "có phải là"),
        ("Document_Issued: 31/02/2024", "Document_Issued", "không phải ngày có thật"),
        ("Document_Effective: 01/01/2024", "Document_Effective", "trước ngày ban hành"),
        ("Document_File: khong-co.pdf", "Document_File", "không tìm thấy tệp"),
        ("Document_File: qd.exe", "Document_File", "định dạng không được nhận"),
        ("Document_Number: mười hai", "Document_Number", "không đúng dạng"),
        ("Document_Signed: A", "Document_Signed", "có phải ý bạn là 'Document_Signer'"),
    ],
)
def test_bad_fields_are_named_with_a_line_and_a_fix(ctx, extra, field, words):
    text = GOOD.format(number="12/2024/QĐ-UBND", issued="15/03/2024", extra="")
    key = extra.split(":")[0]
    lines = [line for line in dedent(text).splitlines() if not line.startswith(key + ":")]
    lines.insert(1, extra)
    path = write(ctx, "bad", "\n".join(lines) + "\n")
    found, problems = read_document(path, ctx)
    assert found is None
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.path == "content/van-ban/bad.md"
    assert problem.field.startswith(field) and problem.line == 2
    assert words in problem.message + " " + problem.hint


def test_a_file_over_the_limit_and_a_renamed_file_are_refused(ctx):
    files = Path(ctx.content_path) / "van-ban" / "files"
    (files / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    (files / "fake.pdf").write_bytes(b"PK\x03\x04 a zip, not a PDF")
    (files / "empty.docx").write_bytes(b"")
    for name, words in (
        ("big.pdf", "quá giới hạn"),
        ("fake.pdf", "nội dung không phải tệp PDF"),
        ("empty.docx", "rỗng"),
    ):
        path = write(ctx, "f", GOOD.format(number="1/QĐ-X", issued="1/1/2024", extra="") + "\n")
        text = Path(path).read_text(encoding="utf-8").replace("qd.pdf", name)
        Path(path).write_text(text, encoding="utf-8")
        found, problems = read_document(path, ctx)
        assert found is None and words in problems[0].message, problems
        assert f"content/van-ban/files/{name}" in problems[0].message


def test_validity_uses_both_dates_and_replacements(ctx):
    old = doc(ctx, "old", "5/2021/QĐ-UBND", "12/03/2021")
    new = doc(
        ctx,
        "new",
        "18/2023/QĐ-UBND",
        "20/06/2023",
        "Document_Effective: 01/07/2023\nDocument_Replaces: 05/2021/QĐ-UBND",
    )
    late = doc(ctx, "late", "1/2026/QĐ-UBND", "01/06/2026", "Document_Effective: 01/07/2026")
    gone = doc(ctx, "gone", "2/CT-UBND", "10/01/2024", "Document_Expires: 01/03/2024")

    def at(day):
        register, problems = build_register([old, new, late, gone], day)
        return {d.number: d.validity for d in register.documents}, problems

    states, problems = at(dt.date(2023, 6, 30))  # the replacement is issued, not yet in force
    assert problems == [] and states["5/2021/QĐ-UBND"] == IN_FORCE
    assert states["18/2023/QĐ-UBND"] == NOT_YET and states["2/CT-UBND"] == NOT_YET
    states, _ = at(dt.date(2023, 7, 1))
    assert states["5/2021/QĐ-UBND"] == REPLACED and states["18/2023/QĐ-UBND"] == IN_FORCE
    states, _ = at(dt.date(2024, 3, 1))  # the expiry date is the first day out of force
    assert states["2/CT-UBND"] == EXPIRED
    states, _ = at(dt.date(2026, 6, 15))  # issued but effective later: not yet, unlike NukeViet
    assert states["1/2026/QĐ-UBND"] == NOT_YET
    assert [d.number for d in new.replaces] == ["5/2021/QĐ-UBND"]
    assert [d.url for d in old.replaced_by] == [new.url]


def test_numbers_match_without_case_spaces_or_diacritics():
    assert number_key("12/2024/QĐ-UBND") == number_key("12/2024/qd-ubnd ") == "12/2024/qd-ubnd"
    assert number_key("05/2021/QĐ-UBND") == number_key("5/2021/QĐ-UBND")
    assert slug_of("12/2024/QĐ-UBND") == "12-2024-qd-ubnd"
    assert numbers_in("Theo Quyết định số 07/2025/QĐ-UBND và Công văn 1234/SGTVT-VT.") == {
        "7/2025/qd-ubnd",
        "1234/sgtvt-vt",
    }


def test_duplicates_cycles_self_and_unknown_replacements_are_reported(ctx):
    a = doc(ctx, "a", "1/QĐ-X", "01/01/2024", "Document_Replaces: 2/QĐ-X")
    b = doc(ctx, "b", "2/QĐ-X", "02/01/2024", "Document_Replaces: 3/QĐ-X")
    c = doc(ctx, "c", "3/QĐ-X", "03/01/2024", "Document_Replaces: 1/qđ-x")
    d = doc(ctx, "d", "4/QĐ-X", "04/01/2024", "Document_Replaces: 4/QĐ-X; 99/QĐ-X")
    twin = doc(ctx, "twin", "4/qd-x", "05/01/2024")
    register, problems = build_register([a, b, c, d, twin], dt.date(2024, 6, 1))
    messages = [(p.path, p.message, p.warning) for p in problems]
    cycles = [m for m in messages if "thành vòng" in m[1]]
    assert sorted(m[0] for m in cycles) == [
        "content/van-ban/a.md",
        "content/van-ban/b.md",
        "content/van-ban/c.md",
    ]
    assert ("content/van-ban/d.md", "văn bản không thể thay thế chính nó", False) in messages
    assert any(m[0].endswith("d.md") and "99/QĐ-X" in m[1] and m[2] for m in messages)
    duplicates = [m for m in messages if "trùng với văn bản" in m[1]]
    assert {m[0] for m in duplicates} == {"content/van-ban/d.md", "content/van-ban/twin.md"}
    assert all("content/van-ban/" in m[1] for m in duplicates)  # the other file is named
    assert len(register.documents) == 4


def test_a_long_replacement_chain_is_linear_and_not_recursive(ctx):
    base = doc(ctx, "base", "1/QĐ-X", "01/01/2020")
    docs = [base]
    for number in range(2, 3001):
        clone = type(base)(**{**base.__dict__})
        clone.number, clone.slug = f"{number}/QĐ-X", f"{number}-qd-x"
        clone.replaces_numbers = [f"{number - 1}/QĐ-X"]
        docs.append(clone)
    register, problems = build_register(docs, dt.date(2024, 1, 1))
    assert problems == []
    assert sum(d.validity == REPLACED for d in register.documents) == 2999


def test_a_draft_for_comment_needs_no_number_and_has_no_validity(ctx):
    text = GOOD.format(number="", issued="01/06/2026", extra="Consultation_Deadline: 30/06/2026")
    path = write(ctx, "draft", text.replace("Quyết định", "Dự thảo"))
    draft, problems = read_document(path, ctx)
    assert problems == []
    assert draft.slug == "quy-dinh-quan-ly-ben-xe-khach"
    assert draft.consultation_deadline.strftime("%d/%m/%Y %H:%M") == "30/06/2026 23:59"
    record = index_records([draft])[0]
    assert record["draft"] is True and record["n"] == "" and record["loai"] == "du-thao"
    register, _ = build_register([draft], dt.date(2026, 6, 2))
    assert register.documents[0].validity == DRAFT
    assert draft.comments_open(dt.datetime(2026, 6, 30, 22, tzinfo=draft.date.tzinfo))
    assert not draft.comments_open(dt.datetime(2026, 7, 1, 0, 1, tzinfo=draft.date.tzinfo))


def test_a_numbered_document_without_a_number_is_refused(ctx):
    found, problems = read_document(
        write(ctx, "n", GOOD.format(number="", issued="1/1/2024", extra="")), ctx
    )
    assert found is None and problems[0].field.startswith("Document_Number")


def test_one_signer_written_two_ways_is_a_warning(ctx):
    a = doc(ctx, "a", "1/QĐ-X", "01/01/2024", "Document_Signer: Nguyễn Hữu Bình, Giám đốc")
    b = doc(ctx, "b", "2/QĐ-X", "02/01/2024", "Document_Signer: Nguyễn Hũu Bình, Giám đốc")
    register, problems = build_register([a, b], dt.date(2024, 6, 1))
    assert [(p.path, p.warning) for p in problems] == [("content/van-ban/b.md", True)]
    assert 'viết khác "Nguyễn Hữu Bình" trong content/van-ban/a.md' in problems[0].message
    assert len(register.facets["nguoi-ky"]) == 1
