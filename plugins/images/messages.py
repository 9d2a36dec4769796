"""What an editor reads when an image cannot be used: the problem and how to fix it."""

from __future__ import annotations

from .pipeline import Failure, Options

FORMAT_HINT = (
    "lưu ảnh dưới dạng JPEG (ảnh chụp) hoặc PNG (ảnh chụp màn hình, sơ đồ), "
    "chép vào content/images rồi sửa đường dẫn trong bài"
)


def failure_message(failure: Failure, shown: str, options: Options) -> tuple[str, str]:
    """``(message, hint)`` in Vietnamese for one failed image named ``shown``."""
    code, detail = failure.code, failure.detail
    if code == "missing":
        return (
            f'không tìm thấy ảnh "{shown}" trong thư mục content',
            "kiểm tra tên tệp (có phân biệt chữ hoa, chữ thường) và thư mục; ví dụ đúng: "
            "![Mô tả ảnh]({static}/images/2024/ten-anh.jpg)",
        )
    if code == "too_big":
        size_mb = int(detail) / 1024 / 1024 if detail.isdigit() else 0
        limit_mb = options.max_bytes / 1024 / 1024
        return (
            f'ảnh "{shown}" nặng {size_mb:.1f} MB, vượt giới hạn {limit_mb:.0f} MB',
            "thu nhỏ ảnh (ví dụ xuất lại rộng 4000 điểm ảnh, chất lượng 85%) rồi chép đè tệp",
        )
    if code == "bomb":
        limit = options.max_pixels / 1_000_000
        size = f"{detail} điểm ảnh, " if "×" in detail else ""
        return (
            f'ảnh "{shown}" quá lớn để xử lý an toàn ({size}giới hạn {limit:g} triệu điểm ảnh)',
            "thu nhỏ ảnh xuống dưới giới hạn rồi chép đè tệp; nếu ảnh vốn nhỏ thì tệp "
            "có thể đã bị làm giả, hãy xóa và lấy lại ảnh từ nguồn tin cậy",
        )
    if code == "corrupt":
        return (
            f'tệp ảnh "{shown}" bị hỏng hoặc không phải là ảnh',
            "mở ảnh trên máy để kiểm tra, lưu lại dưới dạng JPEG hoặc PNG rồi chép đè tệp",
        )
    if code == "unsupported":
        return (f'ảnh "{shown}" có định dạng {detail} không được hỗ trợ', FORMAT_HINT)
    if code == "animated":
        return (
            f'ảnh "{shown}" là ảnh động, cổng không đăng ảnh động',
            "dùng một ảnh tĩnh JPEG hoặc PNG; đoạn phim thì đăng lên kênh video của Sở",
        )
    return (
        f'không xử lý được ảnh "{shown}" ({detail})',
        "thử lưu lại ảnh dưới dạng JPEG rồi chép đè tệp; nếu vẫn lỗi, báo quản trị kỹ thuật",
    )


def alt_message(shown: str, front_matter: bool) -> tuple[str, str]:
    """``(message, hint)`` for an image without a text alternative."""
    if front_matter:
        return (
            f'ảnh đại diện "{shown}" chưa có mô tả (Image_Alt) cho người khiếm thị',
            "thêm dòng Image_Alt: mô tả ngắn nội dung ảnh, ví dụ: "
            "Image_Alt: Lãnh đạo Sở phát biểu tại hội nghị giao ban",
        )
    return (
        f'ảnh "{shown}" chưa có mô tả (alt) cho người khiếm thị',
        "viết mô tả trong ngoặc vuông: ![Lãnh đạo Sở phát biểu tại hội nghị](đường-dẫn-ảnh "
        '"Chú thích hiện dưới ảnh")',
    )
