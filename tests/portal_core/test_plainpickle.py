"""Cache files of plain data: written atomically, read back, never executed."""

from __future__ import annotations

import os
import pickle

import pytest

from plugins.portal_core import plainpickle


def test_plain_data_round_trips(tmp_path):
    data = {"a": [1, 2.5, "đường"], "b": (True, None), "c": {"x": b"\x00"}, "d": {1, 2}}
    path = tmp_path / "sub" / "record.pickle"
    plainpickle.save(path, data)
    assert plainpickle.load(path) == data
    assert os.listdir(path.parent) == ["record.pickle"]  # no temporary left


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_anything_but_plain_data_reads_as_missing(tmp_path):
    path = tmp_path / "record.pickle"
    path.write_bytes(pickle.dumps({"x": _Boom()}))
    assert plainpickle.load(path) is None
    path.write_bytes(b"\x80\x05not a pickle")
    assert plainpickle.load(path) is None
    assert plainpickle.load(tmp_path / "missing.pickle") is None


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "record.pickle"
    plainpickle.save(path, {"v": 1})
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        plainpickle.save(path, {"v": lambda: 2})  # not picklable
    assert plainpickle.load(path) == {"v": 1}
    assert os.listdir(tmp_path) == ["record.pickle"]
