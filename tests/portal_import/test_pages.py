"""`invoke import-pages` on saved pages of another portal, with CSS selectors."""

from __future__ import annotations

import json

import pytest
import yaml

from portal_import.model import ImportStop
from portal_import.pages import read_pages
from tests.portal_import.fixtures import write_pages

PAGES_MAP = "categories:\n  Tin tức: Tin tức sự kiện\n"


def header(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_saved_pages_are_imported_with_photos_addresses_and_views(import_site, tmp_path):
    pages, config = write_pages(tmp_path / "old")
    import_site.map_path.write_text(PAGES_MAP, encoding="utf-8")
    outcome = import_site.run(lambda: read_pages(pages, config))
    assert outcome.ok, outcome.error or outcome.report.stopped
    posts = {header(t)["imported_from"]["id"]: (header(t), t) for t in import_site.posts().values()}
    assert set(posts) == {"tin-tuc/hop-bao.html", "thong-bao.html"}
    meta, text = posts["tin-tuc/hop-bao.html"]
    assert meta["date"] == "12/04/2023 14:30"
    assert meta["unit"] == "Văn phòng Sở"  # the byline names a unit of the registry
    assert meta["category"] == "Tin tức sự kiện"
    assert "![Quang cảnh họp báo]({static}/images/2023/anh1.jpg)" in text
    assert "Chia sẻ" not in text  # removed by the config's "remove"
    legacy, _ = posts["thong-bao.html"]  # saved in Windows-1258 with combining tone marks
    assert legacy["title"] == "Thông báo nghỉ lễ 30/4" and legacy["category"] == "Thông báo"
    assert any("khong-ngay.html" in item for item, _ in outcome.report.skipped)
    redirects = yaml.safe_load((import_site.content / "redirects.yml").read_text("utf-8"))
    pairs = {r["from"]: r["to"] for r in redirects["redirects"]}
    assert pairs["/Pages/hop-bao.aspx?ItemID=12"] == "/2023/04/hop-bao-quy-i-nam-2023/"
    assert pairs["/thong-bao.html"] == "/2023/04/thong-bao-nghi-le-30-4/"
    seed = json.loads((import_site.reports / "counter-seed.json").read_text("utf-8"))
    assert seed["views"] == {"/2023/04/hop-bao-quy-i-nam-2023/": 1234}


@pytest.mark.parametrize(
    ("config", "message", "line"),
    [
        ("selectors:\n  title: h1\n  date: .d\n", "thiếu bộ chọn CSS cho 'body'", None),
        ("selectors:\n  title: h1\n  date: '[[bad'\n  body: .b\n", "không hợp lệ", 3),
        ("selectors:\n  title: h1\n  date: .d\n  body: .b\n  tieu_de: h2\n", "tieu_de", None),
        ("selectors: [h1\n", "YAML", 2),
    ],
)
def test_config_errors_name_the_field_and_line(tmp_path, config, message, line):
    path = tmp_path / "pages.yml"
    path.write_text(config, encoding="utf-8")
    (tmp_path / "pages").mkdir()
    with pytest.raises(ImportStop) as caught:
        read_pages(tmp_path / "pages", path)
    assert message in str(caught.value)
    if line:
        assert f"dòng {line}" in caught.value.where
