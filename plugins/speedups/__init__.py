"""Linear-time replacements for two spots of Pelican 4.12 that cost more than they should.

Both give exactly what Pelican's own code gives (same lists, same order, same strings); the
tests compare them with Pelican's methods. They patch Pelican's classes when the plugin is
registered, and only for the Pelican version they were written against: any other version
stops the build with a clear message (check the code below against the new version, then
update ``PELICAN_VERSION``).

1. ``ArticlesGenerator`` builds each tag's, category's and author's ``dates`` with
   ``[a for a in self.dates if a in articles]`` and each year's and month's ``articles`` with
   ``[a for a in articles if a in dates]``: list membership, N × group size per group, so
   about N² per build (authors too, although ``AUTHOR_SAVE_AS = ""`` writes no author page).
   Here the same lists come from one pass over ``self.dates`` (or ``articles``) with a table
   from each article to its groups.
2. ``Content.url`` / ``save_as`` (read some 25 times per article per build) call
   ``url_format``, which copies the metadata and runs ``os.path.relpath`` on the source path
   every time, even when the pattern (``{date:%Y}/{date:%m}/{slug}/``) uses neither. Here,
   when every field of the pattern is one of the values ``url_format`` computes itself
   (slug, date, lang, author, category), the pattern is formatted from those values
   directly; any other pattern goes the original way.

Settings: none. PLUGINS entry: ``"plugins.speedups"`` (anywhere in the list).
"""

from __future__ import annotations

from importlib.metadata import version

from .patches import PELICAN_VERSION, install


def register() -> None:
    found = version("pelican")
    if found != PELICAN_VERSION:
        from plugins.portal_core.failure import fail

        fail(
            f"plugins.speedups was written for Pelican {PELICAN_VERSION} and this is Pelican "
            f"{found}: compare ArticlesGenerator.generate_tags/categories/authors, "
            "_build_period_archives and Content.url_format with the copies in "
            "plugins/speedups/patches.py, then update PELICAN_VERSION there (or remove "
            "plugins.speedups from PLUGINS)."
        )
    install()
