"""What each page declares it shows, reduced to one key per page.

A page's inputs are declared by the kind of page, not observed while it renders:

* **every page**: the build's global key (settings, theme, plugin code, libraries) and the
  site-wide values of the context that hold no post (menus, registries, counter figures,
  feed lists…);
* **a post's own page** (``article.html``): that post, and the posts it links to (related
  posts, older and newer post) by their own fields only;
* **a page that shows what it is given** (the listings of one collection: ``category``,
  ``tag``, ``unit``, ``author``, ``period_archives``; the register of documents and a
  document's page, which also show the register's filter lists, ``SHOWN_COLLECTIONS``):
  everything the writer gives it, posts by their own fields; on a
  listing's pages other than the first (paginated, ``*_page``) only the posts of its
  slice and its place in the listing, as older pages show nothing else;
* **the list of all posts** (``index``): its older pages like a listing's; its first
  page is the front page, which shows each section's newest posts: as below;
* **any other page** (the front page, the indexes of sections, units, tags and archives,
  fixed pages, which carry the newest post's date when they have none, plugin pages):
  everything it is given and every collection of posts in the site.

A post's *own* version is its source key (``posts``: its file and everything reading
depends on) plus whatever plugins changed on it after reading (scheduling, photos);
its *full* version adds the own versions of the posts it links to. Values that are not
posts are digested by ``signature.Signer`` once per build.

``tests/incremental/test_declarations.py`` renders the sample site with a context that
notes every name each page looks up and checks the declarations cover them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pelican.contents import Content

from . import paging
from .signature import Signer

#: templates that show one post, and templates that show what the writer gives them: the
#: others show the whole site
POST_TEMPLATES = frozenset({"article"})
LISTING_TEMPLATES = frozenset(
    {
        "category",
        "tag",
        "unit",
        "author",
        "period_archives",
        "index",
        "documents",  # plugins/documents: the register and its filter pages
        "document",  # plugins/documents: one document, its replacements and related news
    }
)
#: collections of the site that a template shows besides what it is given, by name in the
#: context (the register's filter lists on every page of the register)
SHOWN_COLLECTIONS = {
    "documents": ("documents_register",),
    "document": ("documents_register",),
}
#: context values that are collections whether or not they hold a post (the register:
#: shown by the front page and the register's own pages, never by a post's page)
COLLECTION_NAMES = frozenset({"documents_register", "documents_latest"})
#: templates that show no post's body or summary (titles, addresses, dates and counts
#: only): a change of bodies alone leaves their pages as they are (``patch``)
BODY_BLIND_TEMPLATES = frozenset(
    {"sitemap_page", "archives", "tags", "categories", "404", "search", "feeds", "page"}
)
#: listings whose first page shows the whole site
FRONT_TEMPLATES = frozenset({"index"})
#: what Pelican gives every listing and post page but the theme never shows (the whole
#: site's posts, ``all_articles``): checked by tests/incremental/test_declarations.py
NOT_SHOWN_KWARGS = frozenset({"all_articles"})
#: how deep a value is searched for posts
_SCAN_DEPTH = 4
#: how deep a page's inputs are searched for the posts it shows (the signer digests posts
#: at any depth; no value of the site nests them deeper than this)
_INPUT_DEPTH = 8
#: attributes that are Pelican's own back-references, never shown
_NOT_SHOWN = frozenset({"_context", "settings"})


class Declarations:
    """Digests of declared inputs, each computed once per build."""

    def __init__(self, signer: Signer, store) -> None:
        self.signer = signer
        self.store = store  # ``posts.PostStore`` (source keys), or None
        self._own: dict[int, tuple[Any, bytes]] = {}
        self._full: dict[int, tuple[Any, bytes]] = {}
        # id(context) -> (context, digest): Pelican gives some pages a copy of the context
        self._site: dict[int, tuple[dict, bytes]] = {}
        self._collections: dict[int, tuple[dict, bytes]] = {}
        self._values: dict[int, tuple[Any, tuple[str, bytes]]] = {}
        self._holds: dict[tuple[int, int], tuple[Any, bool]] = {}
        self._posts_in: dict[tuple[int, int], tuple[Any, frozenset[str]]] = {}
        self.posts: dict[str, Content] = {}  # source path -> every post a page shows

    # -- posts -------------------------------------------------------------------------------

    def own(self, post) -> bytes:
        memo = self._own.get(id(post))
        if memo is not None and memo[0] is post:
            return memo[1]
        h = hashlib.blake2b(digest_size=16)
        h.update(type(post).__name__.encode())
        known = self.store.key_of(post) if self.store is not None else None
        fields = vars(post)
        if known is None:  # not from the store: every field
            changed = [k for k in fields if k not in _NOT_SHOWN]
        else:
            key, as_read = known
            h.update(key.encode())
            changed = [k for k, v in fields.items() if as_read.get(k) != id(v)]
        for name in sorted(changed):
            value = fields[name]
            if _is_link(value):
                continue  # a linked post: part of the full version only
            h.update(name.encode())
            h.update(self.signer.sign(value))
        if "{" in (fields.get("_content") or ""):
            # links to other posts ({filename}…) are resolved when shown: their addresses
            try:
                h.update(self.signer.sign(str(post.content)))
            except Exception:  # a broken link: rendered (and reported) anyway
                h.update(self.signer.sign(object()))
        digest = h.digest()
        self._own[id(post)] = (post, digest)
        return digest

    def full(self, post) -> bytes:
        memo = self._full.get(id(post))
        if memo is not None and memo[0] is post:
            return memo[1]
        h = hashlib.blake2b(self.own(post), digest_size=16)
        for name, value in sorted(vars(post).items()):
            if name in _NOT_SHOWN or not _is_link(value):
                continue
            h.update(name.encode())
            for linked in value if isinstance(value, (list, tuple)) else [value]:
                h.update(self.own(linked) if isinstance(linked, Content) else b"-")
        digest = h.digest()
        self._full[id(post)] = (post, digest)
        return digest

    def own_list(self, posts: Iterable[Any]) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        for post in posts:
            h.update(self.own(post) if isinstance(post, Content) else self.signer.sign(post))
        return h.digest()

    # -- the site ------------------------------------------------------------------------------

    def site(self, context: dict) -> bytes:
        """Every context value that holds no post (once per context: it is complete when
        pages are written; Pelican gives some pages a copy, with the same values)."""
        memo = self._site.get(id(context))
        if memo is None or memo[0] is not context:
            h = hashlib.blake2b(digest_size=16)
            for name in sorted(context):
                if name in _VOLATILE or name in COLLECTION_NAMES:
                    continue
                value = context[name]
                kind, digest = self._value(value)
                if kind == "site":
                    h.update(name.encode())
                    h.update(digest)
            memo = self._site[id(context)] = (context, h.digest())
        return memo[1]

    def collections(self, context: dict) -> bytes:
        """Every post collection of the site: each post's own version, in each order."""
        memo = self._collections.get(id(context))
        if memo is None or memo[0] is not context:
            h = hashlib.blake2b(digest_size=16)
            for name in sorted(context):
                if name in _VOLATILE:
                    continue
                kind, digest = self._named(name, context[name])
                if kind == "posts":
                    h.update(name.encode())
                    h.update(digest)
            memo = self._collections[id(context)] = (context, h.digest())
        return memo[1]

    def _holds_posts(self, value, depth: int = _SCAN_DEPTH) -> bool:
        """``_holds_posts`` once per object per build (a listing's pages share its lists,
        lists share their documents)."""
        return _holds_posts(value, depth, self._holds)

    def _named(self, name: str, value) -> tuple[str, bytes]:
        """``_value``, except that a declared collection is one without being searched (the
        signer digests the posts in it by their own versions)."""
        if name in COLLECTION_NAMES:
            return "posts", self.signer.sign(value)
        return self._value(value)

    def _value(self, value) -> tuple[str, bytes]:
        """("posts", digest of its structure) for a value holding posts, else ("site",
        its digest); once per object per build."""
        memo = self._values.get(id(value))
        if memo is not None and memo[0] is value:
            return memo[1]
        if self._holds_posts(value):
            result = ("posts", self._structure(value, _SCAN_DEPTH))
        else:
            result = ("site", self.signer.sign(value))
        self._values[id(value)] = (value, result)
        return result

    def _structure(self, value, depth: int) -> bytes:
        if isinstance(value, Content):
            return self.own(value)
        if depth <= 0:
            return self.signer.sign(value)
        if isinstance(value, dict):
            parts = [self.signer.sign(k) + self._structure(v, depth - 1) for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            parts = [self._structure(v, depth - 1) for v in value]
        elif hasattr(value, "__dict__") and self._holds_posts(value, depth):
            parts = [
                k.encode() + self._structure(v, depth - 1)
                for k, v in sorted(vars(value).items())
                if k not in _NOT_SHOWN
            ]
        else:
            return self.signer.sign(value)
        return hashlib.blake2b(b"".join(parts), digest_size=16).digest()

    # -- pages ---------------------------------------------------------------------------------

    def page_key(self, global_key: str, template_name: str, context: dict, page: dict) -> str:
        """The key of one page: ``page`` is what the writer gave it on top of ``context``."""
        h = hashlib.blake2b(digest_size=16)
        h.update(global_key.encode())
        h.update(template_name.encode())
        h.update(self.site(context))
        kind, own_post, lists_shown, site_wide = _shape(template_name, page)
        for name in sorted(page):
            value = page[name]
            if name in _VOLATILE or name in NOT_SHOWN_KWARGS:
                continue
            h.update(name.encode())
            if isinstance(value, Content):
                h.update(self.full(value) if value is own_post else self.own(value))
            elif isinstance(value, paging.StablePage):
                if name.endswith(("_next_page", "_previous_page")):  # a link to it
                    h.update(self.signer.sign((value.number, value.url)))
                else:
                    h.update(self._listing(value))
            elif self._holds_posts(value):
                h.update(self._structure(value, _SCAN_DEPTH) if lists_shown else b"-")
            else:
                h.update(self.signer.sign(value))
        if site_wide:
            h.update(self.collections(context))
        for name in SHOWN_COLLECTIONS.get(kind, ()):
            h.update(name.encode())
            h.update(self._named(name, context.get(name))[1])
        return h.hexdigest()

    def page_inputs(self, template_name: str, context: dict, page: dict) -> PageInputs:
        """The posts a page declares it shows, by source path (the same declaration as
        ``page_key``, inverted by the site model: a post's change maps to its pages)."""
        kind, own_post, lists_shown, site_wide = _shape(template_name, page)
        found: set[str] = set()
        for name, value in page.items():
            if name in _VOLATILE or name in NOT_SHOWN_KWARGS:
                continue
            if isinstance(value, Content):
                found.update(self.posts_in(value, 0))
                if value is own_post:
                    for linked in vars(value).values():
                        if _is_link(linked):
                            found.update(self.posts_in(linked, 1))
            elif isinstance(value, paging.StablePage):
                if not name.endswith(("_next_page", "_previous_page")):
                    found.update(self.posts_in(value.object_list, 1))
            elif lists_shown:
                found.update(self.posts_in(value, _INPUT_DEPTH))
        for name in SHOWN_COLLECTIONS.get(kind, ()):
            found.update(self.posts_in(context.get(name), _INPUT_DEPTH))
        return PageInputs(frozenset(found), site_wide, kind not in BODY_BLIND_TEMPLATES)

    def posts_in(self, value, depth: int) -> frozenset[str]:
        """Source paths of the posts ``value`` holds within ``depth`` levels (once per
        object per build: listings share their lists)."""
        if isinstance(value, Content):
            self.posts[value.source_path] = value
            return frozenset((value.source_path,))
        if depth <= 0 or isinstance(value, (str, bytes, int, float, type(None))):
            return frozenset()
        memo = self._posts_in.get((id(value), depth))
        if memo is not None and memo[0] is value:
            return memo[1]
        if isinstance(value, dict):
            items = list(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = list(value)
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            items = [v for k, v in vars(value).items() if k not in _NOT_SHOWN]
        else:
            items = []
        found: set[str] = set()
        for item in items:
            found.update(self.posts_in(item, depth - 1))
        result = frozenset(found)
        self._posts_in[(id(value), depth)] = (value, result)
        return result

    def _listing(self, page: paging.StablePage) -> bytes:
        """A listing page: its posts' own versions and its place (plain fields and links)."""
        h = hashlib.blake2b(self.own_list(page.object_list), digest_size=16)
        place = [
            (name, _plain(value)) for name, value in vars(page).items() if name != "object_list"
        ]
        h.update(repr(place).encode())
        return h.digest()


@dataclass(frozen=True)
class PageInputs:
    """What a page declares it shows, as the site model keeps it."""

    posts: frozenset[str]  # source paths of the posts it shows
    site_wide: bool  # it shows every collection of posts in the site
    bodies: bool = True  # it may show a post's body or summary (``BODY_BLIND_TEMPLATES``)


#: context entries no page shows: the staging folder's paths, and Pelican's indexes of
#: source paths for {filename} links (a post's links are part of its own version)
_VOLATILE = frozenset(
    {
        "localsiteurl",
        "output_file",
        "OUTPUT_PATH",
        "PORTAL_FINAL_OUTPUT_PATH",
        "generated_content",
        "static_content",
        "static_links",
    }
)


def _plain(value):
    """A page link or a list of them as plain tuples (their repr is their digest)."""
    if isinstance(value, paging.PageLink):
        return (value.number, value.url, value.current, value.newest)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _shape(template_name: str, page: dict) -> tuple[str, Any, bool, bool]:
    """(kind, its own post, whether it shows the lists it is given, whether it shows
    every collection of the site): what a page declares, for its key and its inputs."""
    kind = template_name.split(".", 1)[0]
    own_post = _own_post(page) if kind in POST_TEMPLATES else None
    listing = _listing_page(page) if kind in LISTING_TEMPLATES else None
    # a post's page and older listing pages show no list beyond their own
    lists_shown = own_post is None and (listing is None or listing.is_first)
    site_wide = (kind not in POST_TEMPLATES and kind not in LISTING_TEMPLATES) or (
        kind in FRONT_TEMPLATES and lists_shown
    )
    return kind, own_post, lists_shown, site_wide


def _own_post(page: dict):
    for name in ("article", "page"):
        value = page.get(name)
        if isinstance(value, Content):
            return value
    return None


def _listing_page(page: dict) -> paging.StablePage | None:
    for name, value in page.items():
        if name.endswith("_page") and isinstance(value, paging.StablePage):
            return value
    return None


def _is_link(value) -> bool:
    if isinstance(value, Content):
        return True
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, Content) for v in value)
    )


def _holds_posts(
    value, depth: int, seen: dict[tuple[int, int], tuple[Any, bool]] | None = None
) -> bool:
    """Whether ``value`` holds a post within ``depth`` levels. A post deeper down is still
    seen (the signer digests it by its own version): its page is then rendered more
    often than it needs, never less. ``seen`` remembers objects already answered (the same
    document or post is met in many lists)."""
    if isinstance(value, Content):
        return True
    if depth <= 0 or isinstance(value, (str, bytes, int, float, type(None))):
        return False
    if seen is not None:
        known = seen.get((id(value), depth))
        if known is not None and known[0] is value:
            return known[1]
    if isinstance(value, dict):
        found = any(_holds_posts(v, depth - 1, seen) for v in value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        found = any(_holds_posts(v, depth - 1, seen) for v in value)
    else:
        fields = getattr(value, "__dict__", None)
        found = (
            isinstance(fields, dict)
            and not isinstance(value, type)
            and any(
                _holds_posts(v, depth - 1, seen) for k, v in fields.items() if k not in _NOT_SHOWN
            )
        )
    if seen is not None:
        seen[(id(value), depth)] = (value, found)
    return found
