"""Linear time for two spots of Pelican 4.12 that cost more than they should.

Both give exactly what Pelican's own code gives (same lists, same order, same strings);
the tests compare them with Pelican's. They apply only to the Pelican version they were
written against: any other version stops the build with a clear message (check
``patches.py`` against the new version, then update ``PELICAN_VERSION``).

1. ``ArticlesGenerator`` builds each tag's, category's and author's ``dates`` with
   ``[a for a in self.dates if a in articles]`` and each period archive's ``articles`` with
   ``[a for a in articles if a in dates]``: list membership, about N² per build. Here the
   groups are lists whose ``in`` is a set lookup (:class:`patches.MemberList`), and the
   period archives' ``articles`` come from one pass. ``docs/upstream.md`` is the pull
   request that would make this part unneeded.
2. ``Content.url`` / ``save_as`` (read some 25 times per article per build) call
   ``url_format``, which copies the metadata and runs ``os.path.relpath`` every time, even
   when the pattern (``{date:%Y}/{date:%m}/{slug}/``) uses neither. A pattern made only of
   values ``url_format`` computes itself (slug, date, lang, author, category) is formatted
   from those values directly; any other pattern goes the original way.

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
            f"{found}: compare ArticlesGenerator.generate_context (where it fills tags, "
            "categories and authors), _build_period_archives and Content._expand_settings "
            "with plugins/speedups/patches.py, then update PELICAN_VERSION there (or remove "
            "plugins.speedups from PLUGINS)."
        )
    install()
