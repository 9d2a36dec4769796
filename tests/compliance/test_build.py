"""Real builds: the publish gate, waivers, the report files, the sample site and the CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from plugins.compliance.rules import PACKS
from tests.conftest import ROOT, run_pelican

pytestmark = pytest.mark.slow

SECRET = "Kế hoạch kiểm tra.\n\nTỐI MẬT\n\nNội dung kế hoạch."
PLUGIN = 'PLUGINS = [p for p in PLUGINS if p != "plugins.compliance"] + ["plugins.compliance"]\n'
NEEDS_THEME = {r.id for rules in PACKS.values() for r in rules if r.needs_theme}


def _report(base):
    return json.loads((base / "reports/compliance/bao-cao.json").read_text(encoding="utf-8"))


def _errors(data):
    return sorted(
        {f["rule"] for f in data["findings"] if f["severity"] == "error" and not f["waived"]}
    )


def test_publish_gate_fails_on_an_error_and_passes_with_a_waiver(tiny_site):
    tiny_site.post("ke-hoach", title="Kế hoạch kiểm tra", body=SECRET)
    # a preview build reports but never fails; it tells us what else the tiny site lacks
    tiny_site.settings(PLUGIN + "COMPLIANCE_TODAY = '2026-11-20'\n")
    preview = tiny_site.build()
    assert preview.returncode == 0, preview.log
    assert "D43-5.2" in _errors(_report(tiny_site.base))
    others = {rule: "trang thử nghiệm, không áp dụng" for rule in _errors(_report(tiny_site.base))}
    others.pop("D43-5.2")

    tiny_site.settings(
        PLUGIN
        + "COMPLIANCE_FAIL_ON_ERROR = True\nCOMPLIANCE_TODAY = '2026-11-20'\n"
        + f"COMPLIANCE_WAIVERS = {others!r}\n",
        base="publishconf",
    )
    before = {p: p.read_bytes() for p in tiny_site.output.rglob("*") if p.is_file()}
    listed = tiny_site.base / "reports/compliance/xuat-ban-truoc.json"
    published_before = listed.read_bytes()
    tiny_site.post("lich-tiep-dan", title="Lịch tiếp dân", body="Lịch tiếp dân tháng mười.")
    failed = tiny_site.build()
    assert failed.returncode == 1
    assert "D43-5.2" in failed.log and "Bản dựng dừng lại" in failed.log
    assert "Điều 5" in failed.log and "Traceback" not in failed.log
    # nothing was published: the preview output is untouched, and so is the list of
    # what is published (TT24-9 compares the next build with it)
    assert {p: p.read_bytes() for p in tiny_site.output.rglob("*") if p.is_file()} == before
    assert listed.read_bytes() == published_before
    assert _errors(_report(tiny_site.base)) == ["D43-5.2"]

    tiny_site.post(
        "ke-hoach",
        title="Kế hoạch kiểm tra",
        body=SECRET,
        Compliance_Waiver="D43-5.2: cụm từ trích trong tên kế hoạch công khai, không phải dấu mật",
    )
    passed = tiny_site.build()
    assert passed.returncode == 0, passed.log
    data = _report(tiny_site.base)
    assert data["summary"]["error"] == 0
    waived = [f for f in data["findings"] if f["rule"] == "D43-5.2"]
    assert waived and "không phải dấu mật" in waived[0]["waived"]
    assert "https://sgtvt.lamson.gov.vn" in (tiny_site.output / "index.html").read_text("utf-8")


def test_after_a_stopped_build_is_undone_the_report_is_the_published_one(tiny_site):
    """A build the gate stopped writes its report; when the editor takes the change back,
    nothing changed since the live output was built, and its report is shown again."""
    tiny_site.post("a", title="Bài thử", Author="Nguyễn Văn A")
    tiny_site.settings(PLUGIN + "COMPLIANCE_TODAY = '2026-11-20'\n")
    assert tiny_site.build().returncode == 0
    waivers = {rule: "trang thử nghiệm, không áp dụng" for rule in _errors(_report(tiny_site.base))}
    tiny_site.settings(
        PLUGIN
        + "COMPLIANCE_FAIL_ON_ERROR = True\nCOMPLIANCE_TODAY = '2026-11-20'\n"
        + f"COMPLIANCE_WAIVERS = {waivers!r}\n",
        base="publishconf",
    )
    assert tiny_site.build().returncode == 0
    reports = tiny_site.base / "reports/compliance"
    published = {p.name: p.read_bytes() for p in reports.glob("bao-cao.*")}
    assert set(published) == {"bao-cao.json", "bao-cao.html"}

    secret = tiny_site.post("ke-hoach", title="Kế hoạch kiểm tra", body=SECRET)
    assert tiny_site.build().returncode == 1
    assert _errors(_report(tiny_site.base)) == ["D43-5.2"]

    secret.unlink()
    undone = tiny_site.build()
    assert undone.returncode == 0, undone.log
    assert "Không có gì thay đổi" in undone.log
    assert {p.name: p.read_bytes() for p in reports.glob("bao-cao.*")} == published


def test_reports_are_written_outside_the_site(tiny_site):
    tiny_site.post("a", title="Bài thử", Author="Nguyễn Văn A")
    tiny_site.settings(PLUGIN)
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "Kiểm tra tuân thủ Nghị định 43/2011/NĐ-CP" in result.stdout
    folder = tiny_site.base / "reports/compliance"
    assert (folder / "bao-cao.json").exists() and (folder / "bao-cao.html").exists()
    assert not list(tiny_site.output.rglob("bao-cao.*"))
    page = (folder / "bao-cao.html").read_text(encoding="utf-8")
    assert "Căn cứ: Điểm a khoản 1 Điều 10 Nghị định 43/2011/NĐ-CP" in page


def test_a_wrong_setting_stops_the_build_with_one_clear_line(tiny_site):
    tiny_site.post("a")
    tiny_site.settings(PLUGIN + "COMPLIANCE_PACK = '43/2012'\n")
    result = tiny_site.build()
    assert result.returncode == 1
    assert "COMPLIANCE_PACK" in result.log and "Traceback" not in result.log


def test_the_sample_site_has_no_errors_except_theme_ones(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        + PLUGIN
        + f"COMPLIANCE_REPORT_DIR = {str(tmp_path / 'reports')!r}\n",
        encoding="utf-8",
    )
    result = run_pelican(ROOT / "content", tmp_path / "output", settings)
    assert result.returncode == 0, result.log
    data = json.loads((tmp_path / "reports/bao-cao.json").read_text(encoding="utf-8"))
    content_errors = [
        (f["rule"], f["target"], f["detail"])
        for f in data["findings"]
        if f["severity"] == "error" and not f["waived"] and f["rule"] not in NEEDS_THEME
    ]
    assert content_errors == []


def test_cli_builds_with_publish_settings_and_exits_non_zero_on_errors(tiny_site):
    tiny_site.post("ke-hoach", title="Kế hoạch kiểm tra", body=SECRET)
    settings = tiny_site.settings("", base="publishconf")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "plugins.compliance",
            "--settings",
            str(settings),
            "--content",
            str(tiny_site.content),
            "--report-dir",
            str(tiny_site.base / "cli-reports"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "D43-5.2" in proc.stdout and "lỗi" in proc.stdout
    assert (tiny_site.base / "cli-reports/bao-cao.html").exists()
    assert not tiny_site.output.exists()  # nothing deployed


def _comparable(data):
    data = dict(data)
    data.pop("generated")
    data["summary"] = {k: v for k, v in data["summary"].items() if k != "seconds"}
    return data


def test_the_cache_gives_the_report_a_build_without_it_gives(tiny_site):
    for name in ("a", "b", "c"):
        tiny_site.post(name, title=f"Bài {name}", Author="Nguyễn Văn A")
    cached = PLUGIN + "COMPLIANCE_TODAY = '2026-11-20'\nSEARCH_INDEX = False\n"
    uncached = cached + (
        "COMPLIANCE_CACHE_PATH = None\n"
        f"COMPLIANCE_REPORT_DIR = {str(tiny_site.base / 'uncached')!r}\n"
    )

    def build(extra: str, settings: str = cached):
        tiny_site.settings(settings + extra)
        result = tiny_site.build()
        assert result.returncode == 0, result.log
        return result

    first = build("")
    assert (tiny_site.base / "cache/compliance/trang.pickle").exists()
    assert (tiny_site.base / "cache/compliance/bai.pickle").exists()
    # both runs start from the same list of what was published (TT24-9 reads it)
    (tiny_site.base / "uncached").mkdir()
    shutil.copy(
        tiny_site.base / "reports/compliance/xuat-ban-truoc.json",
        tiny_site.base / "uncached/xuat-ban-truoc.json",
    )
    assert "0/" in first.stdout and "bộ nhớ đệm" in first.stdout
    # one post changes: a quotation without its source (a page rule) and a secret mark
    tiny_site.post(
        "b",
        title="Bài b",
        Author="Nguyễn Văn A",
        body="> Trích dẫn không rõ nguồn.\n\nTỐI MẬT",
    )
    warm = build("")
    hits = re.search(r"(\d+)/(\d+) trang HTML lấy từ bộ nhớ đệm", warm.stdout)
    assert hits and 0 < int(hits.group(1)) < int(hits.group(2))
    posts = re.search(r"(\d+)/(\d+) bài dùng lại kết quả kiểm tra", warm.stdout)
    assert posts and 0 < int(posts.group(1)) < int(posts.group(2))  # b was edited
    with_cache = _report(tiny_site.base)
    rules = {f["rule"] for f in with_cache["findings"]}
    assert {"D43-5.3.quote", "D43-5.2"} <= rules
    build("", uncached)
    without = json.loads((tiny_site.base / "uncached/bao-cao.json").read_text(encoding="utf-8"))
    assert _comparable(with_cache) == _comparable(without)
    # a waiver (metadata, never cached) applies to findings served from the cache
    waiver = "COMPLIANCE_WAIVERS = {'D43-5.3.quote': 'trích từ văn bản của chính Sở'}\n"
    again = build(waiver)
    assert re.search(r"[1-9]\d*/\d+ trang HTML lấy từ bộ nhớ đệm", again.stdout)
    quoted = [f for f in _report(tiny_site.base)["findings"] if f["rule"] == "D43-5.3.quote"]
    assert quoted and all("chính Sở" in f["waived"] for f in quoted)
    build(waiver, uncached)
    without = json.loads((tiny_site.base / "uncached/bao-cao.json").read_text(encoding="utf-8"))
    assert _comparable(_report(tiny_site.base)) == _comparable(without)


def test_a_rebuild_served_from_the_memo_reports_what_a_build_without_it_reports(tiny_site):
    """Posts' findings come from the memo on a rebuild: a new holiday, another day, a new
    post with the same title and an edited post must still give the uncached report."""
    law = {
        "Category": "Phổ biến giáo dục pháp luật",
        "Author": "Nguyễn Văn A",
        "Related_Doc_Number": "36/2024/QH15",
        # 16 working days before the post's date (12/09/2023): one more than allowed
        "Related_Doc_Date": "17/08/2023",
    }
    tiny_site.post("luat", title="Luật mới", **law)
    tiny_site.post("a", title="Bài a", Author="Nguyễn Văn A", body="Nội dung MẬT.")
    common = PLUGIN + "SEARCH_INDEX = False\n"
    uncached_dir = tiny_site.base / "uncached"
    uncached_dir.mkdir()
    manifest = tiny_site.base / "reports/compliance/xuat-ban-truoc.json"

    def pair(extra: str) -> dict:
        """A build with the caches, then one without from the same previous manifest."""
        if manifest.exists():
            shutil.copy(manifest, uncached_dir / manifest.name)
        for settings in (
            common + extra,
            common
            + extra
            + f"COMPLIANCE_CACHE_PATH = None\nCOMPLIANCE_REPORT_DIR = {str(uncached_dir)!r}\n",
        ):
            tiny_site.settings(settings)
            result = tiny_site.build()
            assert result.returncode == 0, result.log
        cached = _report(tiny_site.base)
        without = json.loads((uncached_dir / "bao-cao.json").read_text(encoding="utf-8"))
        assert _comparable(cached) == _comparable(without)
        return cached

    def found(data) -> set[tuple[str, str]]:
        return {(f["rule"], f["target"].rsplit("/", 1)[-1]) for f in data["findings"]}

    first = pair("COMPLIANCE_TODAY = '2023-09-20'\n")
    assert (tiny_site.base / "cache/compliance/bai.pickle").exists()
    assert {("D43-17.1.b", "luat.md"), ("D43-5.2", "a.md")} <= found(first)
    holiday = (
        "from plugins.compliance.holidays import DEFAULT_HOLIDAYS\n"
        "COMPLIANCE_HOLIDAYS = [*DEFAULT_HOLIDAYS, '2023-08-21']\n"
    )
    later = pair(holiday + "COMPLIANCE_TODAY = '2023-09-20'\n")
    assert ("D43-17.1.b", "luat.md") not in found(later)
    # another day: the freshness rule changes, the posts' findings come from the memo
    assert "D43-17.1.a" not in {f["rule"] for f in later["findings"]}
    aged = pair(holiday + "COMPLIANCE_TODAY = '2023-12-20'\n")
    assert "D43-17.1.a" in {f["rule"] for f in aged["findings"]}
    # a second post with the same title, and the first one edited
    tiny_site.post("b", title="Bài a", Slug="bai-a-lan-hai", Author="Nguyễn Văn A")
    tiny_site.post("a", title="Bài a", Author="Nguyễn Văn A", body="Së Giao th«ng vËn t¶i")
    edited = pair(holiday + "COMPLIANCE_TODAY = '2023-12-20'\n")
    assert ("D43-5.2", "a.md") not in found(edited)
    assert ("D43-7.1.legacy", "a.md") in found(edited)


def test_a_post_without_author_passes_the_production_gate_credited_to_its_unit(tiny_site):
    """Title, date, unit and category are enough: the unit is the author Art. 5(3) asks for."""
    tiny_site.post("khong-tac-gia", title="Họp giao ban tháng 9")
    tiny_site.settings(PLUGIN + "COMPLIANCE_TODAY = '2026-11-20'\n")
    preview = tiny_site.build()
    assert preview.returncode == 0, preview.log
    # what a tiny site lacks (required pages, …) is waived; the author rule never is
    others = {rule: "trang thử nghiệm, không áp dụng" for rule in _errors(_report(tiny_site.base))}
    others.pop("D43-5.3", None)
    tiny_site.settings(
        PLUGIN
        + "COMPLIANCE_FAIL_ON_ERROR = True\nCOMPLIANCE_TODAY = '2026-11-20'\n"
        + f"COMPLIANCE_WAIVERS = {others!r}\n",
        base="publishconf",
    )
    published = tiny_site.build()
    assert published.returncode == 0, published.log
    assert "D43-5.3" not in published.log
    assert not [f for f in _report(tiny_site.base)["findings"] if f["rule"] == "D43-5.3"]
    page = next(tiny_site.output.rglob("hop-giao-ban-thang-9/index.html")).read_text("utf-8")
    byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)
    assert "Tin bài" in byline and "Văn phòng Sở" in byline and 'class="author"' not in byline
