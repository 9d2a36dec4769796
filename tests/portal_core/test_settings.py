"""The settings schema: defaults, one Vietnamese line per bad value, receivers that stay
connected, and docs/settings.md kept in step with the schemas."""

from __future__ import annotations

import gc
import runpy

import pytest
from pelican.plugins import signals as pelican_signals

from plugins.portal_core import signals
from plugins.portal_core.settings import (
    Option,
    Plugin,
    Settings,
    choice,
    flag,
    folder,
    number,
    strings,
    text,
)
from tests.conftest import ROOT

SCHEMA = Settings(
    DEMO_ON=flag(True, "on or off"),
    DEMO_COUNT=number(5, "how many", low=1, high=9),
    DEMO_NAME=text("a", "a name", blank=False),
    DEMO_LIST=strings(["x"], "some names"),
    DEMO_DIR=folder("cache/demo", "a folder"),
    DEMO_PACK=choice("43/2011", "a pack", ("43/2011", "42/2022")),
    DEMO_FROM=text(lambda s: s.get("BASE", "b") + "/c", "from BASE", shown='BASE + "/c"'),
)


def test_defaults_fill_only_what_is_missing_and_are_never_shared():
    first = {"DEMO_COUNT": 7, "BASE": "z"}
    assert SCHEMA.apply(first) == []
    assert first["DEMO_COUNT"] == 7 and first["DEMO_ON"] is True and first["DEMO_FROM"] == "z/c"
    first["DEMO_LIST"].append("y")
    second: dict = {}
    SCHEMA.apply(second)
    assert second["DEMO_LIST"] == ["x"] and second["DEMO_FROM"] == "b/c"


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("DEMO_ON", "yes", "cần True hoặc False"),
        ("DEMO_COUNT", 0, "cần một số nguyên từ 1 đến 9"),
        ("DEMO_COUNT", True, "cần một số nguyên từ 1 đến 9"),
        ("DEMO_NAME", " ", "cần một chuỗi ký tự khác rỗng"),
        ("DEMO_LIST", "x", "cần một danh sách chuỗi"),
        ("DEMO_DIR", "", 'cần một đường dẫn thư mục, ví dụ "cache/demo"'),
        ("DEMO_PACK", "43", "cần một trong '43/2011', '42/2022'"),
    ],
)
def test_a_bad_value_gets_one_line_naming_setting_value_and_what_is_expected(name, value, expected):
    (line,) = SCHEMA.apply({name: value})
    assert line.startswith(f"{name} = {value!r} không dùng được: ") and expected in line


def test_an_option_may_keep_its_own_wording_or_say_which_fault_it_has():
    schema = Settings(
        OLD=number(1, "kept wording", message="{name} must be a whole number, not {value!r}."),
        MANY=Option(0, "several faults", valid=lambda v, s: True if v == 0 else f"MANY: {v} ≠ 0"),
    )
    assert schema.apply({"OLD": -1, "MANY": 3}) == [
        "OLD must be a whole number, not -1.",
        "MANY: 3 ≠ 0",
    ]


def test_check_stops_the_build_with_every_bad_setting(capsys):
    with pytest.raises(SystemExit) as stop:
        SCHEMA.check({"DEMO_ON": 1, "DEMO_COUNT": 10})
    assert stop.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("pelicanconf.py: DEMO_ON = 1 không dùng được")
    assert "pelicanconf.py: DEMO_COUNT = 10 không dùng được" in err[0]


class _Probe(Plugin):
    """A plugin whose receiver is a bound method of an object nothing else holds."""

    def plan_outputs(self, sender, generators, settings):
        return [("probe.html", "probe")]


def test_a_real_build_names_every_bad_setting_of_every_plugin_at_once(tiny_site):
    tiny_site.post("a")
    tiny_site.settings('FEEDS_MAX_ITEMS = -3\nSEARCH_INDEX = "có"\nUNITS_FILE = 5\n')
    result = tiny_site.build()
    assert result.returncode == 1
    for line in (
        "FEEDS_MAX_ITEMS = -3 không dùng được",
        "SEARCH_INDEX = 'có' không dùng được: cần True hoặc False",
        "UNITS_FILE = 5 không dùng được",
    ):
        assert f"pelicanconf.py: {line}" in result.log
    assert "Traceback" not in result.log
    assert not tiny_site.output.exists()


def test_a_misspelt_setting_stops_the_build_naming_the_one_meant(tiny_site):
    tiny_site.post("a")
    tiny_site.settings("COMPLIANCE_FAIL_ON_ERORR = True\n", base="publishconf")
    result = tiny_site.build()
    assert result.returncode == 1
    assert (
        "pelicanconf.py: không có cài đặt COMPLIANCE_FAIL_ON_ERORR: "
        "có phải là COMPLIANCE_FAIL_ON_ERROR?" in result.log
    )
    assert "Traceback" not in result.log


def test_receivers_stay_connected_once_however_often_a_plugin_registers():
    _Probe.register()
    _Probe.register()
    gc.collect()  # blinker holds receivers weakly by default: they must survive this
    try:
        answers = [r for _, r in signals.plan_outputs.send(None, generators=[], settings={})]
        assert answers.count([("probe.html", "probe")]) == 1
    finally:
        for signal in (signals.plan_outputs, pelican_signals.initialized):
            for receiver in list(signal.receivers_for(None)):
                if isinstance(getattr(receiver, "__self__", None), _Probe):
                    signal.disconnect(receiver)


def test_every_plugins_receivers_run_in_a_real_build(sample_build):
    """Each file here is written by a receiver method of one plugin object."""
    output = sample_build.output
    for made_by_receiver in [
        "rss/tat-ca.xml",  # Feeds.get_generators
        "tim-kiem/index.html",  # Search.get_generators
        "pagefind/bundles.json",  # Search.before_publish
        "counter-paths.json",  # VisitorCounter.before_publish
        ".portal-build.json",  # BuildStamp.before_publish
        ".redirects.map",  # Redirects.before_publish
        "admin/config.yml",  # Cms.before_publish
    ]:
        assert (output / made_by_receiver).is_file(), made_by_receiver
    assert list((output / "theme" / "css").glob("portal.*.css"))  # ThemeAssets
    assert list((output / "images").rglob("*.webp"))  # Images.static_generator_finalized
    assert "Truy cập nội dung luôn" in sample_build.page("index.html")  # ThemeI18n


def test_docs_settings_page_matches_the_schemas():
    script = runpy.run_path(str(ROOT / "scripts" / "settings_table.py"))
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == script["settings_page"](), "run: .venv/bin/python scripts/settings_table.py"
