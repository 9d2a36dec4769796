"""The live preview: Pelican resident in one process, the site model in its memory.

``invoke serve`` runs this. On a save, the saved post's own page is rendered first, from
the last build's site (its neighbours, related posts, menus), written into the live
folder and the browser told to reload: a fraction of a second, whatever the site's size.
Then the incremental build renders everything else the change affects and publishes it
atomically, and the browser reloads again. A new post is shown first too, without its
previous, next and related posts (the build adds them), unless its address is taken (the
first post of a new year as well: the watcher reports its new folder, ``saved_posts``). A
post that moved, a post with photos, one with a link only a plugin resolves
(``{van-ban}…``) or one with an error waits for that build; a build that fails leaves the
last good site up. A change to the settings or the plugins' code restarts the process (the
code running must be the code on disk); a theme change is an ordinary build.

The browser learns of a reload through server-sent events on the preview's own port
(``/__live/events``): one script tag is added to each HTML page served, nothing is added
to the files. Standard library HTTP server and ``watchfiles`` (a Pelican dependency).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from itertools import chain
from pathlib import Path
from typing import Any

from plugins.portal_core.files import write_atomic

logger = logging.getLogger(__name__)

EVENTS = "/__live/events"
SCRIPT = "/__live/reload.js"
RELOAD_JS = (
    f'(() => {{ const events = new EventSource("{EVENTS}");'
    ' events.onmessage = (e) => { if (e.data === "reload") location.reload(); }; })();\n'
).encode()
_TAG = f'<script src="{SCRIPT}" defer></script>'.encode()


class Restart(Exception):
    """The settings or the plugins' code changed: start a new process."""


class ReloadHub:
    """Tells every open page to reload: a counter the event streams wait on."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0

    def notify(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return self.version


def make_server(host: str, port: int, root: Path, hub: ReloadHub) -> ThreadingHTTPServer:
    """An HTTP server for ``root`` (looked up on every request: the folder is swapped)."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format, *args):  # the standard signature
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self):
            if self.path == EVENTS:
                return self._events()
            if self.path == SCRIPT:
                return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS)
            path = self.translate_path(self.path)
            if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
                path = os.path.join(path, "index.html")
            if path.endswith(".html") and os.path.isfile(path):
                return self._page(path, 200)
            if not os.path.exists(path) and os.path.isfile(root / "404.html"):
                return self._page(str(root / "404.html"), 404)
            return super().do_GET()

        def _page(self, path: str, status: int):
            with open(path, "rb") as handle:
                body = handle.read()
            at = body.rfind(b"</body>")
            body = body[:at] + _TAG + body[at:] if at >= 0 else body + _TAG
            self._send(status, "text/html; charset=utf-8", body)

        def _send(self, status: int, kind: str, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = hub.version
            try:
                while True:
                    now = hub.wait(seen, 15)
                    self.wfile.write(b"data: reload\n\n" if now != seen else b": ping\n\n")
                    self.wfile.flush()
                    seen = now
            except OSError:  # the page went away
                return

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


class ResidentSite:
    """One ``Pelican`` kept between builds; its last build's generators, for first renders."""

    def __init__(self, settings_file: str, output: Path, overrides: dict) -> None:
        from pelican import Pelican, signals
        from pelican.settings import read_settings

        settings = read_settings(
            settings_file,
            override={**overrides, "OUTPUT_PATH": str(output), "PORTAL_LIVE_PREVIEW": True},
        )
        self.output = Path(output)
        self.generators: list = []
        signals.all_generators_finalized.connect(self._remember)
        self.pelican = Pelican(settings)

    def _remember(self, generators) -> None:
        self.generators = list(generators)

    def build(self) -> bool:
        """One incremental build in this process; False when it stopped on an error (the
        build guard has said why and left the live folder as it was)."""
        try:
            self.pelican.run()
        except SystemExit as stop:
            return stop.code in (0, None)
        except Exception:  # a plugin's bug: say so, keep serving the last good site
            traceback.print_exc()
            return False
        return True

    def render_first(self, path: Path) -> bool:
        """Render a saved post's own page into the live folder, from the last build's site;
        False when the post must wait for the build (moved, photos, an error, a new post
        whose address is taken)."""
        from pelican.contents import Article

        from plugins.portal_core import problems

        articles = next((g for g in self.generators if hasattr(g, "drafts")), None)
        if articles is None:
            return False
        source = os.path.abspath(path)
        old = next(
            (
                a
                for a in chain(articles.articles, articles.drafts, articles.hidden_articles)
                if os.path.abspath(a.source_path) == source
            ),
            None,
        )
        if old is None and not self._may_be_new(articles, source):
            return False
        log = problems.current()
        errors = len(log.errors)
        try:
            new = articles.readers.read_file(
                base_path=articles.path,
                path=os.path.relpath(source, articles.path),
                content_class=Article,
                context=articles.context,
            )
        except Exception:  # the build reports it
            return False
        if (
            len(problems.current().errors) > errors
            or not new.is_valid()
            or (old is not None and new.save_as != old.save_as)
            or "<img" in (new._content or "")
            or _plugin_links(new)
        ):
            return False
        if old is None:
            # a new post: its page without neighbours or related posts (the build adds
            # them), and only where the site has no file: a post whose address another
            # page has waits for the build, which reports it
            if not new.save_as or (self.output / new.save_as).exists():
                return False
        else:
            for name, value in vars(old).items():  # what plugins added: related posts
                vars(new).setdefault(name, value)
        context = articles.context
        page = context.copy()
        page.update(
            output_file=new.save_as,
            localsiteurl=context.get("localsiteurl"),
            article=new,
            category=getattr(new, "category", None),
            url=new.url,
            blog=True,
        )
        try:
            html = articles.get_template(new.template).render(page)
        except Exception:  # the build renders it, and says what is wrong
            return False
        _replace(self.output / new.save_as, html)
        return True

    def _may_be_new(self, articles, source: str) -> bool:
        """Whether ``source`` is a new post the first render may show: a Markdown file in
        the posts' folders (``ARTICLE_PATHS``), none of the site's pages' folders."""
        settings = articles.settings
        under = [os.path.join(articles.path, p) for p in settings.get("ARTICLE_PATHS") or [""]]
        pages = [os.path.join(articles.path, p) for p in settings.get("PAGE_PATHS") or []]
        return any(source.startswith(os.path.join(p, "")) for p in under) and not any(
            source.startswith(os.path.join(p, "")) for p in pages
        )


#: link indicators Pelican resolves itself (``{filename}``, ``{static}``…)
_PELICAN_LINKS = frozenset({"filename", "static", "attach", "category", "tag", "index", "author"})


def saved_posts(changes: Iterable[tuple[Any, str]], content: Path) -> list[Path]:
    """The Markdown files under ``content`` that ``changes`` (``watchfiles``' (change,
    path) pairs) saved, in order. A folder added (the first post of a new year) is
    reported alone, not the files written into it at once: those are taken from it."""
    import watchfiles

    root = Path(content).resolve()
    found: set[Path] = set()
    for change, name in changes:
        path = Path(name).resolve()
        if change == watchfiles.Change.added and path.is_dir() and root in path.parents:
            found.update(p.resolve() for p in path.rglob("*.md"))
        else:
            found.add(path)
    return [p for p in sorted(found) if p.suffix == ".md" and p.is_file() and root in p.parents]


def _plugin_links(post) -> bool:
    """Whether the post has links a plugin makes real during the build (the documents
    plugin turns ``{van-ban}NUMBER`` into a document's address): rendered alone they
    would stay unresolved."""
    text = post._content or ""
    if "{" not in text and "|" not in text:
        return False
    return any(
        match.group("what") not in _PELICAN_LINKS
        for match in post._get_intrasite_link_regex().finditer(text)
    )


def _replace(path: Path, text: str) -> None:
    """Write through a new file (the old one may be a hard link shared with a release)."""
    write_atomic(path, text)


def watch(
    site: ResidentSite,
    hub: ReloadHub,
    content: Path,
    restart_on: Iterable[Path],
    other: Iterable[Path],
    ignored: Callable[[str], bool],
    report: Callable[[bool, float], None],
    stop: threading.Event | None = None,
) -> None:
    """Build on every change until ``stop``; raise ``Restart`` when code or settings change."""
    import watchfiles

    restart_on = [Path(p).resolve() for p in restart_on]
    watched = [p for p in (content, *restart_on, *other) if Path(p).exists()]

    def wanted(change, path: str) -> bool:
        return not ignored(path) and "__pycache__" not in path

    for changes in watchfiles.watch(
        *watched, watch_filter=wanted, debounce=50, step=20, stop_event=stop
    ):
        paths = {Path(p).resolve() for _, p in changes}
        if any(p == r or r in p.parents for p in paths for r in restart_on):
            raise Restart
        started = time.monotonic()
        if any([site.render_first(p) for p in saved_posts(changes, content)]):
            hub.notify()
            print(
                f"Đã hiển thị bài vừa lưu ({time.monotonic() - started:.2f} giây); "
                "đang dựng các trang liên quan…",
                flush=True,
            )
        ok = site.build()
        if ok:
            hub.notify()
        report(ok, time.monotonic() - started)


def main(argv: list[str] | None = None) -> None:
    """``python -m plugins.incremental.live SETTINGS OUTPUT PORT``: the preview without the
    counter service or restarts (bench/build_speed.py's "preview" scenario)."""
    import sys

    settings, output, port = argv or sys.argv[1:]
    started = time.monotonic()
    site = ResidentSite(settings, Path(output), {})

    def report(ok: bool, seconds: float) -> None:
        print(f"Dựng lại {'xong' if ok else 'KHÔNG THÀNH CÔNG'} ({seconds:.2f} giây).", flush=True)

    report(site.build(), time.monotonic() - started)
    hub = ReloadHub()
    server = make_server("127.0.0.1", int(port), Path(output), hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("Sẵn sàng.", flush=True)
    content = Path(site.pelican.settings["PATH"])
    watch(site, hub, content, [], [], lambda path: False, report)


if __name__ == "__main__":
    main()
