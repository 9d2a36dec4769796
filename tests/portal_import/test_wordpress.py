"""`invoke import-wordpress` on a generated WXR export."""

from __future__ import annotations

import json

import pytest
import yaml

from portal_import.model import ImportStop
from portal_import.wordpress import read_wordpress
from tests.portal_import.fixtures import write_wordpress

WP_MAP = "categories:\n  Tin tức: Tin tức sự kiện\nunits:\n  default: Văn phòng Sở\n"


def header(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.fixture
def wordpress(tmp_path):
    return write_wordpress(tmp_path / "wp")


def test_posts_categories_tags_authors_images_and_addresses(import_site, wordpress):
    wxr, uploads = wordpress
    import_site.map_path.write_text(WP_MAP, encoding="utf-8")
    outcome = import_site.run(lambda: read_wordpress(wxr, uploads))
    assert outcome.ok, outcome.error or outcome.report.stopped
    posts = {
        header(t)["imported_from"]["id"]: (r, header(t), t) for r, t in import_site.posts().items()
    }
    assert set(posts) == {"10", "11", "13"}  # no draft, no page, no attachment
    _rel, meta, text = posts["10"]
    assert meta["category"] == "Tin tức sự kiện" and meta["unit"] == "Văn phòng Sở"
    assert meta["author"] == "Văn phòng Sở"  # the display name, not the login
    assert meta["tags"] == ["cầu đường", "thông xe"]
    assert meta["summary"] == "Cầu vượt Đông Thành thông xe."
    assert meta["image"] == "images/2024/cau-vuot.jpg"
    assert meta["image_alt"] == "Cầu vượt Đông Thành nhìn từ trên cao"
    assert "![Tuần tra trên cầu]({static}/images/2024/tuan-tra.jpg)" in text
    assert "Sáng nay, cầu vượt được thông xe.\n\nCầu dài 420 m." in text  # wpautop paragraphs
    assert posts["11"][1]["author"] == "Nguyễn Văn An"
    assert posts["11"][1]["category"] == "Thông báo"
    assert "onmouseover" not in posts["11"][2]
    assert posts["13"][1]["slug"] == "tin-da-ma-hoa"  # percent-encoded Vietnamese slug
    redirects = yaml.safe_load((import_site.content / "redirects.yml").read_text("utf-8"))
    pairs = {r["from"]: r["to"] for r in redirects["redirects"]}
    # the same permalink on both sites: no redirect (it would loop)
    assert "/2024/03/thong-xe-cau-vuot-dong-thanh/" not in pairs
    assert pairs["/?p=10"] == "/2024/03/thong-xe-cau-vuot-dong-thanh/"
    assert pairs["/?p=11"] == "/2024/03/lich-tiep-cong-dan-thang-4/"
    assert pairs["/2024/04/tin-đa-ma-hoa/"] == "/2024/04/tin-da-ma-hoa/"
    seed = json.loads((import_site.reports / "counter-seed.json").read_text("utf-8"))
    assert seed["views"] == {
        "/2024/03/thong-xe-cau-vuot-dong-thanh/": 4321,
        "/2024/03/lich-tiep-cong-dan-thang-4/": 77,
    }
    assert "total" not in seed  # WordPress has no site total: the operator gives --total


def test_drafts_only_with_the_flag(import_site, wordpress):
    wxr, uploads = wordpress
    import_site.map_path.write_text(WP_MAP, encoding="utf-8")
    import_site.run(lambda: read_wordpress(wxr, uploads), include_drafts=True, total=1200)
    drafts = [t for t in import_site.posts().values() if header(t).get("status") == "draft"]
    assert len(drafts) == 1 and "Bản nháp chưa đăng" in drafts[0]
    seed = json.loads((import_site.reports / "counter-seed.json").read_text("utf-8"))
    assert seed["total"] == 1200


def test_a_malformed_export_stops_naming_the_line(import_site, wordpress):
    wxr, uploads = wordpress
    lines = wxr.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "<wp:post_id>11</wp:post_id>" in line)
    lines[number] = "<wp:post_id>11</wp:post_idd>"
    wxr.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportStop) as caught:
        read_wordpress(wxr, uploads)
    assert caught.value.where.endswith(f"dòng {number + 1}")


def test_something_else_than_a_wxr_is_refused(tmp_path):
    rss = tmp_path / "feed.xml"
    rss.write_text('<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>')
    with pytest.raises(ImportStop, match="WXR"):
        read_wordpress(rss)
