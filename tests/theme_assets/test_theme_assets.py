"""Theme CSS and JS under content-hashed names: the pages name the bytes they were built with."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from plugins.theme_assets.core import AssetError, collect, hashed_name, write
from tests.conftest import ROOT

COUNTER_WIDGET = ROOT / "counter/static/counter.js"  # plugins/visitor_counter publishes it
LINKED = re.compile(r'(?:href|src)="[^"]*?/(theme/[^"#]+)')


def test_a_hashed_name_carries_the_start_of_the_files_sha256():
    data = b"body{color:#000}"
    digest = hashlib.sha256(data).hexdigest()
    assert hashed_name("css/portal.css", data) == f"css/portal.{digest[:10]}.css"
    assert hashed_name("js/a.b.js", data) == f"js/a.b.{digest[:10]}.js"
    assert hashed_name("css/portal.css", data + b" ") != hashed_name("css/portal.css", data)


def test_collect_reads_what_pelican_copies_and_write_publishes_it(tmp_path):
    theme = tmp_path / "theme"
    (theme / "static/css").mkdir(parents=True)
    (theme / "static/css/site.css").write_text("a{}")
    (theme / "static/css/.#site.css").write_text("editor lock file")
    (theme / "extra.js").write_text("1")
    assets = collect(theme, ["static", "extra.js", "missing"], "theme", [".#*"])
    assert sorted(assets.names) == ["css/site.css", "extra.js"]
    url = assets.url("css/site.css")
    assert re.fullmatch(r"theme/css/site\.[0-9a-f]{10}\.css", url)
    with pytest.raises(AssetError, match=re.escape("no static file 'css/sit.css'")):
        assets.url("css/sit.css")
    written = write(assets, tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in written) == sorted(
        assets.outputs()
    )
    assert (tmp_path / "out" / url).read_text() == "a{}"
    assert write(assets, tmp_path / "out") == []  # same names, same bytes: nothing rewritten


def _linked_assets(output) -> set[str]:
    found = set()
    for page in output.rglob("*.html"):
        found |= {m for m in LINKED.findall(page.read_text(encoding="utf-8"))}
    return {name for name in found if name.endswith((".css", ".js", ".svg"))}


def _check(output, theme) -> set[str]:
    """Every theme file a page links to is hashed, published, and the theme's own bytes."""
    linked = _linked_assets(output)
    assert {"css", "js"} <= {name.rsplit(".", 1)[1] for name in linked}
    for name in linked:
        stem, digest, suffix = name.rsplit(".", 2)
        assert re.fullmatch(r"[0-9a-f]{10}", digest), f"{name} is not fingerprinted"
        data = (output / name).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:10] == digest
        logical = f"{stem.removeprefix('theme/')}.{suffix}"
        source = COUNTER_WIDGET if logical == "js/counter.js" else theme / "static" / logical
        assert data == source.read_bytes()
        assert (output / f"{stem}.{suffix}").read_bytes() == data  # the plain name stays
    return linked


@pytest.mark.slow
@pytest.mark.parametrize("incremental", [False, True])
def test_after_a_theme_change_pages_link_the_new_css(tiny_site, incremental):
    theme = tiny_site.base / "theme"
    shutil.copytree(ROOT / "theme", theme)
    tiny_site.post("a", title="Bài thử")
    tiny_site.settings(f"THEME = {str(theme)!r}\nINCREMENTAL_BUILD = {incremental}\n")
    first = tiny_site.build()
    assert first.returncode == 0, first.log
    before = _check(tiny_site.output, theme)
    css = theme / "static/css/portal.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.new-rule { color: red; }\n")
    second = tiny_site.build()
    assert second.returncode == 0, second.log
    after = _check(tiny_site.output, theme)
    changed = before ^ after
    assert len(changed) == 2 and {n.split(".")[0] for n in changed} == {"theme/css/portal"}
    assert ".new-rule" in next((tiny_site.output / n).read_text() for n in after - before)
    assert not (tiny_site.output / next(iter(before - after))).exists()  # the old one is gone
