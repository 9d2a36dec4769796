"""Old addresses to new ones (``content/redirects.yml``): checks, pages and the nginx map.

Pure functions, no Pelican. The file is a list of ``from`` (a path on the old site, with an
optional query) and ``to`` (a path on this site or a full URL)::

    redirects:
      - from: /vi/news/tin-tuc/hop-giao-ban-123.html
        to: /2019/05/hop-giao-ban/
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import yaml

from plugins.portal_core.yamlfile import YamlFileError, read_text, yaml_error_details

_SAFE_TARGET = re.compile(r"^(?:/[^\s\"'<>\\$]*|https?://[^\s\"'<>\\$]+)$")


@dataclass(frozen=True)
class Redirect:
    source: str  # decoded path, or path?query
    target: str

    @property
    def has_query(self) -> bool:
        return "?" in self.source


@dataclass(frozen=True)
class RedirectProblem:
    message: str
    line: int | None = None
    hint: str = ""


def normalise_source(value: str) -> str | None:
    """``/a/b.html`` (decoded, as nginx's $uri) or ``/a?x=1`` (raw, as $request_uri)."""
    raw = str(value).strip()
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        raw = raw[raw.index(parts.netloc) + len(parts.netloc) :] if parts.netloc else raw
        parts = urlsplit(raw)
    path = unquote(parts.path)
    if not path.startswith("/") or (path == "/" and not parts.query) or ".." in path.split("/"):
        return None
    if any(c in raw for c in "\n\r\t\"'\\ ") or any(c in path for c in '\n\r\t"\\'):
        return None
    return raw.split("#", 1)[0] if parts.query else path


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # an old portal has ~10^5 addresses
_FROM_LINE = re.compile(r"^\s*-?\s*from\s*:", re.M)


def load(path: str) -> tuple[list[Redirect], list[RedirectProblem]]:
    try:
        text = read_text(path)
    except YamlFileError as exc:
        if exc.message == "không tìm thấy tệp":
            return [], []
        return [], [RedirectProblem(exc.message, exc.line)]
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        problem, line = yaml_error_details(exc)
        return [], [RedirectProblem(f"lỗi cú pháp YAML: {problem}", line)]
    items = data.get("redirects") if isinstance(data, dict) else None
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [RedirectProblem("'redirects:' phải là một danh sách các mục from/to")]
    found: dict[str, Redirect] = {}
    problems: list[RedirectProblem] = []
    lines = [n for n, row in enumerate(text.splitlines(), start=1) if _FROM_LINE.match(row)]
    for index, item in enumerate(items, start=1):
        line = lines[index - 1] if len(lines) == len(items) else None
        if not isinstance(item, dict):
            problems.append(RedirectProblem(f"mục thứ {index} không có dạng from/to", line))
            continue
        source = normalise_source(str(item.get("from") or ""))
        target = str(item.get("to") or "").strip()
        if source is None:
            problems.append(
                RedirectProblem(
                    f'địa chỉ cũ "{item.get("from")}" không dùng được',
                    line,
                    "viết đường dẫn bắt đầu bằng '/', ví dụ: /vi/news/tin-tuc/bai-123.html",
                )
            )
            continue
        if not _SAFE_TARGET.match(target):
            problems.append(
                RedirectProblem(
                    f'địa chỉ mới "{target}" không dùng được',
                    line,
                    "viết đường dẫn trên cổng này (/2024/05/bai-viet/) hoặc địa chỉ https://…",
                )
            )
            continue
        if source == target:  # the same address on both portals: nothing to redirect
            continue
        found[source] = Redirect(source, target)
    return list(found.values()), problems


def dump(redirects: dict[str, str]) -> str:
    """The file text, sorted by old address, so re-runs give small diffs."""
    lines = [
        "# Old addresses of the previous portal and where they now lead (301).",
        "# Written by `invoke import-*`; add lines by hand if needed. The build turns them",
        "# into redirect pages and an nginx map (see docs/import.md).",
        "redirects:",
    ]
    for source in sorted(redirects):
        lines.append(f"  - from: {_quote(source)}")
        lines.append(f"    to: {_quote(redirects[source])}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_file(source: str) -> str | None:
    """Where the static redirect page for ``source`` goes in the output; None with a query."""
    if "?" in source:
        return None
    path = source.lstrip("/")
    if not path or source.endswith("/"):
        return f"{path}index.html"
    if re.search(r"\.(?:html?|php|aspx?|jsp|cfm)$", path, re.I):
        return path
    return f"{path}/index.html"


def page(target_url: str, title: str = "Trang đã chuyển địa chỉ") -> str:
    """A redirect page for hosts without nginx: meta refresh, canonical, a plain link."""
    url = html.escape(target_url, quote=True)
    return (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{url}">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        "</head>\n<body>\n"
        f'<p>Trang này đã chuyển sang địa chỉ mới: <a href="{url}">{url}</a></p>\n'
        "</body>\n</html>\n"
    )


def nginx_maps(redirects: list[Redirect], site_url: str = "") -> tuple[str, str]:
    """Lines for ``map $uri`` and for ``map $request_uri`` (old addresses with a query)."""
    by_path, by_request = [], []
    for item in sorted(redirects, key=lambda r: r.source):
        target = item.target
        line = f"{_nginx_quote(item.source)} {_nginx_quote(target)};"
        (by_request if item.has_query else by_path).append(line)
    return "\n".join(by_path) + "\n", "\n".join(by_request) + "\n"


def _nginx_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
