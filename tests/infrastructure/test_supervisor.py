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
