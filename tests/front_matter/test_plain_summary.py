"""A plain one-line summary skips Markdown and comes out as Markdown would make it."""

import random

import pytest
from markdown import Markdown

from plugins.front_matter.reader import plain_paragraph


@pytest.fixture(scope="module")
def md():
    return Markdown(
        extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists"],
        output_format="html5",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tóm tắt bài thử.",
        "Sở GTVT họp giao ban tháng 9/2023: 12 đơn vị (95%) hoàn thành; còn lại — chậm…",
        'Trả lời câu hỏi "khi nào thông xe?" của bạn đọc',
        "Ê-đê 'đặc biệt' - tuyến 1, 2, 3!",
    ],
)
def test_plain_text_is_what_markdown_makes(md, text):
    assert plain_paragraph(text) == md.reset().convert(text)


@pytest.mark.parametrize(
    "text",
    [
        "1. Một danh sách",
        "- gạch đầu dòng",
        "# Tiêu đề",
        "> trích dẫn",
        "*nhấn mạnh*",
        "a_b_c",
        "Xem [trang](http://x)",
        "A & B",
        "a < b",
        "dòng một\ndòng hai",
        "hai  khoảng trắng",
        "`mã`",
        "Term\n: định nghĩa",
        "a | b",
        "2023 là năm",
        "",
    ],
)
def test_anything_else_goes_through_markdown(text):
    assert plain_paragraph(text) is None


def test_random_plain_texts(md):
    rng = random.Random(11)
    alphabet = [*"aăđêứAĐÊ0123456789 .,;:!?()'\"%/–—…-", "\u0301", "http", "www"]
    checked = 0
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        fast = plain_paragraph(text)
        if fast is not None:
            checked += 1
            assert fast == md.reset().convert(text), text
    assert checked > 500
