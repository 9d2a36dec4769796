"""Listing pages that keep their posts when a new post arrives.

Pelican numbers pages from the newest post, so one new post moves one post onto
every page of every list: a site of 10,000 posts then rewrites thousands of pages
for one new post, and a link to "page 57" shows other posts tomorrow. Here pages are
cut from the *oldest* post: page 1 is the oldest ``per_page`` posts, page 2 the next,
and the listing's own address shows the newest posts, between ``per_page`` and
``2 × per_page - 1`` of them. A new post changes the first page and, once every
``per_page`` posts, adds one numbered page; every other page keeps its posts and
its address.

Pure: no Pelican imports. URLs come from Pelican's ``PAGINATION_PATTERNS``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: how many numbered neighbours the page list shows on each side
WINDOW = 2


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool = False
    newest: bool = False  # the listing's first page (its own address)


@dataclass(eq=False)
class StablePage:
    """One page of a listing; ``number`` counts from the oldest page (1)."""

    number: int
    is_first: bool  # the listing's own address: the newest posts
    object_list: Sequence[Any]
    url: str
    save_as: str
    newer: PageLink | None = None  # towards the first page
    older: PageLink | None = None  # towards page 1
    oldest: PageLink | None = None  # page 1, when it is not in the window
    newest_url: str | None = None  # the first page, when it is not in the window
    window: list[PageLink] = field(default_factory=list)

    # Pelican's Page interface, for templates and plugins written against it
    def has_next(self) -> bool:
        return self.older is not None

    def has_previous(self) -> bool:
        return self.newer is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()


@dataclass(frozen=True)
class StablePaginator:
    """What a page may know of its whole listing: nothing that a new post changes."""

    base_url: str
    per_page: int


def _page_address(
    patterns: Sequence[tuple[int, str, str]], name: str, url: str, number: int, first: bool
) -> tuple[str, str]:
    """(url, save_as) from PAGINATION_PATTERNS: the first rule for the first page,
    the last rule with ``min_page`` ≥ 2 for the others."""
    rules = [(int(p[0]), p[1], p[2]) for p in patterns if int(p[0]) != -1]
    chosen = rules[0] if first else ([r for r in rules if r[0] >= 2] or rules)[-1]
    base, extension = os.path.splitext(name)
    folder, filename = os.path.split(name)
    context = {
        "save_as": name,
        "url": url,
        "name": base,
        "base_name": folder if filename in ("index.htm", "index.html") else base,
        "extension": extension,
        "number": number,
    }
    address = []
    for template in chosen[1:]:
        value = template.format(**context)
        address.append(value[1:] if value.startswith("/") else value)
    return address[0], address[1]


def paginate(
    name: str,
    url: str,
    object_list: Sequence[Any],
    per_page: int,
    patterns: Sequence[tuple[int, str, str]],
) -> tuple[StablePaginator, list[StablePage]]:
    """The pages of a newest-first ``object_list``, first page first."""
    count = len(object_list)
    per_page = max(1, int(per_page or count or 1))
    full = count // per_page  # whole pages counted from the oldest post
    numbers = list(range(max(full, 1), 0, -1))  # first page = the newest whole page
    addresses = {
        number: _page_address(patterns, name, url, number, first=(number == numbers[0]))
        for number in numbers
    }

    def link(number: int, current: bool = False) -> PageLink:
        return PageLink(number, addresses[number][0], current, newest=(number == numbers[0]))

    pages = []
    for number in numbers:
        first = number == numbers[0]
        start = 0 if first else count - number * per_page
        end = count - (number - 1) * per_page
        window = [
            link(n, current=(n == number))
            for n in range(number + WINDOW, number - WINDOW - 1, -1)
            if n in addresses
        ]
        pages.append(
            StablePage(
                number=number,
                is_first=first,
                object_list=object_list[start:end],
                url=addresses[number][0],
                save_as=addresses[number][1],
                newer=link(number + 1) if number + 1 in addresses else None,
                older=link(number - 1) if number > 1 else None,
                oldest=link(1) if number - WINDOW > 1 else None,
                newest_url=addresses[numbers[0]][0] if numbers[0] > number + WINDOW else None,
                window=window,
            )
        )
    return StablePaginator(url, per_page), pages
