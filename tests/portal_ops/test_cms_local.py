"""decap-server for ``invoke cms``: loopback only, clear errors, never a second one."""

from __future__ import annotations

import shutil
import socket
import subprocess

import pytest

from portal_ops import cms_local
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not cms_local.server_script(ROOT).is_file() or shutil.which("node") is None,
    reason="needs node and the npm packages (npm ci)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def repo(tmp_path):
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    return tmp_path


def _listening_addresses(port: int) -> set[str]:
    done = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True)
    return {line.split()[3].rsplit(":", 1)[0] for line in done.stdout.splitlines() if line}


def test_decap_server_listens_on_loopback_only(repo):
    port = _free_port()
    server = cms_local.start_decap_server(ROOT, port, "http://127.0.0.1:8000", repository=repo)
    try:
        if shutil.which("ss"):
            assert _listening_addresses(port) == {"127.0.0.1"}
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        with pytest.raises(cms_local.CmsLocalError, match="đang bận"):
            cms_local.start_decap_server(ROOT, port, "http://127.0.0.1:8000", repository=repo)
    finally:
        cms_local.stop(server)
    assert server.poll() is not None


def test_a_folder_without_git_is_refused(tmp_path):
    with pytest.raises(cms_local.CmsLocalError, match="không phải kho git"):
        cms_local.start_decap_server(ROOT, _free_port(), "http://127.0.0.1:8000", tmp_path)


def test_uncommitted_changes_are_refused_not_swept_into_a_post(repo):
    (repo / "ghi-chu.txt").write_text("việc riêng", encoding="utf-8")
    with pytest.raises(cms_local.CmsLocalError, match=r"ghi-chu\.txt"):
        cms_local.start_decap_server(ROOT, _free_port(), "http://127.0.0.1:8000", repository=repo)
