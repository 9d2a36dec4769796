"""Allow-list HTML sanitising for post bodies (nh3, i.e. the Ammonia sanitizer).

Editors may paste raw HTML into Markdown. Only the tags and attributes a news
article needs survive; scripts, event handlers and ``javascript:`` links never
reach the portal. What was removed is described so the editor can be told.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"picture", "source", "figure", "figcaption", "tfoot"}
ALLOWED_TAGS -= {"center", "strike", "tt", "acronym", "map", "area"}

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "abbr": {"title"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Whose content goes along with the tag, rather than staying as text.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}


def sanitize(html: str) -> tuple[str, list[str]]:
    """The cleaned HTML and a list of what was removed (empty if nothing)."""
    if not html or "<" not in html:
        return html, []
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    if cleaned == html:  # the usual case: nothing to report, no need to parse twice
        return cleaned, []
    before, after = _inventory(html), _inventory(cleaned)
    removed_tags = {item for item in before if item.startswith("<") and " " not in item}
    removed = [
        item
        for item in before
        if item not in after and not any(item.startswith(t[:-1] + " ") for t in removed_tags)
    ]
    return cleaned, removed


class _Inventory(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []

    def _add(self, item: str) -> None:
        if item not in self.items:
            self.items.append(item)

    def handle_starttag(self, tag, attrs):
        self._add(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"{name}=")
            elif value and value.strip().lower().startswith(("javascript:", "vbscript:", "data:")):
                self._add(f'{name}="{value.strip().split(":", 1)[0]}:…"')
            else:
                self._add(f"<{tag} {name}>")


def _inventory(html: str) -> list[str]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items
