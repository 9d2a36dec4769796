"""The registry of checks: each check function says what it reads and whether its findings
may be kept between builds; the rules (``rules.py``) name the checks they run."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Doc, Finding
from .rules import Rule

#: name → (kind, function). Kinds and signatures:
#:   "site"   f(site, rule)          the whole site's metadata
#:   "doc"    f(doc, site, rule)     one post or page's metadata
#:   "page"   f(page, site, rule)    one rendered HTML page (parsed once, shared)
#:   "asset"  f(asset, site, rule)   one other output file (XML, CSS, anything)
#:   "output" f(output, site, rule)  what the HTML pass gathered about the whole output
CHECKS: dict[str, tuple[str, Callable[..., Iterable[Finding]]]] = {}

#: "doc" checks whose findings depend on nothing but the post (its ``Doc``), the rule and
#: the settings in ``cache.post_fingerprint`` (holidays included): not on today, other
#: posts, the registries, the previous build's manifest or the waivers. Their findings are
#: kept between builds (``cache.PostMemo``); every other check runs on every build.
POST_ONLY: set[str] = set()


def check(
    kind: str, post_only: bool = False
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a check; ``post_only`` (a "doc" check, see ``POST_ONLY``) lets its
    findings be reused for a post whose ``Doc`` did not change."""
    if post_only and kind != "doc":
        raise ValueError(f"post_only is for 'doc' checks, not {kind!r}")

    def decorate(fn: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        CHECKS[fn.__name__] = (kind, fn)
        if post_only:
            POST_ONLY.add(fn.__name__)
        return fn

    return decorate


def doc_finding(rule: Rule, doc: Doc, detail: str = "") -> Finding:
    return Finding(rule.id, doc.path, detail, url=doc.url)


def site_finding(rule: Rule, detail: str = "", target: str = "site") -> Finding:
    return Finding(rule.id, target, detail)
