"""What settings a built site was made with, and whether it may be deployed (no Pelican imports).

A preview build (pelicanconf.py) publishes drafts, posts dated in the future and links to
``http://127.0.0.1:8000``; nothing in its files says so to a deploy that only sees a folder.
The build therefore leaves a stamp of the settings that decide what is public, and
``invoke deploy`` refuses an output whose stamp is missing or says "preview".
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from plugins.portal_core.files import write_atomic

STAMP_NAME = ".portal-build.json"  # a dot-file: nginx never serves it
STAMP_VERSION = 1


def _first_segment(url: str) -> str:
    return url.strip("/").split("/", 1)[0] if url else ""


def stamp_for(settings: Mapping) -> dict:
    """The facts of ``settings`` that decide what a build makes public (no time: stable bytes)."""
    drafts = bool(settings.get("DRAFT_SAVE_AS")) or bool(settings.get("DRAFT_PAGE_SAVE_AS"))
    scheduling = settings.get("SCHEDULING_PUBLISH_MODE")
    if scheduling is None:  # plugins/scheduling's own rule: no drafts means production
        scheduling = not drafts
    draft_dirs = {
        _first_segment(settings.get(name) or "") for name in ("DRAFT_URL", "DRAFT_PAGE_URL")
    }
    return {
        "version": STAMP_VERSION,
        "siteurl": str(settings.get("SITEURL") or ""),
        "relative_urls": bool(settings.get("RELATIVE_URLS")),
        "drafts_published": drafts,
        "future_posts_held_back": bool(scheduling),
        "draft_dirs": sorted(d for d in draft_dirs if d),
    }


def write_stamp(output: str | os.PathLike, stamp: dict) -> bool:
    """Write the stamp into ``output`` unless it already holds these bytes; True if written."""
    target = Path(output) / STAMP_NAME
    data = (json.dumps(stamp, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    try:
        if target.read_bytes() == data:
            return False  # same bytes, same time: a release links it, browsers keep it
    except OSError:
        pass
    write_atomic(target, data)
    return True


def _local_host(siteurl: str) -> bool:
    host = (urlsplit(siteurl).hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def deploy_problems(output: str | os.PathLike) -> list[str]:
    """Why ``output`` must not go live, in Vietnamese / English; [] for a production build."""
    output = Path(output)
    path = output / STAMP_NAME
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(stamp, dict):
            raise ValueError("not an object")
    except FileNotFoundError:
        return [
            f"không có {STAMP_NAME}: thư mục này không do một lần dựng của cổng tạo ra "
            f"(hoặc do phiên bản cũ) / no {STAMP_NAME}: not built by this portal's build"
        ]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [f"{path}: không đọc được / unreadable ({exc})"]
    problems = []
    if stamp.get("drafts_published", True):
        problems.append(
            "bản nháp (Status: draft) được xuất bản vì DRAFT_SAVE_AS có giá trị / "
            "drafts are published (DRAFT_SAVE_AS is set)"
        )
    if not stamp.get("future_posts_held_back", False):
        problems.append(
            "bài hẹn giờ chưa đến ngày đăng cũng được xuất bản (SCHEDULING_PUBLISH_MODE tắt) / "
            "posts dated in the future are published (SCHEDULING_PUBLISH_MODE is off)"
        )
    siteurl = str(stamp.get("siteurl") or "")
    if _local_host(siteurl) or stamp.get("relative_urls", True):
        problems.append(
            f"liên kết trỏ về {siteurl or '(SITEURL trống)'} thay vì địa chỉ thật của cổng / "
            f"links point to {siteurl or '(empty SITEURL)'}, not the portal's address "
            "(SITEURL, RELATIVE_URLS)"
        )
    for folder in stamp.get("draft_dirs") or []:
        if isinstance(folder, str) and folder and (output / folder).exists():
            problems.append(
                f"còn thư mục bản nháp {folder}/ từ một lần dựng xem trước / "
                f"a drafts folder {folder}/ is left from a preview build"
            )
    return problems
