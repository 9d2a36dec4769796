"""decap-server for ``invoke cms`` and the CMS tests: git mode, loopback only.

decap-server has no login: anyone who reaches it can write to the repository, so it is
only ever bound to 127.0.0.1 (never 0.0.0.0) and only answers the preview's origin.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

LOOPBACK = "127.0.0.1"


class CmsLocalError(RuntimeError):
    """decap-server cannot start; the message says what to do (Vietnamese)."""


def api_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}/api/v1"


def server_script(root: Path) -> Path:
    return root / "node_modules" / "decap-server" / "dist" / "index.js"


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((LOOPBACK, port)) == 0


def uncommitted(repo: Path) -> list[str]:
    """Files git would commit: decap-server saves with ``git add .``, so anything changed
    in the working copy would land in the editor's post."""
    done = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]


def start_decap_server(
    root: Path, port: int, origin: str, repository: Path | None = None, timeout: float = 30
) -> subprocess.Popen:
    """Start decap-server on 127.0.0.1:PORT over ``repository`` (the project by default)
    and wait until it accepts connections."""
    node = shutil.which("node")
    script = server_script(root)
    if node is None:
        raise CmsLocalError("chưa cài Node.js (apt-get install nodejs)")
    if not script.is_file():
        raise CmsLocalError(f"chưa cài decap-server ({script}); chạy: npm ci")
    if _port_taken(port):
        raise CmsLocalError(
            f"cổng {port} đang bận (decap-server khác đang chạy?); dừng nó hoặc dùng --cms-port"
        )
    repo = Path(repository or root)
    if not (repo / ".git").exists():
        raise CmsLocalError(f"{repo} không phải kho git; trang quản trị lưu bài bằng git")
    pending = uncommitted(repo)
    if pending:
        shown = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
        raise CmsLocalError(
            f"kho git có thay đổi chưa commit ({shown}); decap-server sẽ gộp chúng vào bài "
            "lưu từ trang quản trị. Hãy commit hoặc cất tạm (git stash) rồi chạy lại"
        )
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": LOOPBACK,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "ORIGIN": origin,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn"),
    }
    proc = subprocess.Popen([node, str(script)], cwd=str(repo), env=env, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CmsLocalError(f"decap-server dừng ngay khi chạy (mã {proc.returncode})")
        if _port_taken(port):
            return proc
        time.sleep(0.1)
    proc.terminate()
    raise CmsLocalError(f"decap-server không mở cổng {port} sau {timeout:.0f} giây")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
