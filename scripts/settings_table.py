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


INTRO = """# Settings of the portal's plugins

Written by `.venv/bin/python scripts/settings_table.py` from each plugin's `settings`
(`plugins/portal_core/settings.py`); tests/portal_core/test_settings.py fails when this
page is older than the code. Set any of these in `pelicanconf.py` (or `publishconf.py` for
production); a value that cannot be used stops the build at start-up with one line naming
the setting, the value and what is expected.
"""


def settings_page() -> str:
    """The page, from the plugins' classes (every package under plugins/ is imported)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from plugins.portal_core.settings import Plugin

    for folder in sorted((ROOT / "plugins").iterdir()):
        if (folder / "__init__.py").is_file():
            importlib.import_module(f"plugins.{folder.name}")
    parts = [INTRO]
    for plugin in sorted(Plugin.__subclasses__(), key=lambda p: p.__module__):
        if not plugin.settings.options:
            continue
        summary = (plugin.__doc__ or "").strip().splitlines()[0]
        parts += [f"## `{plugin.__module__}`", "", summary, ""]
        parts += ["| Setting | Default | Meaning |", "| --- | --- | --- |"]
        for name, option in plugin.settings.options.items():
            parts.append(f"| `{name}` | `{option.shown or repr(option.default)}` | {option.doc} |")
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    PAGE.write_text(settings_page(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
