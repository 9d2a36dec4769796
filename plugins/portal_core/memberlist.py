"""A list whose ``in`` is a set lookup: grouped posts that Pelican scans once per post.

Pure: no Pelican imports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any


def by_identity(items: Iterable[Any]) -> bool:
    """True when ``x in list`` can only match ``x`` itself (no type defines ``__eq__``)."""
    return all(cls.__eq__ is object.__eq__ for cls in {type(item) for item in items})


class MemberList(list):
    """A list whose ``in`` is a set lookup, with the answer ``list`` gives.

    Pelican's ``generate_tags``/``categories``/``authors`` ask ``article in articles`` of a
    group's list for every article of the site: N × group size per group (the groups'
    lists are MemberLists: plugins/speedups for Pelican's own, ``registry.posts_by_slug``
    for the portal's categories). Items compare by
    identity (``Content`` defines no ``__eq__``), so a set of their ids answers the same;
    when a type does define equality, ``list`` answers. Every change forgets the set.
    """

    _ids: set[int] | bool | None = None  # None: not built since the last change

    def __contains__(self, item: object) -> bool:
        if self._ids is None:
            self._ids = {id(member) for member in self} if by_identity(self) else False
        if self._ids is False or type(item).__eq__ is not object.__eq__:
            return list.__contains__(self, item)
        return id(item) in self._ids

    def __reduce__(self) -> tuple[type, tuple[list[Any]]]:
        return list, (list(self),)  # pickled and copied as the plain list it stands for


def _forgetting(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def changed(self: MemberList, *args: Any) -> Any:
        self._ids = None
        return method(self, *args)

    return changed


for _name in ("append", "extend", "insert", "pop", "remove", "clear"):
    setattr(MemberList, _name, _forgetting(getattr(list, _name)))
for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__"):
    setattr(MemberList, _name, _forgetting(getattr(list, _name)))
