"""Write docs/settings.md from every plugin's settings schema (plugins/portal_core/settings.py).

    .venv/bin/python scripts/settings_table.py

tests/portal_core/test_settings.py fails when the page differs from what this writes.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "settings.md"


def settings_page() -> str:
    """The page, from the plugins' classes (every package under plugins/ is imported)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from plugins.portal_core.settings import Plugin, docs_page

    for folder in sorted((ROOT / "plugins").iterdir()):
        if (folder / "__init__.py").is_file():
            importlib.import_module(f"plugins.{folder.name}")
    return docs_page([p for p in Plugin.__subclasses__() if p.settings.options])


if __name__ == "__main__":
    PAGE.write_text(settings_page(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
