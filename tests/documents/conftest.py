"""Fixtures for the documents register: a tiny site with the registries and a real PDF."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from scripts.make_sample_pdfs import tiny_pdf
from tests.conftest import ROOT, TinySite

REGISTRIES = ("document-types.yml", "document-issuers.yml", "document-fields.yml")


class DocumentSite(TinySite):
    """A tiny site with the real document registries; documents written by the test."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        for name in REGISTRIES:
            shutil.copy(ROOT / "content" / name, self.content / name)
        self.pdf("qd.pdf")
        self.settings("DOCUMENTS_TODAY = '2026-06-15'\nSEARCH_INDEX = False\n")

    def pdf(self, name: str, text: str = "Van ban thu") -> Path:
        path = self.content / "van-ban" / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(tiny_pdf([text]))
        return path

    def document(self, name: str, **fields: str | None) -> Path:
        """A valid document in Key: value form; keyword arguments add, override or drop."""
        header = {
            "Title": "Quy định quản lý bến xe khách",
            "Document_Number": "12/2024/QĐ-UBND",
            "Document_Type": "Quyết định",
            "Document_Issuer": "UBND tỉnh",
            "Document_Signer": "Lê Văn Thành, Phó Chủ tịch",
            "Document_Issued": "15/03/2024",
            "Document_Fields": "Vận tải",
            "Document_File": "qd.pdf",
        }
        return self.entry(f"van-ban/{name}.md", header, "", **fields)


@pytest.fixture
def doc_site(tmp_path: Path) -> DocumentSite:
    return DocumentSite(tmp_path)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
