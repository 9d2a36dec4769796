"""A new post, scaffolded the way the build expects it.

Editors otherwise copy an old post and forget to change the date or the slug; this
writes a valid header (today's date in Asia/Ho_Chi_Minh, a unit and a category that
resolve in the registries, an ASCII slug) in the right folder, and never overwrites.
Messages are for editors, so they are in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from plugins.front_matter import yaml_header
from plugins.portal_core.registry import Registry, RegistryEntry
from plugins.portal_core.text import nfc

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_SLUG_LENGTH = 80
_SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FOLD_D = str.maketrans({"đ": "d", "Đ": "D"})


class ScaffoldError(ValueError):
    """Something the editor must fix before a post can be created (message in Vietnamese)."""


def now_local(tz: dt.tzinfo = TIMEZONE) -> dt.datetime:
    """The current time in the portal's time zone, to the minute (editors write minutes)."""
    return dt.datetime.now(tz).replace(second=0, microsecond=0)


def slug_for(title: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """ASCII slug from a Vietnamese title with Pelican's slugify (Đ → d), safe for URLs.

    Separators inside words (``12/TB-SGTVT``, ``TP.HCM``, ``_``) become hyphens rather
    than vanishing (Pelican would write ``12tb``); the front-matter rules allow only
    ``a-z0-9-``. Long titles are cut at a word boundary so URLs stay readable.
    """
    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    spaced = re.sub(r"[/\\_.,:;]+", " ", nfc(title).translate(_FOLD_D))
    slug = slugify(spaced, regex_subs=subs)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1].rsplit("-", 1)[0]
        slug = (cut or slug[:max_length]).strip("-")
    if not _SAFE_SLUG.match(slug):
        raise ScaffoldError(
            f'không tạo được địa chỉ (slug) từ tiêu đề "{title}"; '
            "tiêu đề cần có ít nhất một chữ cái hoặc chữ số"
        )
    return slug


def check_slug(slug: str) -> str:
    """An editor's own ``--slug``: the same rule as the front-matter's Slug field."""
    slug = slug.strip()
    if not _SAFE_SLUG.match(slug):
        raise ScaffoldError(
            f'slug "{slug}" không dùng được: chỉ gồm chữ thường không dấu, chữ số và dấu '
            "gạch ngang, ví dụ hop-giao-ban-thang-9"
        )
    return slug


def post_path(content_dir: Path, date: dt.datetime, slug: str) -> Path:
    """``content/posts/<year>/<yyyy-mm-dd>-<slug>.md``: sorted by date in any file browser."""
    return content_dir / "posts" / f"{date:%Y}" / f"{date:%Y-%m-%d}-{slug}.md"


def numbered(entries: list[tuple[RegistryEntry, int]]) -> list[str]:
    """Menu lines ``  3. Văn phòng Sở (van-phong)``, indented by depth in the unit tree."""
    width = len(str(len(entries)))
    return [
        f"{index:>{width}}. {'   ' * depth}{entry.name} ({entry.slug})"
        for index, (entry, depth) in enumerate(entries, start=1)
    ]


def choose(
    registry: Registry, answer: str, order: list[RegistryEntry] | None = None
) -> RegistryEntry:
    """The entry an editor meant: a number from the menu, a slug, a name or an alias.

    An unknown answer is an error that names the closest known entry, as the build does.
    """
    order = order if order is not None else list(registry)
    text = " ".join(str(answer).split())
    if not text:
        raise ScaffoldError(f"chưa chọn {registry.label}")
    if text.isdigit():
        index = int(text)
        if 1 <= index <= len(order):
            return order[index - 1]
        raise ScaffoldError(f"không có {registry.label} số {index}; hãy chọn từ 1 đến {len(order)}")
    found = registry.resolve(text)
    if found:
        return found
    suggestion = registry.suggest(text)
    hint = f'; có phải là "{suggestion}"?' if suggestion else ""
    raise ScaffoldError(f'không có {registry.label} "{text}" trong danh sách{hint}')


def ask_choice(
    registry: Registry,
    prompt: str,
    order: list[tuple[RegistryEntry, int]],
    input_fn: Callable[[str], str] = input,
    print_fn: Callable[[str], None] = print,
    attempts: int = 3,
) -> RegistryEntry:
    """Show the numbered menu and ask until the answer resolves (or attempts run out)."""
    for line in numbered(order):
        print_fn(line)
    entries = [entry for entry, _depth in order]
    last_error: ScaffoldError | None = None
    for _ in range(attempts):
        try:
            return choose(registry, input_fn(prompt), entries)
        except ScaffoldError as exc:
            last_error = exc
            print_fn(f"  {exc}")
    assert last_error is not None
    raise last_error


@dataclass(frozen=True)
class NewPost:
    title: str
    unit: RegistryEntry
    category: RegistryEntry
    date: dt.datetime
    slug: str
    author: str = ""
    summary: str = ""
    draft: bool = False


def render(post: NewPost) -> str:
    """The file text: YAML front-matter (the form Decap CMS opens), then a body to replace.

    The date is written ``2026-09-10 08:30``: the build reads it day-first-proof, and
    Decap files the post under the right year (it would read ``10/09/2026`` as 9 October).
    """
    header: dict[str, str] = {
        "title": nfc(post.title.strip()),
        "date": f"{post.date:%Y-%m-%d %H:%M}",
        "unit": post.unit.name,
        "category": post.category.name,
        "slug": post.slug,
    }
    if post.summary.strip():
        header["summary"] = nfc(post.summary.strip())
    if post.author.strip():
        header["author"] = nfc(post.author.strip())
    if post.draft:
        header["status"] = "draft"
    body = "Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống."
    return yaml_header.render(header, body + "\n")


def create(content_dir: Path, post: NewPost) -> Path:
    """Write the new post; an existing file is never overwritten (exclusive create)."""
    path = post_path(content_dir, post.date, post.slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(render(post))
    except FileExistsError:
        raise ScaffoldError(
            f"tệp {path} đã có; không ghi đè. Hãy mở tệp đó để sửa, "
            "hoặc đặt tiêu đề khác (hoặc --slug khác)"
        ) from None
    return path
