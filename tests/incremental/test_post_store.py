"""Many posts read for the first time: half of them by a second process, with the same
posts, problems and messages as when this process reads them all."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import TinySite
from tests.incremental.test_incremental_build import SETTINGS, assert_same_as_full_build

READ_BESIDE = "INCREMENTAL_PARALLEL_READ_FROM = 4  # (400 on a real site)\n"


def _posts(site: TinySite, count: int, unit: str = "") -> None:
    for n in range(1, count + 1):
        site.post(
            f"bai-{n:02d}",
            title=f"Bài số {n} về bến xe",
            Date=f"{n:02d}/03/2024 08:00",
            Tags="bến xe" if n % 2 else "đăng kiểm",
            Unit=unit or ("Thanh tra Sở" if n % 3 else "Văn phòng Sở"),
            body=f"Nội dung bài {n}, [xem bài 1]({{filename}}/posts/bai-01.md).",
        )


def test_a_first_build_read_on_two_cores_writes_the_full_build_bytes(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    site.settings(SETTINGS + READ_BESIDE)
    _posts(site, 12)
    assert_same_as_full_build(site, tmp_path, "first")  # (the full build reads them all here)
    # every post kept in the store, whichever process read it: nothing read again
    site.post("bai-13", title="Bài số 13 về bến xe", Date="13/03/2024 08:00")
    again = site.build()
    assert again.returncode == 0, again.log
    assert "12 bài lấy từ mô hình, 1 bài đọc mới" in again.log, again.log


def test_problems_found_by_the_second_process_are_reported_once_each(tmp_path: Path):
    site = TinySite(tmp_path / "site")
    site.settings(SETTINGS + READ_BESIDE)
    # half of them go to the second process, which leaves a post with a problem to this
    # one: read again here, it is reported here, once
    _posts(site, 12, unit="Phòng Không Có")
    result = site.build()
    assert result.returncode == 1, result.log
    for n in range(1, 13):
        found = re.findall(rf"bai-{n:02d}\.md:\d+ \[Unit\]", result.log)
        assert len(found) == 1, (n, result.log)
    assert not (site.output / "index.html").exists()  # nothing published
