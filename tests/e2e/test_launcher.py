"""The README's run command end to end: the launcher brings up every real server and service, the
gateway's /healthz answers 200, and SIGTERM leaves no process behind; a second start reuses the data."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from deploy.local.run_as import SYSTEM_USER
from tests.stack import STACK_TIMEOUT, launch, stack_environment, wait_for_line

pytestmark = pytest.mark.e2e


@pytest.fixture
def stack_env(tmp_path: Path) -> dict[str, str]:
    return stack_environment(tmp_path / "home")


def descendants_and_postmaster(process: subprocess.Popen[str], home: Path) -> list[psutil.Process]:
    found: list[psutil.Process] = psutil.Process(process.pid).children(recursive=True)
    postmaster = home / "postgres" / "postmaster.pid"
    if postmaster.exists():  # pg_ctl daemonizes PostgreSQL, so it is not among the launcher's children
        found.append(psutil.Process(int(postmaster.read_text().split()[0])))
    return found


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.fixture
def stopper() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(60)


def test_the_stack_starts_healthy_and_stops_cleanly(
    stack_env: dict[str, str], stopper: list[subprocess.Popen[str]]
) -> None:
    home = Path(stack_env["EJOURNAL_HOME"])
    for attempt in ("cold", "warm"):
        process = launch(stack_env)
        stopper.append(process)
        output = wait_for_line(process, "ejournal is up", timeout=STACK_TIMEOUT)
        gateway = f"http://127.0.0.1:{stack_env['EJOURNAL_GATEWAY_PORT']}"
        with urllib.request.urlopen(f"{gateway}/healthz", timeout=5) as reply:
            assert reply.status == 200, attempt
        with urllib.request.urlopen(f"{gateway}/openapi.json", timeout=5) as reply:
            assert reply.status == 200
        ui = f"http://127.0.0.1:{stack_env['EJOURNAL_TEMPORAL_UI_PORT']}/"
        with urllib.request.urlopen(ui, timeout=5) as reply:
            assert reply.status == 200
        database = (
            f"postgresql://postgres:{(home / 'postgres.password').read_text().strip()}"
            f"@127.0.0.1:{stack_env['EJOURNAL_PG_PORT']}/ejournal_identity"
        )
        with psycopg.connect(database, autocommit=True) as conn:
            if attempt == "cold":
                conn.execute(
                    "CREATE TABLE launcher_probe (note text); INSERT INTO launcher_probe VALUES ('kept')"
                )
            else:  # the second start found the data of the first
                assert conn.execute("SELECT note FROM launcher_probe").fetchone() == ("kept",)
        children = descendants_and_postmaster(process, home)
        assert len(children) >= 8, "".join(output)
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
        deadline = time.monotonic() + 10
        while alive(children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert alive(children) == [], f"left behind after {attempt} stop: {alive(children)}"


@pytest.mark.skipif(
    os.geteuid() != 0, reason="only a root launcher switches user; as non-root the children run as ourselves"
)
def test_a_root_launcher_runs_every_child_as_the_system_user(
    stack_env: dict[str, str], stopper: list[subprocess.Popen[str]]
) -> None:
    """Issue 18: as the cluster's pods, the local services (and every server) run non-root: each
    child's real and effective uid is the system user's; the secrets the launcher keeps stay root's."""
    home = Path(stack_env["EJOURNAL_HOME"])
    process = launch({**stack_env, "EJOURNAL_DEMO": "0"})
    stopper.append(process)
    output = wait_for_line(process, "ejournal is up", timeout=STACK_TIMEOUT)
    system = pwd.getpwnam(SYSTEM_USER)
    children = descendants_and_postmaster(process, home)
    names = {" ".join(p.cmdline()) for p in children}
    for module in ("identity", "curriculum", "gradebook", "reporting", "workflow", "notifier", "gateway"):
        assert any(f"services.{module}" in name for name in names), f"{module} not running: {output}"
    owners = {(p.pid, " ".join(p.cmdline()[:3])): (p.uids(), p.gids()) for p in children}
    wrong = {k: v for k, (uids, gids) in owners.items() for v in [(uids, gids)]
             if {uids.real, uids.effective, uids.saved} != {system.pw_uid}
             or {gids.real, gids.effective} != {system.pw_gid}}  # fmt: skip
    assert wrong == {}, "children not running as the system user"
    with urllib.request.urlopen(f"http://127.0.0.1:{stack_env['EJOURNAL_GATEWAY_PORT']}/healthz") as reply:
        assert reply.status == 200
    for secret in ("service-secrets.json", "database-roles.json", "metrics-token"):
        kept = (home / secret).stat()
        assert (kept.st_uid, kept.st_mode & 0o777) == (0, 0o600), secret  # handed over by environment
    assert (home / "signing").stat().st_uid == system.pw_uid  # reporting writes its demo keys there
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0


def test_a_taken_port_is_named_with_the_variable_that_moves_it(stack_env: dict[str, str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", int(stack_env["EJOURNAL_GATEWAY_PORT"])))
        busy.listen()
        process = launch(stack_env)
        output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert f"port {stack_env['EJOURNAL_GATEWAY_PORT']} is already in use; set EJOURNAL_GATEWAY_PORT" in output
