"""`invoke import-nukeviet` on a generated dump with every quirk, then a real Pelican build."""

from __future__ import annotations

import json
import unicodedata

import pytest
import yaml

from portal_import.nukeviet import read_nukeviet
from tests.portal_import.conftest import ImportSite
from tests.portal_import.fixtures import (
    IMPORT_MAP,
    TOTAL_VISITS,
    dump_text,
    nukeviet_articles,
    write_nukeviet,
)


def header(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def by_old_id(site: ImportSite) -> dict[str, tuple[str, dict, str]]:
    found = {}
    for rel, text in site.posts().items():
        meta = header(text)
        found[meta["imported_from"]["id"]] = (rel, meta, text.split("---\n", 2)[2])
    return found


def test_public_articles_are_imported_and_the_rest_skipped_with_reasons(imported):
    site, report, _build, _dump, _uploads = imported
    posts = by_old_id(site)
    public = {f"news:{a.id}" for a in nukeviet_articles() if a.id <= 106}
    assert set(posts) == public
    reasons = {item.rsplit("id=", 1)[1]: reason for item, reason in report.skipped}
    assert "hẹn giờ" in reasons["107"]
    assert "hết hạn" in reasons["108"] and "hết hạn" in reasons["109"]
    assert all("--include-drafts" in reasons[n] for n in ("110", "111", "112"))
    assert "bỏ qua" in reasons["113"]
    assert "catid=99" in reasons["114"]
    assert "_detail" in reasons["115"]
    assert any("bản sao theo chuyên mục" in note for note in report.notes)


def test_fields_escaping_times_and_categories(imported):
    site, _report, _build, _dump, _uploads = imported
    rel, meta, body = by_old_id(site)["news:101"]
    assert rel == "posts/2020/2020-03-02-thong-bao-tuyen-dung-vien-chuc-nam-2020.md"
    assert meta["title"] == 'Thông báo "Tuyển dụng" viên chức năm 2020 & lịch thi'
    assert meta["date"] == "02/03/2020 08:30"  # Unix time read in Asia/Ho_Chi_Minh
    assert meta["category"] == "Thông báo" and meta["unit"] == "Văn phòng Sở"
    assert meta["imported_from"]["categories"] == ["Thông báo", "Tin hoạt động"]
    summary = "Sở thông báo tuyển dụng \"viên chức\" năm 2020; thí sinh xem 'lịch thi'."
    assert meta["summary"] == summary
    assert meta["tags"] == ["tuyển dụng"]
    assert "C:\\tai-lieu\\ho-so.docx" in body and '"8,5"' in body
    _rel, mapped, _ = by_old_id(site)["news:4"]
    assert mapped["category"] == "Tin tức sự kiện"  # "Tin hoạt động" through the mapping file
    _rel, sourced, _ = by_old_id(site)["news:5"]
    assert sourced["source"] == {"name": "Báo Lam Sơn", "url": "https://baolamson.vn"}
    assert sourced["modified"].endswith("08:30")


def test_vietnamese_is_nfc_and_html_becomes_markdown(imported):
    site, _report, _build, _dump, _uploads = imported
    for text in site.posts().values():
        assert unicodedata.is_normalized("NFC", text)
    _rel, meta, body = by_old_id(site)["news:106"]
    assert meta["title"] == "Đường tỉnh 512 được nâng cấp"
    _rel, _meta, body = by_old_id(site)["news:2"]
    assert "## Kết quả" in body and "- Một" in body and "| Chỉ tiêu | Kết quả |" in body
    assert "<" not in body


def test_photos_go_through_the_pipeline_and_bad_ones_are_reported(imported):
    site, report, _build, _dump, _uploads = imported
    _rel, meta, body = by_old_id(site)["news:102"]
    assert meta["image"] == "images/2021/khoi-cong.jpg"
    assert meta["image_alt"] == "Lễ khởi công nút giao Tân Phúc"
    assert "![Hiện trường thi công]({static}/images/2021/hien-truong.jpg)" in body
    assert "{static}/images/2021/may-xuc.jpg" in body  # absolute URL of the old host
    assert (site.content / "images/2021/khoi-cong.jpg").stat().st_size > 5000  # not the thumb
    problems = dict(report.photo_problems)
    assert "hỏng" in problems["/uploads/news/2021_06/hong.jpg"]
    assert "quá lớn" in problems["/uploads/news/2021_06/khong-lo.png"]
    assert "không tìm thấy" in problems["/uploads/news/2021_06/khong-co.jpg"]
    assert "máy chủ khác" in problems["https://baolamson.vn/anh/cau-moi.jpg"]
    _rel, meta103, body103 = by_old_id(site)["news:103"]
    assert meta103["image"] == "images/2021/bia.jpg"  # homeimgthumb 2: uploads/ only
    assert "hong.jpg" not in body103 and "khong-lo" not in body103
    assert "image" not in by_old_id(site)["news:104"][1]


def test_unsafe_html_is_removed_and_reported(imported):
    site, report, _build, _dump, _uploads = imported
    _rel, _meta, body = by_old_id(site)["news:102"]
    assert "alert" not in body and "onclick" not in body and "zoom" not in body
    assert any("id=102" in item and "<script>" in what for item, what in report.sanitised)
    assert any(link == "/uploads/news/2021_05/quyet-dinh.pdf" for _, link in report.old_links)


def test_slug_collision_is_reported_and_resolved(imported):
    site, report, _build, _dump, _uploads = imported
    posts = by_old_id(site)
    assert posts["news:1"][1]["slug"] == "hoi-nghi-giao-ban-thang-2-so-1"
    assert posts["news:105"][1]["slug"] == "hoi-nghi-giao-ban-thang-2-so-1-105"
    assert any("id=105" in item for item, _ in report.collisions)


def test_redirects_seed_and_report_files(imported):
    site, report, _build, _dump, _uploads = imported
    redirects = yaml.safe_load((site.content / "redirects.yml").read_text(encoding="utf-8"))
    pairs = {r["from"]: r["to"] for r in redirects["redirects"]}
    old = "/vi/news/thong-bao/thong-bao-tuyen-dung-vien-chuc-nam-2020-101.html"
    assert pairs[old] == "/2020/03/thong-bao-tuyen-dung-vien-chuc-nam-2020/"
    assert pairs[old.removeprefix("/vi")] == pairs[old]
    assert pairs["/vi/news/tin-hoat-dong/thong-bao-tuyen-dung-vien-chuc-nam-2020-101.html"]
    seed = json.loads((site.reports / "counter-seed.json").read_text(encoding="utf-8"))
    assert seed["total"] == TOTAL_VISITS
    assert seed["views"]["/2020/03/thong-bao-tuyen-dung-vien-chuc-nam-2020/"] == 5321
    data = json.loads((site.reports / "nukeviet-report.json").read_text(encoding="utf-8"))
    assert data["by_category"] == dict(report.by_category)
    assert len(data["created"]) == len(by_old_id(site))
    text = (site.reports / "nukeviet-report.txt").read_text(encoding="utf-8")
    assert "Bài bỏ qua và lý do" in text and "Theo đơn vị" in text


def test_the_imported_site_builds_with_every_post_and_redirect_page(imported):
    site, _report, build, _dump, _uploads = imported
    assert build.returncode == 0, build.log
    page = build.page("2021/05/khoi-cong-nut-giao-tan-phuc/")
    assert "Khởi công nút giao Tân Phúc" in page and "hien-truong" in page
    _rel, sourced, _body = by_old_id(site)["news:5"]
    assert "Báo Lam Sơn" in build.page(f"2019/{sourced['date'][3:5]}/{sourced['slug']}/")
    old = "vi/news/thong-bao/thong-bao-tuyen-dung-vien-chuc-nam-2020-101.html"
    redirect = build.page(old)
    assert 'http-equiv="refresh"' in redirect
    assert "/2020/03/thong-bao-tuyen-dung-vien-chuc-nam-2020/" in redirect
    nginx_map = (build.output / ".redirects.map").read_text(encoding="utf-8")
    assert f'"/{old}" "/2020/03/thong-bao-tuyen-dung-vien-chuc-nam-2020/";' in nginx_map
    manifest = json.loads((build.output / "counter-paths.json").read_text(encoding="utf-8"))
    paths = manifest["paths"] if isinstance(manifest, dict) else manifest
    assert "/2020/03/thong-bao-tuyen-dung-vien-chuc-nam-2020/" in paths
    assert f"/{old}" not in paths  # redirect pages are not counted


# -- re-runs, flags and refusals (no build) -----------------------------------------------------


@pytest.fixture
def nukeviet_source(tmp_path):
    dump, uploads = write_nukeviet(tmp_path / "old")
    return dump, uploads


def test_a_rerun_changes_nothing_and_keeps_hand_edits(import_site, nukeviet_source):
    dump, uploads = nukeviet_source
    import_site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    first = import_site.run(lambda: read_nukeviet(dump, uploads))
    before = import_site.snapshot()
    again = import_site.run(lambda: read_nukeviet(dump, uploads))
    assert again.ok and not again.report.created and not again.report.updated
    assert len(again.report.unchanged) == len(first.report.created)
    assert import_site.snapshot() == before

    edited = import_site.content / first.report.created[0]
    text = edited.read_text(encoding="utf-8")
    slug = header(text)["slug"]
    text = text.replace(f"slug: {slug}", "slug: ten-moi-do-bien-tap-dat")
    edited.write_text(text + "\nĐoạn biên tập viên thêm.\n", "utf-8")
    kept = import_site.run(lambda: read_nukeviet(dump, uploads))
    assert kept.report.kept_edits == [first.report.created[0]]
    assert "Đoạn biên tập viên thêm." in edited.read_text(encoding="utf-8")
    redirects = (import_site.content / "redirects.yml").read_text(encoding="utf-8")
    assert "/ten-moi-do-bien-tap-dat/" in redirects  # old addresses follow the edited slug
    forced = import_site.run(lambda: read_nukeviet(dump, uploads), force=True)
    assert forced.report.updated == [first.report.created[0]]
    assert "Đoạn biên tập viên thêm." not in edited.read_text(encoding="utf-8")


def test_a_changed_article_is_updated_in_place(import_site, tmp_path):
    import_site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    articles = nukeviet_articles()
    dump, uploads = write_nukeviet(tmp_path / "v1", articles)
    first = import_site.run(lambda: read_nukeviet(dump, uploads))
    articles[0].title = "Tiêu đề đã sửa trên cổng cũ"
    dump2, uploads2 = write_nukeviet(tmp_path / "v2", articles)
    second = import_site.run(lambda: read_nukeviet(dump2, uploads2))
    assert len(second.report.updated) == 1 and not second.report.created
    path = import_site.content / second.report.updated[0]
    assert path.name == first.report.created[0].rsplit("/", 1)[1]  # same file, no duplicate
    assert "Tiêu đề đã sửa trên cổng cũ" in path.read_text(encoding="utf-8")


def test_dry_run_writes_nothing(import_site, nukeviet_source):
    dump, uploads = nukeviet_source
    import_site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    before = import_site.snapshot()
    outcome = import_site.run(lambda: read_nukeviet(dump, uploads), dry_run=True)
    assert outcome.ok and outcome.report.created and outcome.report.photos == 4
    assert import_site.snapshot() == before
    assert not (import_site.reports / "counter-seed.json").exists()


def test_drafts_and_expired_only_with_flags(import_site, nukeviet_source):
    dump, uploads = nukeviet_source
    import_site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    outcome = import_site.run(
        lambda: read_nukeviet(dump, uploads), include_drafts=True, include_expired=True
    )
    posts = by_old_id(import_site)
    for draft in ("news:107", "news:110", "news:111", "news:112"):
        assert posts[draft][1]["status"] == "draft"
    for expired in ("news:108", "news:109"):
        assert "status" not in posts[expired][1]
    views = {f"news:{a.id}": a.hitstotal for a in nukeviet_articles()}
    published = [old for old, (_rel, meta, _body) in posts.items() if "status" not in meta]
    assert outcome.report.seeded_views == sum(1 for old in published if views[old])


def test_unmapped_names_stop_the_import_with_suggestions(import_site, nukeviet_source):
    dump, uploads = nukeviet_source
    import_site.map_path.write_text("units:\n  default: Văn phòng Sở\n", encoding="utf-8")
    before = import_site.snapshot()
    outcome = import_site.run(lambda: read_nukeviet(dump, uploads))
    assert not outcome.ok and "chưa được ánh xạ" in outcome.report.stopped
    names = {u.name: u for u in outcome.report.unmapped}
    assert set(names) == {"Tin hoạt động", "Quảng cáo"}
    assert names["Tin hoạt động"].suggestion  # the registry's closest name
    assert '"Tin hoạt động":' in outcome.report.suggestion
    assert import_site.snapshot() == before


def test_a_misspelt_name_in_the_map_is_refused_with_its_line(import_site, nukeviet_source):
    dump, uploads = nukeviet_source
    import_site.map_path.write_text(
        "categories:\n  Tin hoạt động: Tin tuc su kien\nunits:\n  default: Văn phòng Sở\n",
        encoding="utf-8",
    )
    outcome = import_site.run(lambda: read_nukeviet(dump, uploads))
    assert outcome.error is not None
    assert "dòng 2" in outcome.error.where and "Tin tức sự kiện" in outcome.error.hint


def test_a_malformed_dump_stops_naming_the_line(import_site, tmp_path):
    text = dump_text(nukeviet_articles())
    alias = "'hoi-nghi-giao-ban-thang-2-so-1'"
    broken = text.replace(f"{alias}, ", f"{alias} ", 1)
    path = tmp_path / "broken.sql"
    path.write_text(broken, encoding="utf-8")
    import_site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    before = import_site.snapshot()
    outcome = import_site.run(lambda: read_nukeviet(path, None))
    assert outcome.error is not None
    line = next(n for n, row in enumerate(broken.splitlines(), 1) if f"{alias} " in row)
    assert outcome.error.where.endswith(f"dòng {line}")
    assert import_site.snapshot() == before


def test_a_wrong_module_name_is_explained(tmp_path, nukeviet_source):
    dump, _uploads = nukeviet_source
    from portal_import.model import ImportStop

    with pytest.raises(ImportStop, match="tin-tuc"):
        read_nukeviet(dump, None, module="tin-tuc")
