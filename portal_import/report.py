"""The import report in Vietnamese (for the operator's screen) and as JSON (for tools)."""

from __future__ import annotations

import json
from pathlib import Path

from .importer import Report

SOURCE_NAMES = {"nukeviet": "NukeViet", "wordpress": "WordPress", "pages": "trang đã lưu"}
_LIMIT = 30


def text(report: Report) -> str:
    source = SOURCE_NAMES.get(report.source, report.source or "cổng cũ")
    mode = " (chạy thử, không ghi gì)" if report.dry_run else ""
    lines = [f"BÁO CÁO NHẬP DỮ LIỆU TỪ {source.upper()}{mode}", ""]
    if report.stopped:
        lines += [f"DỪNG: {report.stopped}", ""]
        for item in report.unmapped:
            kind = "chuyên mục" if item.kind == "category" else "đơn vị cho chuyên mục/tác giả"
            guess = f' — gợi ý: "{item.suggestion}"' if item.suggestion else " — không có gợi ý"
            lines.append(f'  - {kind} "{item.name}" ({item.count} bài){guess}')
        if report.suggestion:
            lines += ["", "Gợi ý nội dung cho tệp ánh xạ:", report.suggestion]
        return "\n".join(lines) + "\n"
    verb = "sẽ" if report.dry_run else "đã"
    lines += [
        f"Đọc được: {report.read} bài",
        f"Bài mới {verb} tạo: {len(report.created)}",
        f"Bài {verb} cập nhật: {len(report.updated)}",
        f"Bài không đổi: {len(report.unchanged)}",
        f"Bài đã sửa tay, giữ nguyên (dùng --force để ghi đè): {len(report.kept_edits)}",
        f"Bỏ qua: {len(report.skipped)}",
        f"Ảnh {verb} chép: {report.photos}; ảnh lỗi bỏ qua: {len(report.photo_problems)}; "
        f"ảnh chưa có mô tả (alt): {report.missing_alt}",
        f"Địa chỉ cũ được chuyển hướng: {report.redirects}",
        f"Lượt xem chuyển sang bộ đếm: {report.seeded_views} bài"
        + (
            f"; tổng lượt truy cập: {report.total_visits:,}".replace(",", ".")
            if report.total_visits is not None
            else "; chưa có tổng lượt truy cập (dùng --total)"
        ),
        f"Thời gian: {report.seconds:.1f} giây",
        "",
        "Theo chuyên mục:",
        *[f"  {name}: {count}" for name, count in report.by_category.most_common()],
        "Theo đơn vị:",
        *[f"  {name}: {count}" for name, count in report.by_unit.most_common()],
    ]
    sections = [
        ("Bài bỏ qua và lý do", report.skipped),
        ("Địa chỉ (slug) trùng với bài khác", report.collisions),
        ("Ảnh không dùng được (bỏ qua, bài vẫn được nhập)", report.photo_problems),
        ("Mã HTML không an toàn đã loại bỏ", report.sanitised),
        ("Liên kết tới tệp của cổng cũ (cần chép tệp và sửa liên kết)", report.old_links),
        ("Bài đã sửa tay sau lần nhập trước (không ghi đè)", [(p, "") for p in report.kept_edits]),
    ]
    for title, items in sections:
        if not items:
            continue
        lines += ["", f"{title} ({len(items)}):"]
        for item, reason in items[:_LIMIT]:
            lines.append(f"  - {item}" + (f": {reason}" if reason else ""))
        if len(items) > _LIMIT:
            lines.append(f"  … và {len(items) - _LIMIT} mục khác (xem báo cáo JSON)")
    if report.notes:
        lines += ["", "Ghi chú:", *[f"  - {note}" for note in report.notes]]
    return "\n".join(lines) + "\n"


def save(report: Report, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"{report.source or 'import'}-report"
    json_path, text_path = base.with_suffix(".json"), base.with_suffix(".txt")
    json_path.write_text(
        json.dumps(report.as_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    text_path.write_text(text(report), encoding="utf-8")
    return json_path, text_path
