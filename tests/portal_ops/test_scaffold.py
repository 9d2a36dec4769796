"""`invoke new`: slugs, unit/category choice, the file written, never an overwrite."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plugins.categories.registry import load_categories
from plugins.units.registry import load_units
from portal_ops import scaffold
from tests.conftest import ROOT

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def units():
    registry, problems = load_units(str(ROOT / "content/units.yml"))
    assert problems == []
    return registry


@pytest.fixture(scope="module")
def categories():
    registry, problems = load_categories(str(ROOT / "content/categories.yml"))
    assert problems == []
    return registry


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Họp giao ban tháng 9", "hop-giao-ban-thang-9"),
        ("Đường Đông Thành: đảm bảo an toàn", "duong-dong-thanh-dam-bao-an-toan"),
        ("ĐĂNG KIỂM xe cơ giới_năm 2024", "dang-kiem-xe-co-gioi-nam-2024"),
        ("  Thông báo (số 12/TB-SGTVT)  ", "thong-bao-so-12-tb-sgtvt"),
        ("Khánh thành cầu nối TP.HCM", "khanh-thanh-cau-noi-tp-hcm"),
    ],
)
def test_slug_is_ascii_with_d_for_dj(title, slug):
    assert scaffold.slug_for(title) == slug


def test_long_titles_are_cut_at_a_word():
    slug = scaffold.slug_for("Tăng cường kiểm tra " * 12)
    assert len(slug) <= scaffold.MAX_SLUG_LENGTH
    assert not slug.endswith("-") and slug.startswith("tang-cuong-kiem-tra")
    assert slug.split("-")[-1] in {"tang", "cuong", "kiem", "tra"}


def test_title_without_letters_is_refused():
    with pytest.raises(scaffold.ScaffoldError, match="tiêu đề"):
        scaffold.slug_for("!!! ???")


def test_own_slug_must_be_safe():
    assert scaffold.check_slug("hop-giao-ban") == "hop-giao-ban"
    for bad in ("../x", "Hop", "a b", "a/b"):
        with pytest.raises(scaffold.ScaffoldError):
            scaffold.check_slug(bad)


def test_choose_by_number_name_alias_and_slug(units):
    order = [entry for entry, _ in units.tree()]
    assert scaffold.choose(units, "1", order) is order[0]
    assert scaffold.choose(units, str(len(order)), order) is order[-1]
    assert scaffold.choose(units, "Văn phòng Sở", order).slug == "van-phong"
    assert scaffold.choose(units, "VP Sở", order).slug == "van-phong"
    assert scaffold.choose(units, "  van-phong ", order).slug == "van-phong"


def test_unknown_unit_names_the_closest(units):
    with pytest.raises(scaffold.ScaffoldError) as caught:
        scaffold.choose(units, "Văn phong Sở")
    assert 'không có đơn vị "Văn phong Sở"' in str(caught.value)
    assert 'có phải là "Văn phòng Sở"?' in str(caught.value)


def test_out_of_range_number_says_the_range(units):
    with pytest.raises(scaffold.ScaffoldError, match=f"từ 1 đến {len(units)}"):
        scaffold.choose(units, "999")


def test_menu_is_numbered_and_indented_by_depth(units):
    lines = scaffold.numbered(units.tree())
    assert lines[0].strip().startswith("1. Sở Giao thông vận tải")
    child = next(line for line in lines if "(van-phong)" in line)
    assert child.split(". ", 1)[1].startswith("   Văn phòng Sở")


def test_ask_choice_retries_then_accepts(units):
    answers = iter(["Văn phong", "2"])
    shown: list[str] = []
    entry = scaffold.ask_choice(units, "? ", units.tree(), lambda _p: next(answers), shown.append)
    assert entry is units.tree()[1][0]
    assert any("có phải là" in line for line in shown)


def test_ask_choice_gives_up_after_three_wrong_answers(units):
    with pytest.raises(scaffold.ScaffoldError):
        scaffold.ask_choice(units, "? ", units.tree(), lambda _p: "xyz", lambda _l: None)


def _post(units, categories, **changes):
    fields = dict(
        title="Họp giao ban tháng 9",
        unit=units.resolve("Văn phòng Sở"),
        category=categories.resolve("Thông báo"),
        date=dt.datetime(2024, 9, 10, 8, 30, tzinfo=TZ),
        slug="hop-giao-ban-thang-9",
    )
    fields.update(changes)
    return scaffold.NewPost(**fields)


def test_file_goes_in_the_year_folder_with_a_dated_name(tmp_path, units, categories):
    path = scaffold.create(tmp_path, _post(units, categories, author="Nguyễn Thị Hoa"))
    assert path == tmp_path / "posts/2024/2024-09-10-hop-giao-ban-thang-9.md"
    text = path.read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0].splitlines()
    assert header == [  # YAML, the form Decap CMS opens; the date ISO so Decap reads it right
        "---",
        "title: Họp giao ban tháng 9",
        "date: 2024-09-10 08:30",
        "unit: Văn phòng Sở",
        "category: Thông báo",
        "slug: hop-giao-ban-thang-9",
        "author: Nguyễn Thị Hoa",
        "---",
    ]


def test_existing_file_is_never_overwritten(tmp_path, units, categories):
    path = scaffold.create(tmp_path, _post(units, categories))
    path.write_text("bài đã viết", encoding="utf-8")
    with pytest.raises(scaffold.ScaffoldError, match="không ghi đè"):
        scaffold.create(tmp_path, _post(units, categories, title="Khác"))
    assert path.read_text(encoding="utf-8") == "bài đã viết"


def test_now_is_vietnam_time():
    now = scaffold.now_local()
    assert now.utcoffset() == dt.timedelta(hours=7)
    assert abs(now - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=2)


def test_scaffolded_posts_build_cleanly(tiny_site, units, categories):
    """What `new` writes is accepted by the real build, draft and published alike."""
    content = tiny_site.content
    scaffold.create(content, _post(units, categories, summary="Tóm tắt."))
    scaffold.create(content, _post(units, categories, slug="ban-nhap-thu", draft=True))
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "WARNING" not in result.log
    assert (result.output / "2024/09/hop-giao-ban-thang-9/index.html").is_file()
    assert (result.output / "ban-nhap/ban-nhap-thu/index.html").is_file()


def _invoke(content: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORTAL_CONTENT": str(content)}
    return subprocess.run(
        [sys.executable, "-m", "invoke", "new", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    for name in ("units.yml", "categories.yml"):
        shutil.copy(ROOT / "content" / name, folder / name)
    return folder


def test_invoke_new_with_arguments(content):
    done = _invoke(
        content, "--title", "Đảm bảo giao thông dịp Tết", "--unit", "3", "--category", "Thông báo"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    today = scaffold.now_local()
    expected = content / f"posts/{today:%Y}/{today:%Y-%m-%d}-dam-bao-giao-thong-dip-tet.md"
    assert expected.is_file(), done.stdout
    assert "Đã tạo" in done.stdout
    text = expected.read_text(encoding="utf-8")
    assert f"date: {today:%Y-%m-%d}" in text
    assert "category: Thông báo" in text


def test_invoke_new_with_a_future_date_says_it_is_scheduled(content):
    done = _invoke(
        content, "--title", "Bài hẹn giờ", "--unit", "van-phong", "--category", "thong-bao",
        "--date", "01/01/2099 08:00",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (content / "posts/2099/2099-01-01-bai-hen-gio.md").is_file()
    assert "hẹn giờ" in done.stdout.lower()


def test_invoke_new_unknown_unit_fails_with_a_suggestion(content):
    done = _invoke(content, "--title", "Bài", "--unit", "Thanh tra So", "--category", "Thông báo")
    assert done.returncode == 1
    assert 'có phải là "Thanh tra Sở"?' in done.stdout + done.stderr
    assert not (content / "posts").exists()


def test_invoke_new_without_a_terminal_asks_for_missing_arguments(content):
    done = _invoke(content, "--unit", "van-phong", "--category", "thong-bao")
    assert done.returncode == 1
    assert "--title" in done.stdout + done.stderr


def test_invoke_new_refuses_to_overwrite(content):
    args = ("--title", "Trùng tên", "--unit", "van-phong", "--category", "thong-bao")
    assert _invoke(content, *args).returncode == 0
    again = _invoke(content, *args)
    assert again.returncode == 1
    assert "không ghi đè" in again.stdout + again.stderr
