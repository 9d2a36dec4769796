"""Load editor-maintained YAML files with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .text import nfc


class YamlFileError(ValueError):
    """A YAML file could not be read; ``line`` is 1-based when known."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line


def yaml_error_details(exc: yaml.YAMLError) -> tuple[str, int | None]:
    """A short description of a YAML syntax error and its 1-based line."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    return problem, line


def read_text(path: str | Path) -> str:
    """The NFC text of an editor's file, or :class:`YamlFileError` saying what is wrong."""
    try:
        return nfc(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise YamlFileError(str(path), "không tìm thấy tệp") from None
    except UnicodeDecodeError:
        raise YamlFileError(
            str(path), "tệp không phải UTF-8; hãy lưu lại với bảng mã UTF-8"
        ) from None
    except OSError as exc:
        raise YamlFileError(str(path), f"không đọc được tệp ({exc.strerror})") from None


def load_yaml(path: str | Path, text: str | None = None) -> Any:
    """Parse a YAML document (NFC-normalised) or raise :class:`YamlFileError`."""
    path = str(path)
    if text is None:
        text = read_text(path)
    try:
        return yaml.safe_load(nfc(text))
    except yaml.YAMLError as exc:
        problem, line = yaml_error_details(exc)
        raise YamlFileError(path, f"lỗi cú pháp YAML: {problem}", line) from None


def line_of_key(text: str, key: str, start: int = 0) -> int | None:
    """1-based line of the first ``key:`` entry at or after line ``start`` (0-based)."""
    wanted = key.casefold()
    for number, line in enumerate(text.splitlines()[start:], start=start + 1):
        stripped = line.strip().lstrip("-").strip()
        name, sep, _ = stripped.partition(":")
        if sep and name.strip().casefold() == wanted:
            return number
    return None
