"""The folded twins that make search diacritic-insensitive (pure code, no build)."""

from plugins.search.folding import fold, folded_record, plain_text


def test_fold_removes_every_vietnamese_mark_and_d_stroke():
    assert fold("Cải cách hành chính") == "cai cach hanh chinh"
    assert fold("ĐƯỜNG tỉnh  512") == "duong tinh 512"
    assert fold("Quốc lộ 1, Bến Mới, Khe Mây, dưỡng, ỹ") == "quoc lo 1, ben moi, khe may, duong, y"


def test_plain_text_keeps_words_and_alt_text_drops_tags_and_scripts():
    html = (
        '<p>Đường <b>tỉnh</b></p><img alt="Cầu Bến Mới"><script>var x = "mã";</script><li>một</li>'
    )
    assert plain_text(html) == "Đường tỉnh Cầu Bến Mới một"


def test_folded_record_indexes_folded_words_but_shows_the_accented_title():
    record = folded_record(
        url="/2023/09/a/#khong-dau",
        title="Họp giao ban tháng 9",
        summary_html="<p>Rà soát nhiệm vụ.</p>",
        content_html="<p>Đường tỉnh 512</p>",
        meta={"date": "12/09/2023 13:43"},
        filters={"unit": ["van-phong"]},
    )
    assert record.content == "hop giao ban thang 9 ra soat nhiem vu. duong tinh 512"
    assert record.meta == {
        "title": "Họp giao ban tháng 9",
        "summary": "Rà soát nhiệm vụ.",
        "folded": "1",
        "date": "12/09/2023 13:43",
    }
    assert record.filters == {"unit": ["van-phong"]}
