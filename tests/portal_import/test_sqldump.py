"""The dump reader on NukeViet's format: no column lists, addslashes, one INSERT per table."""

from __future__ import annotations

import gzip

import pytest

from portal_import.sqldump import Dump, DumpError, read_text
from tests.portal_import.fixtures import addslashes

CREATE = """CREATE TABLE `nv4_vi_news_rows` (
  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT '',
  `hometext` text NOT NULL,
  `price` decimal(10,2) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `title` (`title`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;
"""


def test_columns_come_from_create_table_and_strings_are_unescaped():
    title = "Thông báo \"khẩn\" của Sở; giá 'mới' C:\\tmp"
    text = (
        '-- NUKEVIET dump\nSET SQL_MODE="NO_AUTO_VALUE_ON_ZERO";\n'
        "/*!40101 SET NAMES utf8mb4 */;\n"
        + CREATE
        + "INSERT INTO `nv4_vi_news_rows` VALUES\n"
        + f"(1, '{addslashes(title)}', 'dòng 1\ndòng 2', 12.50),\n"
        "(2, 'Bài (2), có dấu phẩy', '', NULL);\n"
    )
    dump = Dump(text)
    assert dump.columns["nv4_vi_news_rows"] == ["id", "title", "hometext", "price"]
    first, second = dump.rows["nv4_vi_news_rows"]
    assert first == {"id": 1, "title": title, "hometext": "dòng 1\ndòng 2", "price": 12.5}
    assert second["title"] == "Bài (2), có dấu phẩy" and second["price"] is None


def test_unwanted_tables_are_skipped_without_reading_them():
    text = CREATE + "INSERT INTO `nv4_vi_news_rows` VALUES (1, 'a', 'b', 1);\n"
    text += CREATE.replace("_rows", "_1")
    text += "INSERT INTO `nv4_vi_news_1` VALUES (1, 'a' 'broken');\n"
    dump = Dump(text, wanted=lambda name: name.endswith("_rows"))
    assert len(dump.rows["nv4_vi_news_rows"]) == 1
    assert "nv4_vi_news_1" not in dump.rows


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("(1, 'a', 'b')", "3 giá trị nhưng bảng có 4 cột"),
        ("(1, 'a', 'b', 2) (2, 'c', 'd', 3)", "thiếu dấu ',' hoặc ';'"),
        ("(1, 'unterminated, 'b', 2);", "thiếu dấu ',' hoặc ')'"),
        ("(1, abc, 'b', 2);", "giá trị không đọc được"),
        ("(1, 'a', 'b', 2),\n(2, 'c', 'd' 3);", "thiếu dấu ',' hoặc ')'"),
    ],
)
def test_a_malformed_insert_names_its_line(values, message):
    text = CREATE + "\nINSERT INTO `nv4_vi_news_rows` VALUES\n" + values + "\n"
    with pytest.raises(DumpError) as caught:
        Dump(text)
    assert message in caught.value.message
    insert_line = text.splitlines().index("INSERT INTO `nv4_vi_news_rows` VALUES") + 1
    assert insert_line < caught.value.line <= insert_line + 2


def test_insert_without_create_table_is_refused():
    with pytest.raises(DumpError) as caught:
        Dump("\n\nINSERT INTO `nv4_vi_news_rows` VALUES (1, 'a');\n")
    assert caught.value.line == 3
    assert "CREATE TABLE" in caught.value.message


def test_gzip_and_broken_gzip(tmp_path):
    good = tmp_path / "a.sql.gz"
    good.write_bytes(gzip.compress(CREATE.encode()))
    assert "CREATE TABLE" in read_text(good)
    broken = tmp_path / "b.sql.gz"
    broken.write_bytes(gzip.compress(CREATE.encode())[:30])
    with pytest.raises(DumpError, match="bị hỏng"):
        read_text(broken)
    latin = tmp_path / "c.sql"
    latin.write_bytes(b"-- ok\n-- ok\nINSERT 'Th\xf4ng b\xe1o';")
    with pytest.raises(DumpError) as caught:
        read_text(latin)
    assert caught.value.line == 3
