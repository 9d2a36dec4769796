"""Pelican's writer, made to skip pages whose inputs did not change and to paginate stably.

``write_file`` follows Pelican 4.12's ``Writer.write_file`` step for step (same
signals, same overwrite rules); the differences are the paginator (``paging``) and,
before rendering a page, the question "did anything this page read last time
change?". The names a page read are recorded while it renders (``TrackingContext``);
when their values have the same digests as last time, the previous file is hard-linked
into the staging folder instead of being rendered again.
"""

from __future__ import annotations

import logging
import os

from jinja2.runtime import Context
from pelican import signals
from pelican.utils import path_to_url, sanitised_join
from pelican.writers import Writer

from . import paging

logger = logging.getLogger(__name__)

_MISSING = object()


class TrackingContext(Context):
    """A Jinja context that notes every name a template looks up in it."""

    recorder: set[str] | None = None  # set by the writer around one render

    def resolve_or_missing(self, key: str):
        recorder = TrackingContext.recorder
        if recorder is not None:
            recorder.add(key)
        return super().resolve_or_missing(key)


class IncrementalWriter(Writer):
    session = None  # the build's ``Session`` (set by the plugin), or None: plain Pelican

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if name is False or name == "" or not name:
            return

        def localcontext_for(page_name, page_kwargs):
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(_relative_path(page_name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = page_name
            localcontext.update(page_kwargs)
            return localcontext

        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}

        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name]
                or self.settings["DEFAULT_PAGINATION"]
            )
            listings = {
                key: paging.paginate(
                    name, url, values, per_page, self.settings["PAGINATION_PATTERNS"]
                )
                for key, values in paginated.items()
            }
            page_count = len(next(iter(listings.values()))[1])
            for index in range(page_count):
                page_kwargs = kwargs.copy()
                for key, (paginator, pages) in listings.items():
                    page = pages[index]
                    page_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": pages[index - 1] if index > 0 else None,
                            f"{key}_next_page": pages[index + 1]
                            if index + 1 < page_count
                            else None,
                        }
                    )
                page_name = page.save_as
                self._emit(
                    template,
                    context,
                    localcontext_for(page_name, page_kwargs),
                    page_name,
                    override_output,
                )
        else:
            self._emit(template, context, localcontext_for(name, kwargs), name, override_output)

    def _emit(self, template, context, localcontext, name, override) -> None:
        """Render and write one page, or link last build's file when nothing it read changed."""
        if localcontext["localsiteurl"]:
            context["localsiteurl"] = localcontext["localsiteurl"]
        path = sanitised_join(self.output_path, name)
        session = self.session
        fresh = path not in self._written_files and path not in self._overridden_files
        if session is not None and fresh and session.reuse(name, template, localcontext, path):
            if override:
                self._overridden_files.add(path)
            self._written_files.add(path)
            logger.debug('Unchanged, linked "%s"', path)
            signals.content_written.send(path, context=localcontext)
            return

        _track(template)
        recorded: set[str] = set()
        TrackingContext.recorder = recorded
        try:
            output = template.render(localcontext)
        finally:
            TrackingContext.recorder = None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with self._open_w(path, "utf-8", override=override) as f:
            f.write(output)
        logger.info('Writing "%s"', path)
        if session is not None and path != os.devnull:
            session.record(name, template, localcontext, recorded, path)
        signals.content_written.send(path, context=localcontext)


def _track(template) -> None:
    environment = template.environment
    if environment.context_class is not TrackingContext:
        if environment.context_class is not Context:
            raise RuntimeError(
                "plugins.incremental: the Jinja environment already has its own context "
                f"class ({environment.context_class!r}); the two cannot be combined."
            )
        environment.context_class = TrackingContext


def _relative_path(name: str) -> str:
    from pelican.utils import get_relative_path

    return get_relative_path(name)
