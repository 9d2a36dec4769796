"""An importing site: the real registries in a tiny site, an import run as tasks.py runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_import.cli import Outcome, import_source, load_settings
from portal_import.importer import ImportOptions
from tests.conftest import ROOT, TinySite


class ImportSite(TinySite):
    """A tiny site plus the import's report folder and a mapping file."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.reports = base / "var" / "import"
        self.map_path = self.content / "import-map.yml"
        self._settings = load_settings(ROOT / "pelicanconf.py", self.content)

    def run(self, read, **flags) -> Outcome:
        options = ImportOptions(
            content=self.content,
            settings=self._settings,
            map_path=self.map_path,
            report_dir=self.reports,
            **flags,
        )
        return import_source(read, options)

    def posts(self) -> dict[str, str]:
        return {
            p.relative_to(self.content).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((self.content / "posts").rglob("*.md"))
        }

    def snapshot(self) -> dict[str, bytes]:
        """Every file under content/, for "nothing was written" checks."""
        return {
            p.relative_to(self.content).as_posix(): p.read_bytes()
            for p in sorted(self.content.rglob("*"))
            if p.is_file()
        }


@pytest.fixture(scope="session")
def imported(tmp_path_factory):
    """The generated NukeViet dump imported once into a tiny site, then built by Pelican."""
    from portal_import.nukeviet import read_nukeviet
    from tests.portal_import.fixtures import IMPORT_MAP, write_nukeviet

    base = tmp_path_factory.mktemp("nukeviet")
    dump, uploads = write_nukeviet(base / "old")
    site = ImportSite(base / "site")
    site.map_path.write_text(IMPORT_MAP, encoding="utf-8")
    outcome = site.run(lambda: read_nukeviet(dump, uploads))
    assert outcome.ok, outcome.error or outcome.report.stopped
    build = site.build()
    return site, outcome.report, build, dump, uploads


@pytest.fixture
def import_site(tmp_path) -> ImportSite:
    return ImportSite(tmp_path / "site")
