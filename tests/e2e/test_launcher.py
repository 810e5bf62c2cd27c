"""The README's run command end to end: the launcher brings up every real server and service, the
gateway's /healthz answers 200, and SIGTERM leaves no process behind; a second start reuses the data."""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

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


def test_a_taken_port_is_named_with_the_variable_that_moves_it(stack_env: dict[str, str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", int(stack_env["EJOURNAL_GATEWAY_PORT"])))
        busy.listen()
        process = launch(stack_env)
        output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert f"port {stack_env['EJOURNAL_GATEWAY_PORT']} is already in use; set EJOURNAL_GATEWAY_PORT" in output
