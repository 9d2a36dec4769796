"""Write the small PDF files of the sample documents (content/van-ban/files/).

Each is a valid one-page PDF 1.4 (cross-reference table with exact offsets, the
standard Helvetica font, so no font is embedded) of a few hundred bytes. Text in the
PDF is written without diacritics: Helvetica's standard encoding has no Vietnamese.

    .venv/bin/python scripts/make_sample_pdfs.py   # rewrites the files; output is stable
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugins.search.folding import fold  # noqa: E402

FILES = {
    "qd-05-2021-qd-ubnd.pdf": "Quyết định 05/2021/QĐ-UBND: quản lý bến xe khách",
    "qd-18-2023-qd-ubnd.pdf": "Quyết định 18/2023/QĐ-UBND: quản lý bến xe khách (thay thế 05/2021)",
    "qd-07-2025-qd-ubnd.pdf": "Quyết định 07/2025/QĐ-UBND: quản lý bến xe khách (thay thế 18/2023)",
    "ct-02-ct-ubnd-2024.pdf": "Chỉ thị 02/CT-UBND: bảo đảm trật tự an toàn giao thông dịp Tết",
    "kh-145-kh-sgtvt-2024.pdf": "Kế hoạch 145/KH-SGTVT: cải cách hành chính năm 2025",
    "cv-1234-sgtvt-vt-2025.pdf": "Công văn 1234/SGTVT-VT: tăng cường kiểm tra xe hợp đồng",
    "tb-88-tb-sgtvt-2025.pdf": "Thông báo 88/TB-SGTVT: phân luồng giao thông cầu Đồng Mỏ",
    "qd-356-qd-sgtvt-2024.pdf": "Quyết định 356/QĐ-SGTVT: quy chế văn hóa công sở",
    "luat-36-2024-qh15.pdf": "Luật Trật tự, an toàn giao thông đường bộ 36/2024/QH15 (bản mẫu)",
    "nd-100-2019-nd-cp.pdf": "Nghị định 100/2019/NĐ-CP: xử phạt vi phạm hành chính giao thông",
    "hd-56-hd-sgtvt-2024.pdf": "Hướng dẫn 56/HD-SGTVT: kiểm soát chất lượng bê tông nhựa",
    "kh-15-kh-sgtvt-2026.pdf": "Kế hoạch 15/KH-SGTVT: kiểm tra tải trọng xe năm 2026",
    "qd-22-2026-qd-ubnd.pdf": "Quyết định 22/2026/QĐ-UBND: tải trọng cầu trên đường tỉnh",
    "du-thao-qd-phi-ben-xe-2026.pdf": "Dự thảo Quyết định: giá dịch vụ xe ra vào bến xe khách",
    "du-thao-qd-phi-ben-xe-2026-to-trinh.pdf": "Tờ trình kèm dự thảo giá dịch vụ bến xe",
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing ``lines`` in 12 pt Helvetica."""
    text = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        text.append(f"({_escape(line)}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def main() -> None:
    folder = ROOT / "content" / "van-ban" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    for name, title in FILES.items():
        lines = [
            "SO GIAO THONG VAN TAI TINH LAM SON",
            "Tai lieu mau cua cong thong tin (khong phai van ban that)",
            "",
            fold(title).upper()[:80],
            "",
            "Noi dung van ban mau dung de thu so van ban cua cong thong tin.",
        ]
        (folder / name).write_bytes(tiny_pdf(lines))
    print(f"{len(FILES)} tệp PDF trong {folder.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
