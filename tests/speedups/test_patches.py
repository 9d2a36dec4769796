"""plugins.speedups gives what Pelican 4.12's own methods give, on a tiny site and beyond."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plugins import speedups
from plugins.speedups.patches import in_order_of, pattern_fields
from tests.conftest import ROOT


def test_in_order_of_is_the_list_comprehension():
    rng = random.Random(7)
    items = [object() for _ in range(60)]
    for _ in range(200):
        sequence = [rng.choice(items) for _ in range(rng.randint(0, 80))]  # repeats too
        groups = [
            [rng.choice(items) for _ in range(rng.randint(0, 15))] for _ in range(rng.randint(0, 8))
        ]
        expected = [[x for x in sequence if x in group] for group in groups]
        assert in_order_of(sequence, groups) == expected


def test_in_order_of_falls_back_when_items_define_equality():
    sequence = ["a", "b", "a", "c"]
    groups = [["a"], ["c", "b"], []]
    assert in_order_of(sequence, groups) == [["a", "a"], ["b", "c"], []]


def test_pattern_fields():
    assert pattern_fields("{date:%Y}/{date:%m}/{slug}/") == {"date", "slug"}
    assert pattern_fields("{category}/{slug}.html") == {"category", "slug"}
    assert pattern_fields("{path}") == {"path"}
    assert pattern_fields("pages/{0}.html") is None
    assert pattern_fields("{}") is None
    assert pattern_fields("{date:{fmt}}") is None
    assert pattern_fields("{slug") is None
    assert pattern_fields("static") == frozenset()


def test_another_pelican_version_stops_the_build(monkeypatch, capsys):
    monkeypatch.setattr(speedups, "version", lambda _name: "4.13.0")
    with pytest.raises(SystemExit) as exc:
        speedups.register()
    assert exc.value.code == 1
    assert "written for Pelican 4.12.0 and this is Pelican 4.13.0" in capsys.readouterr().err


# Pelican's generators on a tiny site (vanilla Pelican, no plugins), in a child process so
# the patches never leak into this one: every list the patched methods give, compared with
# Pelican's own, by identity and order.
COMPARE = r"""
import json, sys
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import read_settings
from plugins.speedups import patches

path, output = sys.argv[1], sys.argv[2]
settings = read_settings(None, override={
    "PATH": path, "OUTPUT_PATH": output, "PLUGINS": [], "CACHE_CONTENT": False,
    "TIMEZONE": "Asia/Ho_Chi_Minh", "DEFAULT_LANG": "vi",
    "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html", "YEAR_ARCHIVE_URL": "{date:%Y}/",
    "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
    "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
    "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
    "DAY_ARCHIVE_URL": "{date:%Y}/{date:%m}/{date:%d}/",
    "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
    "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
    "ARTICLE_LANG_URL": "{lang}/{category}/{author}/{slug}.html",
    "ARTICLE_LANG_SAVE_AS": "{lang}/{category}/{author}/{slug}.html",
    "DRAFT_URL": "drafts/{path}",
    "DRAFT_SAVE_AS": "drafts/{path}",
    "PAGE_URL": "{slug}/", "PAGE_SAVE_AS": "{slug}/index.html",
    "DRAFT_PAGE_URL": "drafts/pages/{title}/", "DRAFT_PAGE_SAVE_AS": "x/{title}.html",
})
def run():
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={},
                   localsiteurl=settings["SITEURL"])
    common = dict(context=context, settings=settings, path=path, theme=settings["THEME"],
                  output_path=output)
    articles = ArticlesGenerator(**common)
    pages = PagesGenerator(**common)
    articles.generate_context()
    pages.generate_context()

    def key(obj):
        return obj.get_relative_source_path()

    def written(method):
        calls = []
        def write(name, template, context, **kw):
            calls.append([name, kw.get("url"), [key(a) for a in kw["articles"]],
                          [key(a) for a in kw["dates"]]])
        method(articles, write)
        return calls

    found = articles.period_archives
    periods = {g: [[list(a), [key(x) for x in a["articles"]], [key(x) for x in a["dates"]],
                    a["save_as"], a["url"], list(a["period"]), list(a["period_num"])]
                   for a in archives] for g, archives in found.items()}
    everything = (articles.articles + articles.translations + articles.drafts
                  + articles.drafts_translations + articles.hidden_articles + pages.pages
                  + pages.draft_pages + pages.hidden_pages)
    groups = [arts for _, arts in [*articles.tags.items(), *articles.categories,
                                   *articles.authors]]
    return {
        "tags": written(ArticlesGenerator.generate_tags),
        "categories": written(ArticlesGenerator.generate_categories),
        "authors": written(ArticlesGenerator.generate_authors),
        "periods": periods,
        "urls": [[key(c), c.url, c.save_as] for c in everything],
        "n": len(everything),
        "member_lists": [type(g).__name__ for g in groups],
    }

pelican_own = run()
patches.install()
ours = run()
patches.uninstall()
print(json.dumps({"pelican": pelican_own, "ours": ours}))
"""


def _post(folder: Path, name: str, **fields: str) -> None:
    body = fields.pop("body", "Nội dung.")
    header = "".join(f"{k}: {v}\n" for k, v in fields.items())
    (folder / f"{name}.md").write_text(header + "\n" + body + "\n", encoding="utf-8")


def test_same_lists_and_urls_as_pelican_on_a_tiny_site(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    rng = random.Random(3)
    tags = ["cầu", "đường", "bến xe", "Tết", "an toàn"]
    for i in range(40):
        fields = {
            "Title": f"Bài {i}",
            "Date": f"20{22 + i % 3}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(3):02d} "
            f"{rng.randrange(24):02d}:00",
            "Category": rng.choice(["Tin tức", "Thông báo", "Văn bản"]),
            "Tags": ", ".join(rng.sample(tags, rng.randint(0, 3))),
            "Author": rng.choice(["An", "Bình", "Chi"]),
            "Slug": f"bai-{i}",
        }
        if i % 13 == 5:
            fields["Status"] = "draft"
        if i % 17 == 3:
            fields["Status"] = "hidden"
        if i % 11 == 2:  # a translation of the post before
            fields.update(Lang="en", Slug=f"bai-{i - 1}")
        _post(content, f"bai-{i:02d}", **fields)
    _post(content / "pages", "gioi-thieu", Title="Giới thiệu")
    _post(content / "pages", "nhap", Title="Nháp", Status="draft")
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(COMPARE), str(content), str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    pelican, ours = result["pelican"], result["ours"]
    assert pelican["n"] >= 40
    assert set(pelican["member_lists"]) == {"list"} and set(ours["member_lists"]) == {"MemberList"}
    assert len(pelican["tags"]) == len(tags) and len(pelican["authors"]) == 3
    assert all(pelican["periods"][g] for g in ("year", "month", "day"))
    for part in ("tags", "categories", "authors", "periods", "urls"):
        assert ours[part] == pelican[part], part


def test_build_with_speedups_is_byte_identical(tiny_site):
    for i in range(12):
        tiny_site.post(
            f"bai-{i}",
            title=f"Bài {i}",
            Date=f"{1 + i:02d}/{1 + i % 3:02d}/202{i % 3}",
            Tags="cầu, đường" if i % 2 else "Tết",
            Author=f"Biên tập viên {i % 3}",
        )
    tiny_site.settings("SEARCH_INDEX = False\n")  # Pagefind's file names vary between runs
    plain = tiny_site.build()
    assert plain.returncode == 0, plain.log
    before = {
        p.relative_to(plain.output): p.read_bytes() for p in plain.output.rglob("*") if p.is_file()
    }
    tiny_site.settings('SEARCH_INDEX = False\nPLUGINS = PLUGINS + ["plugins.speedups"]\n')
    fast = tiny_site.build()
    assert fast.returncode == 0, fast.log
    after = {
        p.relative_to(fast.output): p.read_bytes() for p in fast.output.rglob("*") if p.is_file()
    }
    assert before.keys() == after.keys()
    stamped = {Path("sitemap.xml"), Path("counter-paths.json")}  # build time inside
    assert [name for name in before if name not in stamped and before[name] != after[name]] == []
