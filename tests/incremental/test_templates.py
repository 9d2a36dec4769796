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


def test_a_filter_that_starts_taking_the_context_changes_the_key():
    def shout(value):
        return str(value).upper()

    @jinja2.pass_context
    def shout_with_context(context, value):
        return str(value).upper()

    plain, with_context = jinja2.Environment(), jinja2.Environment()
    plain.filters["shout"] = shout
    with_context.filters["shout"] = shout_with_context
    assert environment_key(plain) != environment_key(with_context)
    assert environment_key(plain, "code A") != environment_key(plain, "code B")
