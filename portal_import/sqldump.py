"""Read the tables of a MySQL dump as NukeViet's admin "Cơ sở dữ liệu" writes it.

NukeViet's dumper (``includes/core/dump.php``) writes, per table, a ``CREATE TABLE`` and one
multi-row ``INSERT INTO `t` VALUES (...),(...);`` **without a column list**, strings escaped
with PHP's ``addslashes``. Columns are therefore named from the ``CREATE TABLE``. Inserts
with a column list (mysqldump's ``--complete-insert``) are read too. Anything else (SET,
DROP, LOCK, comments) is skipped. A malformed statement raises :class:`DumpError` naming
the line, never a traceback.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterable
from pathlib import Path


class DumpError(ValueError):
    """A dump that cannot be read; ``line`` is 1-based."""

    def __init__(self, message: str, line: int | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


_SPACE = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|/\*.*?\*/;?)*", re.S)
_CREATE = re.compile(
    r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(?P<name>[\w$]+)`?\s*\(", re.I | re.A
)
_INSERT = re.compile(
    r"(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO\s+`?(?P<name>[\w$]+)`?\s*"
    r"(?:\((?P<cols>[^)]*)\)\s*)?VALUES\s*",
    re.I | re.A,
)
# One value: a quoted string (backslash escapes or doubled quotes), NULL, a number, hex.
_VALUE = re.compile(
    r"\s*(?:'(?P<s>(?:[^'\\]|\\.|'')*)'|(?P<null>NULL)|(?P<num>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<hex>0x[0-9A-Fa-f]*))\s*",
    re.S,
)
_STRING_OR_END = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|;", re.S)
_COLUMN_LINE = re.compile(r"\s*`?(?P<name>[\w$]+)`?\s+(?P<type>[A-Za-z]+)", re.A)
_NOT_COLUMN = {"primary", "unique", "key", "index", "fulltext", "constraint", "foreign", "check"}
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "b": "\b"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)

Row = dict[str, object]


def _unescape(text: str) -> str:
    if "\\" in text:
        text = _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)
    if "''" in text:
        text = text.replace("''", "'")
    return text


def read_text(path: str | Path) -> str:
    """The dump's text (``.sql`` or ``.sql.gz``), or :class:`DumpError`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DumpError(f"không tìm thấy tệp {path}") from None
    except OSError as exc:
        raise DumpError(f"không đọc được tệp {path} ({exc.strerror})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise DumpError(
                f"tệp nén {path.name} bị hỏng hoặc tải về chưa hết ({exc})",
                hint="tải lại bản sao lưu từ trang quản trị NukeViet",
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DumpError(
            "tệp không phải UTF-8",
            line,
            "xuất lại cơ sở dữ liệu với bảng mã utf8mb4 (mặc định của NukeViet 4)",
        ) from None


class Dump:
    """The tables of one dump: column names and rows, read on demand by table name."""

    def __init__(self, text: str, wanted: Callable[[str], bool] | None = None) -> None:
        self.text = text
        self.columns: dict[str, list[str]] = {}
        self.rows: dict[str, list[Row]] = {}
        self._parse(wanted or (lambda name: True))

    def line_at(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def tables(self) -> Iterable[str]:
        return self.columns.keys()

    def _parse(self, wanted: Callable[[str], bool]) -> None:
        text = self.text
        pos, end = 0, len(text)
        while True:
            pos = _SPACE.match(text, pos).end()
            if pos >= end:
                return
            create = _CREATE.match(text, pos)
            if create:
                pos = self._create(create)
                continue
            insert = _INSERT.match(text, pos)
            if insert:
                pos = self._insert(insert, wanted(insert.group("name")))
                continue
            pos = self._skip_statement(pos)

    def _skip_statement(self, pos: int) -> int:
        for match in _STRING_OR_END.finditer(self.text, pos):
            if match.group() == ";":
                return match.end()
        return len(self.text)

    def _create(self, match: re.Match) -> int:
        name, text = match.group("name"), self.text
        depth, pos, start = 1, match.end(), match.end()
        while depth:
            found = re.compile(r"[()'`\"]").search(text, pos)
            if not found:
                raise DumpError(
                    f"câu lệnh CREATE TABLE `{name}` không có dấu ')' kết thúc",
                    self.line_at(match.start()),
                    "tệp sao lưu bị cắt ngang; tải lại bản đầy đủ",
                )
            char = found.group()
            if char in "'`\"":
                close = text.find(char, found.end())
                pos = close + 1 if close >= 0 else len(text)
                continue
            depth += 1 if char == "(" else -1
            pos = found.end()
        columns = []
        for part in _split_definitions(text[start : pos - 1]):
            column = _COLUMN_LINE.match(part)
            if column and column.group("name").lower() not in _NOT_COLUMN:
                columns.append(column.group("name"))
        self.columns[name] = columns
        return self._skip_statement(pos)

    def _insert(self, match: re.Match, keep: bool) -> int:
        name, text = match.group("name"), self.text
        if match.group("cols"):
            columns = [c.strip().strip("`") for c in match.group("cols").split(",")]
        elif name in self.columns:
            columns = self.columns[name]
        elif keep:
            raise DumpError(
                f"bảng `{name}` có dữ liệu (INSERT) nhưng thiếu câu lệnh CREATE TABLE để biết "
                "tên các cột",
                self.line_at(match.start()),
                'xuất lại bảng với tùy chọn "Cấu trúc và dữ liệu" trong trang quản trị NukeViet',
            )
        else:
            columns = []
        if not keep:
            return self._skip_statement(match.end())
        rows = self.rows.setdefault(name, [])
        pos, width = match.end(), len(columns)
        value_match = _VALUE.match
        while True:
            if text.startswith("(", pos):
                pos += 1
            else:
                raise self._bad(name, pos, "thiếu dấu '(' mở đầu một dòng dữ liệu")
            values: list[object] = []
            while True:
                found = value_match(text, pos)
                if not found:
                    raise self._bad(name, pos, "giá trị không đọc được")
                if found.group("s") is not None:
                    values.append(_unescape(found.group("s")))
                elif found.group("num") is not None:
                    number = found.group("num")
                    is_int = "." not in number and "e" not in number.lower()
                    values.append(int(number) if is_int else float(number))
                elif found.group("hex") is not None:
                    values.append(bytes.fromhex(found.group("hex")[2:] or ""))
                else:
                    values.append(None)
                pos = found.end()
                char = text[pos : pos + 1]
                if char == ",":
                    pos += 1
                    continue
                if char == ")":
                    pos += 1
                    break
                raise self._bad(name, pos, "thiếu dấu ',' hoặc ')' sau một giá trị")
            if keep:
                if len(values) != width:
                    raise self._bad(
                        name,
                        pos - 1,
                        f"một dòng có {len(values)} giá trị nhưng bảng có {width} cột",
                    )
                rows.append(dict(zip(columns, values, strict=True)))
            pos = _SPACE.match(text, pos).end()
            char = text[pos : pos + 1]
            if char == ",":
                pos = _SPACE.match(text, pos + 1).end()
                continue
            if char == ";" or not char:
                return pos + 1
            raise self._bad(name, pos, "thiếu dấu ',' hoặc ';' sau một dòng dữ liệu")

    def _bad(self, name: str, pos: int, what: str) -> DumpError:
        excerpt = self.text[pos : pos + 40].split("\n", 1)[0]
        return DumpError(
            f"bảng `{name}`: {what} (gần: {excerpt!r})",
            self.line_at(pos),
            "tệp sao lưu bị hỏng hoặc bị sửa tay; tải lại bản sao lưu từ trang quản trị",
        )


def _split_definitions(body: str) -> list[str]:
    """The comma-separated definitions of a CREATE TABLE body (commas in parens kept)."""
    parts, depth, current, quote = [], 0, [], ""
    for char in body:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
            continue
        if char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
