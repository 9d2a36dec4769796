"""Every interface string of the theme is translated; a second language is a catalogue."""

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from plugins.theme_i18n.catalog import (
    CatalogError,
    cached_gettext,
    catalog_path,
    date_filters,
    load_translations,
)
from tests.conftest import ROOT

TRANSLATIONS = ROOT / "theme/translations"


def _template_msgids():
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "theme/templates"), method_map, options
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_template_string_is_translated(lang):
    with open(catalog_path(str(TRANSLATIONS), lang), "rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = _template_msgids() - translated
    assert not missing, f"{lang}: untranslated {sorted(missing)}"


def test_unknown_language_is_a_clear_error():
    with pytest.raises(CatalogError, match="no catalogue for language 'fr'"):
        load_translations(str(TRANSLATIONS), "fr")


def test_vietnamese_number_and_date_forms():
    import datetime as dt
    from zoneinfo import ZoneInfo

    filters = date_filters("vi")
    when = dt.datetime(2023, 9, 12, 13, 43, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert filters["datetime_vn"](when) == "12/09/2023 13:43"
    assert filters["date_vn"](when) == "12/09/2023"
    assert filters["number_vn"](278872) == "278.872"


def test_english_interface_is_a_setting_not_a_fork(tiny_site):
    tiny_site.post("a")
    tiny_site.settings('DEFAULT_LANG = "en"\n')
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    html = result.page("index.html")
    assert "Skip to main content" in html and "Truy cập nội dung luôn" not in html
    assert '<html lang="en"' in html


def test_cached_filters_give_what_babel_gives():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    filters = date_filters("vi")
    hcm, utc = ZoneInfo("Asia/Ho_Chi_Minh"), dt.UTC
    when = dt.datetime(2023, 9, 12, 13, 43, tzinfo=hcm)
    # the same instant in another zone, a naive value, a value that differs in seconds only
    values = [when, when.astimezone(utc), when.replace(tzinfo=None), when.replace(second=59)]
    for _ in range(2):  # second round: from the cache
        for value in values:
            expected = format_datetime(value, "dd/MM/yyyy HH:mm", tzinfo=value.tzinfo, locale="vi")
            assert filters["datetime_vn"](value) == expected
    assert filters["datetime_vn"](when.astimezone(utc)) == "12/09/2023 06:43"
    assert [filters["number_vn"](v) for v in (1000, 1000.5, 1000)] == ["1.000", "1.000,5", "1.000"]
    with pytest.raises(AttributeError):
        filters["datetime_vn"]("12/09/2023")  # not a date: the error Babel's call gives


def test_cached_gettext_gives_what_jinja_gives():
    from jinja2 import Environment

    def env(cached: bool) -> Environment:
        environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        environment.install_gettext_translations(
            load_translations(str(TRANSLATIONS), "vi"), newstyle=True
        )
        if cached:
            cached_gettext(environment)
        return environment

    source = (
        "{{ _('Home') }}|{{ _('Home') }}|{{ gettext('Search') }}|"
        "{{ _('© %(agency)s. When republishing information from this portal, please cite the"
        " source.', agency=agency) }}|"
        "{% trans %}Home{% endtrans %}|{% trans n=n %}{{ n }} posts{% endtrans %}|"
        "{% autoescape false %}{{ _('Scheduled for publication: %(when)s', when=when) }}"
        "{% endautoescape %}|{{ _('Scheduled for publication: %(when)s', when=when) }}|"
        "{% for x in [1, 2] %}{{ _('Home') }}{% endfor %}|{{ _('100%% sure') }}"
    )
    for variables in (
        {"agency": "Sở <GTVT> & Co", "n": 3, "when": "<b>"},
        {"agency": "Sở GTVT", "n": 4, "when": 5},
        {"agency": ["x"], "n": 3, "when": None},  # not plain: computed each time
    ):
        plain = env(False).from_string(source)
        cached = env(True).from_string(source)
        expected = plain.render(**variables)
        assert cached.render(**variables) == expected
        assert cached.render(**variables) == expected  # from the cache
    assert "&lt;GTVT&gt; &amp; Co" in env(True).from_string(source).render(
        agency="Sở <GTVT> & Co", n=1, when="x"
    )
