"""MemberList answers ``in`` as a list does, through every change."""

from __future__ import annotations

import pickle
import random

from plugins.portal_core.memberlist import MemberList


def test_member_list_answers_in_as_a_list_does_through_every_change():
    rng = random.Random(11)
    items = [object() for _ in range(30)]
    members, plain = MemberList(), []
    changes = [
        lambda lst: lst.append(rng.choice(items)),
        lambda lst: lst.extend(rng.sample(items, 3)),
        lambda lst: lst.insert(0, rng.choice(items)),
        lambda lst: lst.pop() if lst else None,
        lambda lst: lst.remove(lst[0]) if lst else None,
        lambda lst: lst.__setitem__(slice(0, 2), [rng.choice(items)]),
        lambda lst: lst.__delitem__(slice(0, 1)),
        lambda lst: lst.__iadd__([rng.choice(items)]),
        lambda lst: lst.clear() if len(lst) > 20 else None,
    ]
    for _ in range(300):
        change = rng.choice(changes)
        state = rng.getstate()
        change(members)
        rng.setstate(state)
        change(plain)
        assert members == plain
        assert [x in members for x in items] == [x in plain for x in items]
    copied = pickle.loads(pickle.dumps(MemberList(["a", "b"])))
    assert type(copied) is list and copied == ["a", "b"]


def test_member_list_falls_back_when_items_define_equality():
    assert "a" in MemberList(["a"]) and "b" not in MemberList(["a"])
    assert 1.0 in MemberList([object(), 1]) and [2] in MemberList([[2]])
