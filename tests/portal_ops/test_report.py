"""Summaries: Pelican's log counted, output changes found, the box aligned."""

from __future__ import annotations

import re

from portal_ops import report

LOG = """\
[15:59:06] WARNING  content/posts/a.md: đã loại bỏ mã HTML không an toàn hoặc không   __init__.py:28
                    được phép: <script>.
           WARNING  content/posts/b.md: ảnh thiếu mô tả                         x.py:1
[15:59:07] ERROR    Could not process x.md                                      y.py:2
Done: Processed 45 articles, 1 draft, 0 hidden articles, 2 pages, 0 hidden pages
and 0 draft pages in 1.18 seconds.
"""


def test_counts_from_pelican_log():
    stats = report.parse_pelican_log(LOG)
    assert (stats.articles, stats.drafts, stats.pages) == (45, 1, 2)
    assert (stats.warnings, stats.errors) == (2, 1)


def test_a_log_without_the_done_line_still_counts():
    stats = report.parse_pelican_log("[1:2:3] CRITICAL boom\n")
    assert stats.articles is None and stats.errors == 1


def test_diff_of_two_builds(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("1")
    (site / "a/index.html").write_text("same")
    (site / "old.css").write_text("x")
    before = report.snapshot(site)
    (site / "index.html").write_text("2")
    (site / "old.css").unlink()
    (site / "new.html").write_text("n")
    changes = report.diff(before, report.snapshot(site))
    assert changes.added == ["new.html"]
    assert changes.changed == ["index.html"]
    assert changes.removed == ["old.css"]
    assert (changes.total, changes.html_pages) == (3, 3)
    assert report.snapshot(tmp_path / "missing") == {}


def test_stamps_tell_a_file_written_again_from_one_left_alone(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text("same")
    (site / "index.html").write_text("1")
    before = report.stamps(site)
    (site / "index.html.new").write_text("1")
    (site / "index.html.new").replace(site / "index.html")  # written again, same bytes
    changes = report.diff(before, report.stamps(site))
    assert changes.changed == ["index.html"] and changes.added == changes.removed == []
    assert report.stamps(tmp_path / "missing") == {}


def test_box_is_aligned_with_vietnamese_text():
    text = report.box("Dựng xong", [("Bài viết", "45"), ("Thời gian", "1,2 giây")])
    lines = text.splitlines()
    assert len({report._width(line) for line in lines}) == 1, text
    assert lines[1].startswith("│ ✔ Dựng xong")
    assert "│ Bài viết   45" in text


def test_decomposed_vietnamese_does_not_break_alignment():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Cảnh báo")
    lines = report.box("x", [(nfd, "0"), ("Lỗi", "0")]).splitlines()
    assert len({report._width(line) for line in lines}) == 1


def test_seconds_in_vietnamese():
    assert report.seconds(3.24) == "3,2 giây"
    assert report.seconds(65) == "1 phút 05 giây"


def test_build_summary_rows():
    stats = report.parse_pelican_log(LOG)
    changes = report.OutputDiff(["a"], ["b", "c"], [], 10, 7)
    text = report.build_summary("Dựng", stats, changes, 2.0, True, "output")
    assert "45 (bản nháp: 1)" in text
    assert re.search(r"Số trang HTML +7 ", text)
    assert "10 (mới 1, ghi lại 2, xóa 0)" in text
    assert re.search(r"Cảnh báo +2 ", text)
    failed = report.build_summary("Dựng", stats, None, 2.0, False, "output")
    assert "✘" in failed and "xem danh sách ở trên" in failed
