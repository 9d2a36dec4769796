"""Content digests reused by file status (pure code, real files and their times)."""

import json
import os

import pytest

from plugins.incremental import filedigests
from plugins.incremental.filedigests import FileDigests
from plugins.incremental.signature import digest_bytes


@pytest.fixture
def no_racy_window(monkeypatch):
    monkeypatch.setattr(filedigests, "RACY_SECONDS", 0.0)


def _digests(tmp_path, trust=True) -> FileDigests:
    return FileDigests(tmp_path / "record.json", digest_bytes, trust)


def test_an_unchanged_file_is_not_read_again(tmp_path, no_racy_window):
    post = tmp_path / "bai.md"
    post.write_text("Title: Đường tỉnh 512\n\nNội dung.\n", encoding="utf-8")
    first = _digests(tmp_path)
    digest = first.digest(str(post))
    first.save()
    second = _digests(tmp_path)
    assert second.digest(str(post)) == digest == digest_bytes(post.read_bytes())
    assert second.read == 0


def test_a_rewrite_with_the_same_size_and_time_is_still_seen(tmp_path, no_racy_window):
    post = tmp_path / "bai.md"
    post.write_text("Ngày 01/02/2026\n", encoding="utf-8")
    before = post.stat()
    first = _digests(tmp_path)
    first.digest(str(post))
    first.save()
    post.write_text("Ngày 02/01/2026\n", encoding="utf-8")  # same size
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time
    second = _digests(tmp_path)
    assert second.digest(str(post)) == digest_bytes(post.read_bytes())
    assert second.read == 1  # the status-change time gave it away


def test_a_file_written_just_now_is_read_again_next_time(tmp_path):
    post = tmp_path / "bai.md"
    post.write_text("x", encoding="utf-8")
    first = _digests(tmp_path)
    first.digest(str(post))
    first.save()
    assert first.new == {}  # within the racy window: not trusted later
    second = _digests(tmp_path)
    second.digest(str(post))
    assert second.read == 1


def test_a_full_build_trusts_nothing(tmp_path, no_racy_window):
    post = tmp_path / "bai.md"
    post.write_text("x", encoding="utf-8")
    first = _digests(tmp_path)
    first.digest(str(post))
    first.save()
    full = _digests(tmp_path, trust=False)
    full.digest(str(post))
    assert full.read == 1


@pytest.mark.parametrize("entry", [7, [1, 2], [0, 0, 0, 0, "not hex"], None])
def test_a_damaged_record_means_reading_the_file_not_a_crash(tmp_path, no_racy_window, entry):
    post = tmp_path / "bai.md"
    post.write_text("x", encoding="utf-8")
    status = post.stat()
    if isinstance(entry, list) and len(entry) == 5:
        entry[:4] = [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]
    (tmp_path / "record.json").write_text(
        json.dumps({"format": 1, "files": {str(post): entry}}), encoding="utf-8"
    )
    digests = _digests(tmp_path)
    assert digests.digest(str(post)) == digest_bytes(b"x")
    assert digests.read == 1
