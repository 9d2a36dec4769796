"""Real builds: a future post is held back in production and shown, marked, in the preview."""

from __future__ import annotations

import textwrap

import pytest

FUTURE = "01/01/2099 08:00"
PLUGIN = 'PLUGINS = [*PLUGINS, "plugins.scheduling"]\n'
# The snippet handed to the theme (see docs/operations.md); tested here through an override.
MARKER = (
    '{% if article.scheduled %}<p class="scheduled-notice" role="note">'
    '{{ _("Scheduled for publication: %(when)s", when=article.scheduled_at|datetime_vn) }}'
    "</p>{% endif %}"
)


def _site(tiny_site, base: str, extra: str = ""):
    overrides = tiny_site.base / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / "article.html").write_text(
        '{% extends "!theme/article.html" %}\n'
        "{% block content %}" + MARKER + "{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )
    tiny_site.settings(
        PLUGIN
        + f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\n"
        # A two-post site lacks the sections a portal must have; the gate has its own tests.
        + "COMPLIANCE_FAIL_ON_ERROR = False\n"
        + textwrap.dedent(extra),
        base=base,
    )
    tiny_site.post("da-dang", title="Bài đã đăng", Tags="giao thông")
    tiny_site.post(
        "hen-gio", title="Bài hẹn giờ", Date=FUTURE, Tags="hẹn giờ riêng", Category="Thông báo"
    )
    return tiny_site


def _all_text(output) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in output.rglob("*")
        if p.is_file() and p.suffix in {".html", ".xml", ".json", ".txt"}
    )


def test_publish_build_holds_the_future_post_back_everywhere(tiny_site):
    result = _site(tiny_site, "publishconf").build()
    assert result.returncode == 0, result.log
    assert (result.output / "2023/09/bai-da-dang/index.html").is_file()
    assert not (result.output / "2099").exists()
    everything = _all_text(result.output)
    assert "Bài đã đăng" in everything
    assert "Bài hẹn giờ" not in everything  # no list, archive, unit page or feed has it
    assert "bai-hen-gio" not in everything
    assert "hen-gio-rieng" not in everything  # nor its tag page
    assert not (result.output / "ban-nhap").exists()


def test_publish_mode_can_be_set_explicitly(tiny_site):
    site = _site(tiny_site, "pelicanconf", "SCHEDULING_PUBLISH_MODE = True\nDRAFT_SAVE_AS = ''\n")
    result = site.build()
    assert result.returncode == 0, result.log
    assert "Bài hẹn giờ" not in _all_text(result.output)


def test_preview_shows_the_future_post_marked(tiny_site):
    result = _site(tiny_site, "pelicanconf").build()
    assert result.returncode == 0, result.log
    page = result.page("2099/01/bai-hen-gio/")
    assert '<p class="scheduled-notice" role="note">' in page
    assert "01/01/2099 08:00" in page
    published = result.page("2023/09/bai-da-dang/")
    assert "scheduled-notice" not in published
    assert "bai-hen-gio" in result.page("index.html")


def test_the_post_appears_once_its_time_has_come(tiny_site):
    site = _site(tiny_site, "publishconf", "SCHEDULING_NOW = '2099-01-01T08:00'\n")
    result = site.build()
    assert result.returncode == 0, result.log
    page = result.page("2099/01/bai-hen-gio/")
    assert "scheduled-notice" not in page
    assert "bai-hen-gio" in (result.output / "rss/tat-ca.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["'yes'", "'ngày mai'"])
def test_bad_settings_stop_the_build(tiny_site, bad):
    name = "SCHEDULING_PUBLISH_MODE" if bad == "'yes'" else "SCHEDULING_NOW"
    tiny_site.settings(PLUGIN + f"{name} = {bad}\n")
    tiny_site.post("a")
    result = tiny_site.build()
    assert result.returncode == 1
    assert name in result.log
    assert "Traceback" not in result.log
