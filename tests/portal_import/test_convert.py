"""HTML to Markdown details: WordPress paragraphs, block-editor content, summaries."""

from __future__ import annotations

from portal_import.convert import autop, plain_text, to_markdown


def test_classic_editor_paragraphs_and_line_breaks():
    html = autop("Dòng một\nDòng hai\n\nĐoạn hai")
    assert html == "<p>Dòng một<br>\nDòng hai</p>\n<p>Đoạn hai</p>"


def test_block_editor_content_is_not_wrapped_twice():
    stored = (
        "<!-- wp:paragraph -->\n<p>Đoạn một</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:list -->\n<ul><li>Mục</li></ul>\n<!-- /wp:list -->"
    )
    assert to_markdown(autop(stored)) == "Đoạn một\n\n- Mục\n"


def test_summary_is_one_line_of_text():
    assert plain_text("<p>Tóm&nbsp;tắt <b>bài</b>\n viết</p>") == "Tóm tắt bài viết"
