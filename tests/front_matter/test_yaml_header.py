"""YAML front-matter: what ``invoke new`` writes and what the conversion produces."""

from __future__ import annotations

import pytest
import yaml

from plugins.front_matter.yaml_header import ConversionError, convert, split_key_value


def _header(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_key_value_header_becomes_yaml_with_iso_dates_and_a_tag_list():
    text = (
        "Title: Thông báo: lịch nghỉ Tết\n"
        "Date: 07/12/2025 08:00\n"
        "Modified: 25/12/2025\n"
        "Unit: Văn phòng Sở\n"
        "Tags: Tết, lịch nghỉ\n"
        "Summary: Dòng một\n"
        "    dòng hai\n"
        "\n"
        "Nội dung: có dấu hai chấm.\n"
    )
    new = convert(text)
    assert new.startswith("---\n")
    header = _header(new)
    assert header == {
        "title": "Thông báo: lịch nghỉ Tết",
        "date": "2025-12-07 08:00",  # 7 December, never 12 July
        "modified": "2025-12-25 00:00",  # 25 December, never "no date"
        "unit": "Văn phòng Sở",
        "tags": ["Tết", "lịch nghỉ"],
        "summary": "Dòng một\ndòng hai",
    }
    assert new.endswith("---\n\nNội dung: có dấu hai chấm.\n")


def test_values_yaml_would_change_stay_strings():
    new = convert("Title: yes\nDate: 01/02/2024\nSlug: 2024\n\nBody\n")
    header = _header(new)
    assert header["title"] == "yes" and header["slug"] == "2024"


def test_yaml_header_keeps_its_text_and_only_day_first_dates_change():
    text = (
        '---\n# comment kept\ntitle: "Bài"\ndate: "25/12/2025 05:00"\n'
        "document_issued: 07/12/2025\n---\n\nThân\n"
    )
    new = convert(text)
    assert "# comment kept" in new and 'title: "Bài"' in new
    assert 'date: "2025-12-25 05:00"' in new
    assert "document_issued: 07/12/2025" in new  # kept as typed: the build keeps its text
    assert convert(new) is None  # already converted: nothing to do


def test_a_header_with_a_broken_line_is_refused_not_guessed():
    with pytest.raises(ConversionError, match="dòng 2"):
        convert("Title: Bài\nđây không phải trường\n\nThân\n")


def test_an_unreadable_date_is_refused():
    with pytest.raises(ConversionError, match="date"):
        convert("Title: Bài\nDate: 32/13/2025\n\nThân\n")


def test_no_header_at_all():
    assert split_key_value("\nChỉ có thân bài\n") is None
    with pytest.raises(ConversionError):
        convert("\nChỉ có thân bài\n")
