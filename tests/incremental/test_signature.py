"""Digests of template inputs: equal data, equal digest; any change, another digest."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from plugins.incremental.signature import Signer

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Post:
    title: str
    tags: list
    related: list


def test_equal_values_equal_digests_across_signers():
    # built by the same code, in the same order (dict order counts: a different order
    # only costs a page rendered again)
    a = {"x": [1, "đường", dt.date(2026, 1, 2)], "y": None, "z": (4, 5)}
    b = {"x": [1, "đường", dt.date(2026, 1, 2)], "y": None, "z": (4, 5)}
    assert Signer().sign(a) == Signer().sign(b)


def test_a_set_signed_on_its_own_ignores_its_order():
    # (a set inside a list or dict is pickled in iteration order: at worst its page is
    # rendered again, see _Flattener)
    assert Signer().sign({3, 1, 2}) == Signer().sign({2, 3, 1})
    assert Signer().sign(frozenset({"b", "a"})) == Signer().sign(frozenset({"a", "b"}))
    assert Signer().sign({1, 2}) != Signer().sign({1, 3})


def test_a_set_member_gives_the_same_digest_in_every_process():
    # string hashes (so a set's order) change with the process's hash seed; a set that
    # is a member of a dict or list is digested on its own, sorted, before pickling
    import subprocess
    import sys

    code = (
        "from plugins.incremental.signature import Signer\n"
        "words = {f'tu-{i}' for i in range(40)}\n"
        "print(Signer().sign({'tags': words, 'list': [frozenset(words)]}).hex())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_subclasses_of_plain_types_keep_their_type():
    from markupsafe import Markup

    assert Signer().sign(Markup("<b>x</b>")) != Signer().sign("<b>x</b>")
    assert Signer().sign([Markup("<b>x</b>")]) != Signer().sign(["<b>x</b>"])


def test_a_nested_change_changes_the_digest():
    first = Post("A", ["x"], [Post("B", ["y"], [])])
    second = Post("A", ["x"], [Post("B", ["z"], [])])
    assert Signer().sign(first) != Signer().sign(second)


def test_types_are_part_of_the_digest():
    assert Signer().sign(1) != Signer().sign("1") != Signer().sign(1.0)
    assert Signer().sign([1, 2]) != Signer().sign([2, 1])


def test_objects_shown_by_address_never_match():
    class Opaque:
        __slots__ = ()

    signer = Signer()
    assert signer.sign(Opaque()) != Signer().sign(Opaque())
    assert any(name.endswith("Opaque") for name in signer.opaque)


def test_cycles_end_in_a_digest_unique_to_the_build():
    post = Post("A", [], [])
    post.related.append(post)
    first, second = Signer(), Signer()
    assert first.sign(post) != second.sign(post)  # rendered again: never stale


def test_excluded_attributes_and_handlers():
    class Wrapper:
        def __init__(self, name, settings):
            self.name, self.settings = name, settings

    first, second = Signer(), Signer()
    first.exclude_attributes(["settings"])
    second.exclude_attributes(["settings"])
    assert first.sign(Wrapper("a", {"X": 1})) == second.sign(Wrapper("a", {"X": 2}))
    assert first.sign(Wrapper("a", {})) != second.sign(Wrapper("b", {}))
    custom = Signer()
    custom.register(Wrapper, lambda w, depth: w.name.upper())
    assert custom.sign(Wrapper("a", None)) == custom.sign(Wrapper("A", object()))
    assert custom.sign(Wrapper("a", None)) != custom.sign(Wrapper("b", None))
