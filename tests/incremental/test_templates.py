"""Compiled templates kept between builds: the same output, and never code compiled for
other syntax options (pure Jinja, a real cache folder)."""

import jinja2

from plugins.incremental.templates import TemplateCache, environment_key


def _env(folder, cache, **options):
    loader = jinja2.DictLoader({"page.html": "{% if x %}\n  <b>{{ x }}</b>\n{% endif %}\n"})
    return jinja2.Environment(loader=loader, bytecode_cache=TemplateCache(cache), **options)


def test_the_second_environment_loads_the_compiled_template_and_renders_the_same(tmp_path):
    first = _env(tmp_path, tmp_path / "c").get_template("page.html").render(x="Sở")
    assert list((tmp_path / "c").glob("*.jinja"))
    second_env = _env(tmp_path, tmp_path / "c")
    compiled = []
    second_env.compile = lambda *a, **k: (
        compiled.append(a) or jinja2.Environment.compile(second_env, *a, **k)
    )
    assert second_env.get_template("page.html").render(x="Sở") == first
    assert compiled == []  # loaded from the cache, not compiled


def test_other_syntax_options_never_load_code_compiled_for_the_first(tmp_path):
    plain = _env(tmp_path, tmp_path / "c").get_template("page.html").render(x="1")
    options = {"trim_blocks": True, "lstrip_blocks": True}
    trimmed = _env(tmp_path, tmp_path / "c", **options).get_template("page.html").render(x="1")
    uncached = _env(tmp_path, tmp_path / "fresh", **options).get_template("page.html")
    assert trimmed == uncached.render(x="1") != plain
    assert environment_key(jinja2.Environment()) != environment_key(
        jinja2.Environment(extensions=["jinja2.ext.i18n"])
    )
    assert environment_key(jinja2.Environment()) == environment_key(jinja2.Environment())
