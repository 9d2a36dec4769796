"""Real builds of tiny sites: every field rule, good and bad input."""

import unicodedata

import pytest


def test_key_value_and_yaml_headers_give_the_same_article(tiny_site):
    tiny_site.post("kv", title="Họp giao ban tháng 9", Tags="giao ban, kế hoạch")
    tiny_site.write(
        "posts/yaml.md",
        """
        ---
        title: Kiểm tra tải trọng xe
        date: "13/09/2023 08:00"
        unit: thanh-tra
        category: An toàn giao thông
        tags: [giao ban, tải trọng]
        summary: Tóm tắt.
        ---
        Nội dung.
        """,
    )
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    kv = result.page("2023/09/hop-giao-ban-thang-9/")
    yml = result.page("2023/09/kiem-tra-tai-trong-xe/")
    assert "12/09/2023 13:43" in kv and "13/09/2023 08:00" in yml
    assert "Thanh tra Sở" in yml and "An toàn giao thông" in yml
    assert (result.output / "the/giao-ban/index.html").exists()
    assert (result.output / "the/tai-trong/index.html").exists()


def test_day_first_date_decides_the_dated_url(tiny_site):
    tiny_site.post("a", title="Thông báo lịch nghỉ", Date="05/03/2024 08:15")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "05/03/2024 08:15" in result.page("2024/03/thong-bao-lich-nghi/")


def test_same_title_in_different_years_gets_two_urls(tiny_site):
    tiny_site.post("a", title="Họp giao ban tháng 9", Date="12/09/2023")
    tiny_site.post("b", title="Họp giao ban tháng 9", Date="10/09/2024")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert (result.output / "2023/09/hop-giao-ban-thang-9/index.html").exists()
    assert (result.output / "2024/09/hop-giao-ban-thang-9/index.html").exists()


def test_slugs_are_ascii_with_d_for_dj(tiny_site):
    tiny_site.post("a", title="Đường tỉnh 512: Đảm bảo giao thông", Date="12/09/2023")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert (result.output / "2023/09/duong-tinh-512-dam-bao-giao-thong/index.html").exists()


def test_decomposed_text_is_written_as_nfc(tiny_site):
    title = unicodedata.normalize("NFD", "Điều chỉnh phương án tổ chức giao thông")
    tiny_site.post("nfd", title=title, body=unicodedata.normalize("NFD", "Người dân lưu ý."))
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    html = result.page("2023/09/dieu-chinh-phuong-an-to-chuc-giao-thong/")
    assert unicodedata.is_normalized("NFC", html)
    assert "Điều chỉnh phương án tổ chức giao thông" in html


def test_units_resolve_by_slug_short_name_alias_and_case(tiny_site):
    for index, unit in enumerate(["van-phong", "VP Sở", "văn phòng sở", "Văn phòng"]):
        tiny_site.post(f"p{index}", title=f"Bài {index}", Unit=unit)
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    unit_page = result.page("don-vi/van-phong/")
    assert all(f"Bài {i}" in unit_page for i in range(4))


def test_draft_is_previewed_but_never_published(tiny_site):
    tiny_site.post("d", title="Bản nháp thông báo", Status="draft")
    preview = tiny_site.build()
    assert preview.returncode == 0, preview.log
    assert (preview.output / "ban-nhap/ban-nhap-thong-bao/index.html").exists()
    assert "Bản nháp thông báo" not in preview.page("index.html")
    # A one-post site lacks the sections a portal must have; the gate has its own tests.
    tiny_site.settings("COMPLIANCE_FAIL_ON_ERROR = False\n", base="publishconf")
    published = tiny_site.build()
    assert published.returncode == 0, published.log
    assert not list(published.output.rglob("*ban-nhap-thong-bao*"))
    assert "Bản nháp thông báo" not in published.page("index.html")


BROKEN_POSTS = {
    # file: (content, words expected in the report, line expected)
    "bad-date.md": (
        "Title: Ngày sai\nDate: 31/02/2023\nUnit: Văn phòng Sở\nCategory: Thông báo\n\nx\n",
        "tháng 2/2023 không có ngày 31",
        2,
    ),
    "unknown-unit.md": (
        "Title: Đơn vị sai\nDate: 12/09/2023\nUnit: Phòng Thanh tra\nCategory: Thông báo\n\nx\n",
        'không có đơn vị "Phòng Thanh tra"',
        3,
    ),
    "misspelt-unit.md": (
        "Title: Đơn vị gõ sai\nDate: 12/09/2023\nUnit: Văn phong Sở\nCategory: Thông báo\n\nx\n",
        'có phải là "Văn phòng Sở"?',
        3,
    ),
    "unknown-category.md": (
        "Title: Chuyên mục sai\nDate: 12/09/2023\nUnit: Văn phòng Sở\nCategory: Tin tuc\n\nx\n",
        'không có chuyên mục "Tin tuc"',
        4,
    ),
    "missing-title.md": (
        "Date: 12/09/2023\nUnit: Văn phòng Sở\nCategory: Thông báo\n\nx\n",
        "thiếu trường bắt buộc Title",
        None,
    ),
    "unsafe-slug.md": (
        "Title: Slug\nDate: 12/09/2023\nUnit: Văn phòng Sở\nCategory: Thông báo\n"
        "Slug: ../../etc/passwd\n\nx\n",
        'Slug "../../etc/passwd" không dùng được',
        5,
    ),
    "misspelt-field.md": (
        "Title: Trường sai\nDate: 12/09/2023\nUnit: Văn phòng Sở\nCategory: Thông báo\n"
        "Sumary: Tóm tắt\n\nx\n",
        "có phải ý bạn là 'Summary'?",
        5,
    ),
    "bad-status.md": (
        "Title: Trạng thái\nDate: 12/09/2023\nUnit: Văn phòng Sở\nCategory: Thông báo\n"
        "Status: nháp\n\nx\n",
        'Status "nháp" không hợp lệ',
        5,
    ),
    "missing-image.md": (
        "Title: Ảnh\nDate: 12/09/2023\nUnit: Văn phòng Sở\nCategory: Thông báo\n"
        "Image: images/khong-co.jpg\n\nx\n",
        'không tìm thấy ảnh "images/khong-co.jpg"',
        5,
    ),
    "header-line-without-colon.md": (
        "Title: Thiếu dấu hai chấm\nDate: 12/09/2023\nUnit Văn phòng Sở\n"
        "Category: Thông báo\n\nx\n",
        'dòng "Unit Văn phòng Sở" trong phần đầu bài không có dạng',
        3,
    ),
    "modified-before-date.md": (
        "Title: Sửa trước khi đăng\nDate: 12/09/2023\nModified: 11/09/2023\nUnit: Văn phòng Sở\n"
        "Category: Thông báo\n\nx\n",
        "ngày cập nhật (Modified) sớm hơn ngày đăng (Date)",
        3,
    ),
    "bad-yaml.md": (
        '---\ntitle: Thông báo: lịch nghỉ\ndate: "12/09/2023"\n---\nx\n',
        "phần đầu YAML có lỗi cú pháp",
        2,
    ),
}


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    from tests.conftest import TinySite

    site = TinySite(tmp_path_factory.mktemp("broken"))
    site.post("good", title="Bài đúng")
    for name, (text, _, _) in BROKEN_POSTS.items():
        site.write(f"posts/{name}", text)
    (site.content / "posts/latin1.md").write_bytes(
        b"Title: M\xe3 c\xf9\nDate: 12/09/2023\n\nx\n"  # Latin-1, not UTF-8
    )
    return site.build()


def test_every_problem_in_every_file_is_reported_in_one_run(broken_build):
    assert broken_build.returncode == 1
    log = broken_build.log
    for name, (_, words, line) in BROKEN_POSTS.items():
        location = f"content/posts/{name}" + (f":{line}" if line else "")
        assert location in log, f"{location} missing from:\n{log}"
        assert words in log, f"{words!r} missing from:\n{log}"
    assert "content/posts/latin1.md" in log and "UTF-8" in log
    assert "Traceback" not in log
    assert "Bản dựng dừng lại" in log


def test_a_failed_build_writes_nothing(broken_build):
    assert not broken_build.output.exists()
    leftovers = [p.name for p in broken_build.output.parent.iterdir() if "building" in p.name]
    assert leftovers == []


def test_a_post_saved_with_another_extension_is_pointed_out(tiny_site):
    tiny_site.post("a")
    tiny_site.write("posts/2024/tin-moi.txt", "Title: Tin mới\n\nx\n")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "content/posts/2024/tin-moi.txt" in result.log and ".md" in result.log
