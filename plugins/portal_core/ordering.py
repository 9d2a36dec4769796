"""One order for posts everywhere: newest first, and a fixed order for equal dates.

Pelican sorts posts by date alone, so two posts published at the same minute keep
whatever order the files were met in, which may differ between a full build and one that
takes posts from the site model. Here ties are broken by source path, in the reverse of
the order ``related_posts`` walks from older to newer posts, so a listing is exactly the
reverse of the older/newer chain.
"""

from __future__ import annotations

from typing import Any


class _Descending:
    """A value that sorts in the reverse of its own order."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


def newest_first(post: Any) -> tuple:
    """``ARTICLE_ORDER_BY``: the sort key of a post, newest first."""
    return (-post.date.timestamp(), _Descending(str(post.source_path)))
