"""The launcher's supervisor with real child processes: a killed child is started again while the
others keep running, a crash loop is reported loudly with the child's last log lines, and stopping
stops the restarted children too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deploy.local.supervisor import Policy, Supervisor

pytestmark = pytest.mark.unit


def spawner(log_file: Path, code: str) -> Callable[[], subprocess.Popen[bytes]]:
    def spawn() -> subprocess.Popen[bytes]:
        with log_file.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    return spawn


def run_until(supervisor: Supervisor, condition: Callable[[], bool], limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    supervisor.watch(until=lambda: condition() or time.monotonic() > deadline)
    assert condition(), "the supervisor did not get there"


def test_a_killed_child_is_restarted_and_the_others_keep_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    supervisor = Supervisor(Policy(first_delay=0.1), poll=0.05)
    sleeper = "import time; print('up', flush=True); time.sleep(600)"
    programs = {}
    for name in ("nats", "gradebook"):
        spawn = spawner(tmp_path / f"{name}.log", sleeper)
        programs[name] = supervisor.adopt(name, spawn(), spawn, tmp_path / f"{name}.log")
    victim, bystander = programs["gradebook"].process, programs["nats"].process
    assert victim is not None and bystander is not None
    os.kill(victim.pid, signal.SIGKILL)

    run_until(supervisor, lambda: programs["gradebook"].process is not victim)
    restarted = programs["gradebook"].process
    assert restarted is not None and restarted.poll() is None
    assert programs["nats"].process is bystander and bystander.poll() is None
    said = capsys.readouterr().err
    assert f"gradebook (pid {victim.pid}) killed by signal 9" in said
    assert f"gradebook restarted (pid {restarted.pid}" in said

    supervisor.stop_all()  # a graceful SIGTERM reaches the restarted child too
    assert restarted.returncode == -signal.SIGTERM and bystander.returncode == -signal.SIGTERM


def test_a_crash_loop_is_reported_with_the_last_log_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = Policy(first_delay=0.01, max_delay=0.05, flapping_restarts=3, flapping_window=60)
    supervisor = Supervisor(policy, poll=0.02)
    log_file = tmp_path / "workflow.log"
    crash = "print('cannot reach temporal at 127.0.0.1:1', flush=True); raise SystemExit(3)"
    spawn = spawner(log_file, crash)
    program = supervisor.adopt("workflow", spawn(), spawn, log_file)

    run_until(supervisor, lambda: program.total_restarts >= 4)
    said = capsys.readouterr().err
    assert "workflow (pid" in said and "exited with code 3" in said
    assert "!!! workflow IS CRASHING REPEATEDLY" in said
    assert "cannot reach temporal at 127.0.0.1:1" in said
    supervisor.stop_all()


# On SIGTERM a child marks that it was asked to stop, then waits (up to 60 s) until every child of its
# wave was asked too, and exits 0 after marking itself done; a server also checks that every service
# was done before it was asked. One after another, the first would wait for the others until the
# supervisor's SIGKILL (after its grace period); together, all of them exit 0.
WAVE_CHILD = """
import pathlib, signal, sys, time
folder, name, wave, after = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3].split(","), sys.argv[4]
def on_term(signum, frame):
    (folder / f"{name}.asked").touch()
    before = [n for n in after.split(",") if n and not (folder / f"{n}.done").exists()]
    deadline = time.monotonic() + 60
    while not all((folder / f"{n}.asked").exists() for n in wave):
        if time.monotonic() > deadline:
            sys.exit(3)
        time.sleep(0.05)
    (folder / f"{name}.done").touch()
    sys.exit(4 if before else 0)
signal.signal(signal.SIGTERM, on_term)
print("up", flush=True)
while True:
    time.sleep(1)
"""


def test_stopping_stops_the_services_together_and_then_the_servers_together(tmp_path: Path) -> None:
    from deploy.local.supervisor import SERVER

    services, servers = ["gradebook", "reporting", "gateway"], ["postgresql", "nats"]
    supervisor = Supervisor()
    programs = {}
    for name in [*servers, *services]:
        wave = servers if name in servers else services
        after = ",".join(services) if name in servers else ""
        args = [str(tmp_path), name, ",".join(wave), after]

        def spawn(args: list[str] = args, name: str = name) -> subprocess.Popen[bytes]:
            with (tmp_path / f"{name}.log").open("ab") as log:
                return subprocess.Popen(
                    [sys.executable, "-c", WAVE_CHILD, *args], stdout=log, start_new_session=True
                )

        process = spawn()
        programs[name] = supervisor.adopt(
            name, process, spawn, tmp_path / f"{name}.log", tier=SERVER if name in servers else 1
        )
    for name in programs:  # every child has its handler in place before the stop begins
        deadline = time.monotonic() + 30
        while "up" not in (tmp_path / f"{name}.log").read_text():
            assert time.monotonic() < deadline
            time.sleep(0.05)

    supervisor.stop_all()
    codes = {name: program.process.returncode for name, program in programs.items() if program.process}
    assert codes == dict.fromkeys(programs, 0)  # none killed, no server asked before a service was done
