"""plugins/cms: what the build writes at /admin/ and the form it configures."""

from __future__ import annotations

import re

import pytest
import yaml

from plugins.categories.registry import load_categories
from plugins.cms.config import SETTINGS
from plugins.front_matter.fields import SAFE_SLUG_RE
from plugins.units.registry import load_units
from tests.conftest import ROOT

BUNDLE = ROOT / "node_modules/decap-cms/dist/decap-cms.js"
needs_bundle = pytest.mark.skipif(not BUNDLE.is_file(), reason="npm ci not run")


def _fields(config, collection):
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["fields"]}, found


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    from tests.conftest import TinySite

    site = TinySite(tmp_path_factory.mktemp("admin"))
    site.post("bai-thu")
    result = site.build()
    assert result.returncode == 0, result.log
    return result.output / "admin"


@needs_bundle
def test_admin_page_loads_only_files_of_the_site(admin):
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and 'content="noindex, nofollow"' in page
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources and all(not s.startswith(("http", "//")) for s in sources)
    assert "<script>" not in page  # no inline script: the CSP allows none
    for source in sources:
        assert (admin / source.split("?")[0]).is_file()
    assert (admin / "decap/decap-cms.js").stat().st_size > 1_000_000
    assert not list(admin.rglob("*.map"))  # 25 MB of source maps stay out


@needs_bundle
def test_pickers_are_the_registries_and_rules_are_the_builds(admin):
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "vi"
    fields, posts = _fields(config, "posts")
    units, _ = load_units(str(ROOT / "content/units.yml"))
    categories, _ = load_categories(str(ROOT / "content/categories.yml"))
    assert [o["value"] for o in fields["unit"]["options"]] == [e.name for e, _ in units.tree()]
    assert [o["value"] for o in fields["category"]["options"]] == [e.name for e in categories]
    for name in ("title", "date", "unit", "category", "body"):
        assert fields[name]["required"] is True, name
    assert fields["slug"]["pattern"][0] == SAFE_SLUG_RE.pattern
    assert fields["date"]["widget"] == "date"  # typed day-first, stored 2026-12-07 08:00
    assert posts["format"] == "yaml-frontmatter" and posts["folder"] == "content/posts"
    assert "images/" in posts["public_folder"] and posts["media_folder"].startswith(
        "/content/images/"
    )
    # The registries are read here, never editable through the CMS.
    folders = [c.get("folder") for c in config["collections"]]
    assert folders == ["content/posts", "content/pages"]
    # The local backend only on loopback, in the preview settings.
    assert config["local_backend"]["url"].startswith("http://127.0.0.1:")


@needs_bundle
def test_production_build_has_no_local_backend(tiny_site):
    tiny_site.post("bai-thu")
    tiny_site.settings("COMPLIANCE_FAIL_ON_ERROR = False\n", base="publishconf")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    config = yaml.safe_load((result.output / "admin/config.yml").read_text(encoding="utf-8"))
    assert "local_backend" not in config
    assert config["backend"]["name"] == "gitlab"


def test_without_npm_packages_the_site_still_builds(tiny_site, tmp_path):
    tiny_site.post("bai-thu")
    tiny_site.settings(f"CMS_BUNDLE_DIR = {str(tmp_path / 'khong-co')!r}\n")
    result = tiny_site.build()
    assert result.returncode == 0, result.log
    assert "npm ci" in result.log
    assert not (result.output / "admin").exists()


def test_a_public_decap_server_is_refused(tiny_site):
    tiny_site.post("bai-thu")
    tiny_site.settings('CMS_LOCAL_BACKEND = "http://0.0.0.0:8081/api/v1"\n')
    result = tiny_site.build()
    assert result.returncode != 0
    assert "CMS_LOCAL_BACKEND must be a loopback address" in result.log
    assert "Traceback" not in result.log


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"CMS_BACKEND": {"name": "svn", "repo": "a/b"}}, "CMS_BACKEND['name']"),
        ({"CMS_BACKEND": {"name": "gitlab"}}, "CMS_BACKEND['repo']"),
        ({"CMS_BACKEND": "gitlab"}, "must be a dict"),
        ({"CMS_SAVE_AS": "../admin"}, "CMS_SAVE_AS"),
    ],
)
def test_settings_errors_name_the_setting(settings, message):
    base = {"CMS_BACKEND": {"name": "gitlab", "repo": "a/b"}, "CMS_SAVE_AS": "admin"}
    errors = SETTINGS.apply({**base, **settings})
    assert errors and message in errors[0]
