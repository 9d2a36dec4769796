"""The declarations of ``plugins.incremental.declared`` cover what pages really read.

A page's key is computed from what its kind declares it shows, not from what it reads; a
template that starts to read a collection its kind does not declare would be served stale.
Here the site is built with a probe that notes every name each page looks up, and each
kind's reads are checked against its declaration.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from plugins.incremental.declared import (
    BODY_BLIND_TEMPLATES,
    COLLECTION_NAMES,
    FRONT_TEMPLATES,
    LISTING_TEMPLATES,
    NOT_SHOWN_KWARGS,
    POST_TEMPLATES,
    SHOWN_COLLECTIONS,
)
from tests.conftest import ROOT, TinySite

#: what a post's page may read that holds posts: its own post (and its links)
POST_OWN = {"article"}


def test_pages_read_only_what_their_kind_declares(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    probe = tmp_path / "reads.json"
    site.settings(
        "DEFAULT_PAGINATION = 2\n"
        "SEARCH_INDEX = False\n"
        "INCREMENTAL_RENDER_WORKERS = 1  # render here, where the probe notes the reads\n"
        "PLUGINS = PLUGINS + ['tests.incremental.declaration_probe']\n"
        f"DECLARATION_PROBE_OUTPUT = {str(probe)!r}\n"
    )
    for n in range(1, 8):
        site.post(
            f"bai-{n}",
            title=f"Bài {n}",
            Date=f"0{n}/03/2024 08:00",
            Tags="an toàn giao thông, đăng kiểm" if n % 2 else "đăng kiểm",
        )
    site.write("pages/gioi-thieu.md", "Title: Giới thiệu\n\nNội dung.\n")
    shutil.copytree(ROOT / "content/van-ban", site.content / "van-ban")  # the register
    for registry in (ROOT / "content").glob("document-*.yml"):
        shutil.copy(registry, site.content / registry.name)
    site.post("bai-8", title="Bài về văn bản", Related_Doc_Number="56/HD-SGTVT")
    result = site.build()
    assert result.returncode == 0, result.log
    reads = json.loads(probe.read_text(encoding="utf-8"))
    kinds = {entry.get("template", "").split(".")[0] for entry in reads.values()}
    assert {"article", "category", "tag", "unit", "index"} <= kinds, kinds

    assert {"document", "documents"} <= kinds, kinds  # the sample register
    for page, entry in reads.items():
        kind = entry.get("template", "").split(".")[0]
        if kind in BODY_BLIND_TEMPLATES:
            assert not entry["bodies"], f"{page} ({kind}) shows a post's body or summary"
        names = entry["names"]
        with_posts = {
            name
            for name, seen in names.items()
            if seen["posts"] or (seen["site"] and name in COLLECTION_NAMES)
        }
        site_posts = {name for name in with_posts if names[name]["site"]}
        assert not (set(names) & NOT_SHOWN_KWARGS), (page, names)
        if kind in POST_TEMPLATES:
            assert with_posts <= POST_OWN, f"{page} reads {with_posts - POST_OWN}"
        elif kind in LISTING_TEMPLATES and not (kind in FRONT_TEMPLATES and entry["first"]):
            # what the writer gave it, and of the site's collections only those declared
            declared = set(SHOWN_COLLECTIONS.get(kind, ()))
            assert site_posts <= declared, f"{page} reads the site's {site_posts - declared}"
            if entry.get("first") is False:
                slices = {name for name in with_posts if name.endswith("_page")}
                assert with_posts == slices, f"{page} reads {with_posts - slices}"
