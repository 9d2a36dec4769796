"""Pure helpers: legacy encodings, security marks, working days, selectors, waivers, settings."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from plugins.compliance.engine import parse_waivers
from plugins.compliance.holidays import parse_holidays
from plugins.compliance.selectors import SelectorError, compile_selector, parse_selector
from plugins.compliance.settings import DEFAULTS, validate
from plugins.compliance.text import (
    TCVN3,
    VNI,
    detect_legacy_encoding,
    legacy_fonts,
    security_marks,
    security_marks_in_filename,
    working_days_between,
)

CLEAN = (
    "Sở Giao thông vận tải tỉnh Lam Sơn tổ chức hội nghị triển khai kế hoạch bảo đảm trật tự "
    "an toàn giao thông dịp Tết Nguyên đán; đường tỉnh 512 · cầu Bến Mới © 2026; µm."
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Së Giao th«ng vËn t¶i tØnh Lam S¬n", TCVN3),  # Sở Giao thông vận tải tỉnh Lam Sơn
        ("Thµnh phè Hå ChÝ Minh vµ tØnh Lam S¬n", TCVN3),
        ("Sôû Giao thoâng vaän taûi tænh Lam Sôn", VNI),
        ("Thaønh phoá Hoà Chí Minh ñöôøng", VNI),
        ('<span style="font-family:.VnTime">Tr\u00eang</span>', TCVN3),
        ('<span style="font-family:VNI-Times">Chu</span>', VNI),
    ],
)
def test_legacy_encodings_are_detected_and_named(text, encoding):
    found = detect_legacy_encoding(text)
    assert found is not None and found.encoding == encoding
    assert found.sample


def test_clean_vietnamese_with_symbols_is_not_legacy():
    assert detect_legacy_encoding(CLEAN) is None


def test_legacy_font_names_in_css():
    assert legacy_fonts("h1{font-family:'.VnTimeH'} p{font-family:'VNI-Helve'}") == [
        ".VnTimeH",
        "VNI-Helve",
    ]
    assert legacy_fonts("body{font-family:Arial}") == []


@pytest.mark.parametrize(
    "text",
    ["TỐI MẬT", "Tài liệu TUYỆT MẬT", "Độ mật: Mật", "đóng dấu MẬT trên văn bản", "MẬT"],
)
def test_security_marks_are_found(text):
    assert security_marks(text)


@pytest.mark.parametrize(
    "text",
    ["giữ bí mật đến khi triển khai", "MẬT ĐỘ GIAO THÔNG", "GIỮ BÍ MẬT NHÀ NƯỚC", "mật khẩu"],
)
def test_ordinary_words_are_not_security_marks(text):
    assert security_marks(text) == []


def test_security_marks_in_file_names():
    assert security_marks_in_filename("files/qd-123-toi-mat.pdf")
    assert not security_marks_in_filename("files/sua-chua-mat-duong.pdf")


def test_working_days_skip_weekends_and_holidays():
    holidays = parse_holidays(["2026-09-01..2026-09-02"])
    friday, monday = dt.date(2026, 11, 13), dt.date(2026, 11, 16)
    assert working_days_between(friday, monday) == 1
    assert working_days_between(friday, friday) == 0
    assert working_days_between(monday, friday) == -1
    assert working_days_between(dt.date(2026, 8, 31), dt.date(2026, 9, 3), holidays) == 1
    # a long span: whole weeks then the rest, holidays counted once
    assert working_days_between(dt.date(2026, 1, 2), dt.date(2026, 12, 31), holidays) == sum(
        1
        for n in range(1, 364)
        if (d := dt.date(2026, 1, 2) + dt.timedelta(days=n)).weekday() < 5 and d not in holidays
    )


def test_holiday_ranges_and_bad_dates():
    assert len(parse_holidays(["2026-02-16..2026-02-20"])) == 5
    with pytest.raises(ValueError):
        parse_holidays(["20/02/2026"])


def test_selectors_subset():
    tree = etree.fromstring(
        '<html><body><header><nav class="x main-nav"><a href="/">1</a></nav></header>'
        '<div class="article-tools"><button class="print">In</button></div>'
        '<form role="search"></form></body></html>',
        etree.HTMLParser(),
    )
    assert len(compile_selector("nav.main-nav")(tree)) == 1
    assert len(compile_selector(".article-tools .print")(tree)) == 1
    assert len(compile_selector("body > .print")(tree)) == 0
    assert len(compile_selector("form[role=search], header")(tree)) == 2
    with pytest.raises(SelectorError):
        parse_selector("a:hover")
    # valid CSS, but outside what the string-search matcher can answer: refused at start-up
    for selector in ("a + b", "a ~ b", "li:first-child", "[lang|=vi]", "p::before", "a,"):
        with pytest.raises(SelectorError):
            parse_selector(selector)


def test_post_waivers_need_a_rule_and_a_reason():
    waivers, problems = parse_waivers(
        "D43-5.3: bài tổng hợp của nhiều phòng; D43-10.1.đ: kế hoạch nội bộ, chưa phê duyệt"
    )
    assert waivers == {
        "D43-5.3": "bài tổng hợp của nhiều phòng",
        "D43-10.1.dd": "kế hoạch nội bộ, chưa phê duyệt",
    }
    assert problems == []
    assert parse_waivers("D43-5.3:")[1]
    assert parse_waivers("X99-1: lý do đầy đủ")[1]
    assert parse_waivers("không có mã")[1]


def test_settings_validation_names_every_bad_setting():
    good = {**DEFAULTS}
    assert validate(good) == []
    bad = {
        **DEFAULTS,
        "COMPLIANCE_PACK": "43/2012",
        "COMPLIANCE_AGENCY_LEVEL": "xa",
        "COMPLIANCE_WAIVERS": {"D43-5.3": "", "NOPE-1": "lý do dài"},
        "COMPLIANCE_SELECTORS": {"print": "a:hover"},
        "COMPLIANCE_NEWS_MAX_AGE": 0,
        "COMPLIANCE_CACHE_PATH": 5,
    }
    errors = " ".join(validate(bad))
    assert validate({**DEFAULTS, "COMPLIANCE_CACHE_PATH": None}) == []  # None: no cache
    for word in (
        "COMPLIANCE_CACHE_PATH",
        "COMPLIANCE_PACK",
        "COMPLIANCE_AGENCY_LEVEL",
        "NOPE-1",
        "reason",
        "print",
        "MAX_AGE",
    ):
        assert word in errors


# -- cutting elements out of a page's source (cheaper than parsing it) ----------------------

CUT_CASES = [
    # (body of the article, tools block)
    ("<p>Nội dung.</p>", '<div class="article-tools"><button class="print">In</button></div>'),
    (
        '<div class="x"><div>lồng <div>nhau</div></div></div><h2>Mục</h2>',
        '<div class="article-tools"><div><a class="save">Lưu</a></div>'
        '<button class="print">In</button></div>',
    ),
    ("<p>Không có nút.</p>", '<div class="article-tools"><span>In</span></div>'),
    ("<p>Ghi chú <!-- <div> --> trong chú thích.</p>", ""),
    ('<p>Lớp gần giống <span class="article-body-x">x</span></p>', '<p class="print">In</p>'),
    ("<blockquote><p>Trích.</p></blockquote><h3>Nhảy cấp</h3>", '<div class="article-tools">'),
]


@pytest.mark.parametrize(("body", "tools"), CUT_CASES)
def test_cut_out_elements_answer_like_the_parsed_page(body, tools):
    from plugins.compliance.output import text_of

    from .builders import html, view

    page = view(html(body=body, tools=tools))
    parsed = view(html(body=body, tools=tools))
    for name in ("print", "save", "rating", "article_body"):
        assert page.has(name) == bool(parsed.select(name, parsed.main_root)), name
    cut = page.content_root
    whole = parsed.select("article_body", parsed.main_root)
    whole = whole[0] if whole else parsed.main_root
    assert (cut.tag, text_of(cut)) == (whole.tag, text_of(whole))


@pytest.mark.parametrize(
    "selector",
    [
        ".article-tools > .print",
        "div .print",
        "button.print",
        "[data-action=print]",
        ".nope .print",
    ],
)
@pytest.mark.parametrize(("body", "tools"), CUT_CASES)
def test_any_theme_selector_answers_like_the_parsed_page(selector, body, tools):
    from plugins.compliance.output import PageView
    from plugins.compliance.settings import DEFAULT_SELECTORS

    from .builders import SITEURL, html, post

    selectors = {**DEFAULT_SELECTORS, "print": selector}
    doc = post()
    page, parsed = (
        PageView(doc.save_as, html(body=body, tools=tools), "article", doc, selectors, SITEURL)
        for _ in range(2)
    )
    assert page.has("print") == bool(parsed.select("print", parsed.main_root))


# -- one search instead of one per string: the same answers --------------------------------

FRAGMENTS = [
    "<p>x</p>",
    "<script",
    '<script src="https://cdn.example/a.js">',
    '<script src="x<script y">',
    "</script>",
    "<form",
    '<form role="search">',
    "<formx>",
    "<form\nmethod=post>",
    "<FORM>",
    "<Form action=x>",
    "<fOrM>",
    "<iframe src=//x>",
    "<ifram",
    ">",
    "<",
    " ",
    "<a href=x>",
    "<audio/>",
    "<blockquote>",
    "<BlockQuote\t",
    "<font color=red>",
    "<table>",
    "<TABLE>",
    "<tables>",
    "<video>",
    "<br>",
    "\u212a",  # the Kelvin sign: equal to "k" when case is ignored
    "\u0130",  # "İ": equal to "i" when case is ignored
]


def _random_pages(count: int) -> list[str]:
    import random

    rng = random.Random(43)
    return [
        "".join(rng.choice(FRAGMENTS) for _ in range(rng.randrange(0, 14))) for _ in range(count)
    ]


def _searches_per_string(text: str) -> tuple[list[str], list[str], set[str]]:
    """What the notes and the script rule did before the single pass: one search each."""
    from plugins.compliance.checks_html import _FORM_RE

    scripts = []
    pos = text.find("<script")
    while pos != -1:
        end = text.find(">", pos)
        scripts.append(text[pos : end + 1])
        pos = text.find("<script", end if end != -1 else pos + 7)
    forms = []
    pos = text.find("<form")
    while pos != -1:
        match = _FORM_RE.match(text, pos)
        if match:
            forms.append(match.group())
        pos = text.find("<form", pos + 5)
    names = {name for name in ("script", "form", "FORM", "Form", "iframe") if "<" + name in text}
    return scripts, forms, names


def test_one_pass_over_the_markup_finds_what_a_search_per_string_finds():
    from plugins.compliance.checks_html import _markup_in

    for text in [*FRAGMENTS, *_random_pages(3000)]:
        found = _markup_in(text)
        assert (found.scripts, found.forms, found.names) == _searches_per_string(text), text


def test_one_pass_over_the_article_body_finds_each_tag_like_its_own_search():
    from plugins.compliance.checks_html import _CONTENT_TAGS, _content_has, _has_tag

    class Body:  # what _content_has reads of a page
        def __init__(self, text: str) -> None:
            self.content_text = text

    for text in [*FRAGMENTS, *_random_pages(3000)]:
        for tag in _CONTENT_TAGS:
            assert _content_has(Body(text), tag) == _has_tag(text, tag), (text, tag)


def test_a_selector_step_keeps_its_hash_when_copied_or_sent_to_another_process():
    import copy
    import pickle

    step = parse_selector("form[role=search].box").groups[0][0]
    for other in (copy.deepcopy(step), pickle.loads(pickle.dumps(step))):
        assert other == step and hash(other) == hash(step)
        assert {step: 1}[other] == 1
