"""SSH targets: the commands built for a server, and a real deploy through a loopback sshd."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from portal_ops import deploy as ops


@pytest.mark.parametrize(
    ("spec", "host", "port", "path"),
    [
        ("deploy@web1:/srv/portal", "deploy@web1", None, "/srv/portal"),
        ("web1.lamson.gov.vn:/srv/portal/", "web1.lamson.gov.vn", None, "/srv/portal"),
        ("ssh://deploy@web1:2222/srv/portal", "deploy@web1", 2222, "/srv/portal"),
        ("ssh://web1/srv/portal", "web1", None, "/srv/portal"),
    ],
)
def test_remote_targets(spec, host, port, path):
    target = ops.parse_target(spec)
    assert (target.host, target.port, target.path) == (host, port, path)
    assert target.remote


def test_local_targets_resolve_to_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert ops.parse_target("./srv").path == str(tmp_path / "srv")
    assert ops.parse_target(str(tmp_path / "a:b")).path == str(tmp_path / "a:b")
    assert not ops.parse_target("/srv/portal").remote


@pytest.mark.parametrize("spec", ["", "web1:srv/portal", "ssh://web1", "ssh://web1relative"])
def test_bad_targets_are_refused(spec):
    with pytest.raises(ops.DeployError):
        ops.parse_target(spec)


def _target() -> ops.Target:
    return ops.parse_target(
        "deploy@web1:/srv/my portal",
        port=2222,
        identity="/root/.ssh/portal_deploy",
        known_hosts="/root/.ssh/known_hosts",
    )


def test_ssh_never_prompts_and_pins_the_host_key():
    argv = ops.ssh_command(_target())
    assert argv[:5] == ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20"]
    assert argv[5:7] == ["-p", "2222"]
    assert argv[7:11] == ["-i", "/root/.ssh/portal_deploy", "-o", "IdentitiesOnly=yes"]
    assert "UserKnownHostsFile=/root/.ssh/known_hosts" in argv
    assert "StrictHostKeyChecking=yes" in argv


def test_remote_commands_are_quoted_once_for_the_remote_shell():
    argv = ops.on_target(_target(), ["mkdir", "-p", "/srv/my portal/releases"])
    assert argv[-3:] == ["deploy@web1", "--", "mkdir -p '/srv/my portal/releases'"]
    assert shlex.split(argv[-1]) == ["mkdir", "-p", "/srv/my portal/releases"]


def test_deploy_plan_for_a_server():
    target = _target()
    state = ops.State(["20240910T010000Z-abc1234"], "20240910T010000Z-abc1234")
    steps = ops.plan_deploy(Path("/w/output"), target, state, "20240910T020000Z-def5678", keep=5)
    rsync = next(s.argv for s in steps if s.argv and s.argv[0] == "rsync")
    assert "--link-dest=../20240910T010000Z-abc1234" in rsync
    assert rsync[-2:] == [
        "/w/output/",
        "deploy@web1:/srv/my portal/releases/20240910T020000Z-def5678.partial/",
    ]
    shell = rsync[rsync.index("-e") + 1]
    assert shlex.split(shell) == ops.ssh_command(target)
    remote = [shlex.split(s.argv[-1]) for s in steps if s.argv and s.argv[0] == "ssh"]
    assert [
        "ln",
        "-sfn",
        "releases/20240910T020000Z-def5678",
        "/srv/my portal/.current.tmp",
    ] in remote
    assert ["mv", "-Tf", "/srv/my portal/.current.tmp", "/srv/my portal/current"] in remote
    order = [cmd[0] for cmd in remote]
    assert order.index("mv") < order.index("ln")  # complete the release before linking it


def test_rollback_plan_for_a_server():
    target = _target()
    names = ["20240910T010000Z-abc1234", "20240910T020000Z-def5678"]
    wanted, steps = ops.plan_rollback(target, ops.State(names, names[1]))
    assert wanted == names[0]
    assert [shlex.split(s.argv[-1])[0] for s in steps] == ["ln", "mv"]


# -- A real sshd on a loopback port --------------------------------------------------------

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """A throw-away sshd: its own host key, one client key, loopback only, stopped after."""
    if not os.path.exists(SSHD) or shutil.which("ssh") is None or shutil.which("rsync") is None:
        pytest.skip("needs openssh-server, openssh-client and rsync (apt-get install …)")
    if os.geteuid() != 0:
        pytest.skip("the loopback sshd test runs as root (as CI and the dev machines do)")
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    home = tmp_path_factory.mktemp("sshd")
    for key in ("host_key", "client_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / key)], check=True
        )
    port = _free_port()
    config = home / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {home / 'host_key'}\n"
        f"AuthorizedKeysFile {home / 'client_key.pub'}\nPidFile {home / 'sshd.pid'}\n"
        "StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\n"
    )
    host_key = (home / "host_key.pub").read_text().split()[:2]
    (home / "known_hosts").write_text(f"[127.0.0.1]:{port} {' '.join(host_key)}\n")
    log = (home / "sshd.log").open("w")
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("sshd did not start: " + (home / "sshd.log").read_text())
            time.sleep(0.05)
    yield home, port
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def test_deploy_and_rollback_over_real_ssh(sshd, tmp_path, site_factory):
    home, port = sshd
    base = tmp_path / "remote srv"  # a space: quoting must survive the remote shell
    target = ops.parse_target(
        f"root@127.0.0.1:{base}",
        port=port,
        identity=str(home / "client_key"),
        known_hosts=str(home / "known_hosts"),
    )
    t0 = dt.datetime(2024, 9, 10, 1, 0, tzinfo=dt.UTC)
    first = ops.deploy(site_factory("v1"), target, 2, "abc1234", now=t0)
    second = ops.deploy(site_factory("v2"), target, 2, "def5678", now=t0 + dt.timedelta(hours=1))
    assert (base / "current/index.html").read_text() == "<h1>v2</h1>"
    assert second.previous == first.release and second.files_transferred == 1
    assert ops.rollback(target, pause="it's 'broken' \"quoted\" $HOME") == (
        second.release,
        first.release,
    )
    assert (base / "current/index.html").read_text() == "<h1>v1</h1>"
    assert ops.read_state(target, ops.run_command).paused.endswith("it's 'broken' \"quoted\" $HOME")
    with pytest.raises(ops.DeploysPaused):
        ops.deploy(site_factory("v3"), target, 2, "0123abc", now=t0 + dt.timedelta(hours=2))
    assert ops.resume(target)
    third = ops.deploy(site_factory("v3"), target, 2, "0123abc", now=t0 + dt.timedelta(hours=2))
    # keep=2, but the release that was live (rolled back to) is the known-good one: kept.
    assert sorted(os.listdir(base / "releases")) == [first.release, third.release]
    assert third.pruned == [second.release]


def test_an_unknown_host_key_is_refused(sshd, tmp_path, site_factory):
    home, port = sshd
    (tmp_path / "known_hosts").write_text("")
    target = ops.parse_target(
        f"root@127.0.0.1:{tmp_path / 'srv'}",
        port=port,
        identity=str(home / "client_key"),
        known_hosts=str(tmp_path / "known_hosts"),
    )
    with pytest.raises(ops.DeployError, match=r"[Hh]ost key verification failed"):
        ops.deploy(site_factory("v1"), target, 2, "abc1234")
    assert not (tmp_path / "srv").exists()
