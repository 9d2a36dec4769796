"""Signals the portal's plugins send to each other (Pelican's own are in pelican.plugins).

Receivers are called in the order they were connected, which is the order of ``PLUGINS``
(redirect pages are written after the search index and the counter's manifest are made).
Pelican makes blinker keep that order by setting ``Signal.set_class`` when
``pelican.plugins.signals`` is imported; a signal made before that keeps its receivers in
a plain set, ordered by memory address. ``invoke serve`` imports this module first
(tasks.py → portal_ops.deploy → plugins.build_stamp), so these signals say their order
themselves.
"""

from __future__ import annotations

from blinker import NamedSignal
from ordered_set import OrderedSet


class _OrderedSignal(NamedSignal):
    set_class = OrderedSet


def signal(name: str) -> _OrderedSignal:
    return _OrderedSignal(name)


#: Sent by the front-matter reader for every post or page it read, before the
#: content object is built. Receivers check and convert the fields they own
#: (``unit``, ``category``…) in ``metadata`` and report problems through ``report``.
#: kwargs: ``raw`` (field → value as typed), ``metadata`` (converted, mutable),
#: ``kind`` ("article" or "page"), ``settings``, ``report(field, message, hint="")``.
metadata_read = signal("portal-metadata-read")

#: Sent by the build guard once all content is read, before anything is written.
#: Receivers return a list of ``(save_as, description)`` for every file they will
#: write, so that collisions are found before the first file is written.
#: kwargs: ``generators``, ``settings``.
plan_outputs = signal("portal-plan-outputs")

#: Sent by the build guard after every file is written to the staging folder and before
#: it is swapped in place of the live output. Receivers may read the built site (checks,
#: search index) and add files to it; a receiver that records an error in the problem log
#: stops the publish. kwargs: ``output_path`` (the staging folder), ``settings``.
before_publish = signal("portal-before-publish")

#: Sent by the build guard right before ``before_publish``, once every page is in the
#: staging folder. A receiver with long work that runs in another process (Pagefind)
#: starts it here and returns an object with ``finish()`` and ``abandon()``: the guard
#: calls ``finish`` after the ``before_publish`` receivers ran (the checks run meanwhile)
#: and before the swap, or ``abandon`` if the build stops first. Until ``finish``, the
#: work leaves the staging folder as it is. kwargs: ``output_path`` (the staging
#: folder), ``settings``.
pages_ready = signal("portal-pages-ready")

#: Sent by the build guard right after the staging folder became the live output.
#: Receivers record what the published build was made of (the incremental build's
#: record must describe the live output, never a build that failed).
#: kwargs: ``output_path`` (the live output folder), ``settings``.
published = signal("portal-published")

#: Sent by the build engine when a build stops at the start because nothing it reads
#: changed since the live output was built: the live output is that build's. A plugin
#: whose records outside the output a later, failed build overwrote (the compliance
#: report) puts back those of the live output. kwargs: ``settings`` (every plugin's
#: defaults filled in: the settings are checked before the engine looks at its inputs).
unchanged = signal("portal-unchanged")

#: Sent by the build engine when it built by patching post bodies into the last build's
#: site model instead of running the generators (``plugins.incremental.patch``): the
#: staging folder holds the live site with the pages that show those posts rendered
#: again. A plugin whose own files depend on post bodies brings them up to date here
#: (nothing else changed: settings, theme, registries, dates, titles and places are the
#: last build's). kwargs: ``output_path`` (the staging folder), ``settings``,
#: ``context`` (the model's shared context: every post, as shown), ``posts`` (the
#: patched posts), ``pages`` (the output names rendered again), ``post_of`` (source
#: path → that post of the model, read when asked). A receiver that cannot
#: bring its files up to date this way returns False: the build then runs the full way.
posts_patched = signal("portal-posts-patched")
