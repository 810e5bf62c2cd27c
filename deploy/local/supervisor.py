"""Keeps the local stack's children running: a child that exits unexpectedly is started again.

The shape is supervisord's and circus's: each child is a program with a start command; a child that
dies is restarted after a backoff that doubles from `first_delay` to `max_delay` and resets once the
child has stayed up for `stable_after` seconds; `flapping_restarts` restarts within `flapping_window`
(circus's "flapping") are reported loudly with the child's last log lines. Unlike supervisord, a
flapping child is never given up on: nobody may be watching an unattended college server, so it keeps
being retried at the slowest pace. Why not circus or supervisord themselves: both run as a separate
daemon with their own configuration file and control socket (circus also needs pyzmq and tornado),
while here the launcher must first create databases, generate secrets and wait for each server's
readiness in order; the restart policy is the small part, written out below.

A restart only spawns (never waits for readiness), so one slow child never delays watching the others.
Everything runs in the launcher's main thread: `watch()` polls every `poll` seconds until `stop_all()`.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from deploy.local.servers import stop_process

# Stopping order: services (and the gateway) first, then the servers they use.
SERVER, SERVICE = 0, 1

Spawn = Callable[[], subprocess.Popen[bytes]]
Stop = Callable[[subprocess.Popen[bytes]], None]


def say(message: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{stamp} supervisor: {message}", file=sys.stderr, flush=True)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C / SIGTERM while a child is spawned and recorded, so that stopping can never miss a
    child started at that very moment; the launcher's own handler runs right after. (Not a blocked
    signal mask: a child would inherit it and could not be stopped.)"""
    held = (signal.SIGINT, signal.SIGTERM)
    arrived: list[signal.Signals] = []

    def hold(signum: int, frame: object) -> None:
        arrived.append(signal.Signals(signum))

    previous = {signum: signal.signal(signum, hold) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for first in arrived[:1]:
            handler = previous[first]
            if callable(handler):
                handler(first, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(first)


def last_lines(path: Path, count: int = 20) -> list[str]:
    if not path.exists():
        return []
    with path.open("rb") as log:
        log.seek(max(0, path.stat().st_size - 64 * 1024))
        return [line.decode(errors="replace").rstrip() for line in log.readlines()[-count:]]


def how_it_ended(code: int) -> str:
    return f"killed by signal {-code}" if code < 0 else f"exited with code {code}"


@dataclass
class Policy:
    first_delay: float = 0.5
    max_delay: float = 30.0
    stable_after: float = 60.0
    flapping_restarts: int = 5
    flapping_window: float = 120.0


@dataclass
class Program:
    name: str
    spawn: Spawn
    log_file: Path
    stop: Stop = stop_process
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # when a dead child is due to be started again
    delay: float = 0.0
    restarts: deque[float] = field(default_factory=deque)  # times of recent restarts
    total_restarts: int = 0
    tier: int = SERVICE

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None


class Supervisor:
    def __init__(self, policy: Policy | None = None, poll: float = 0.2) -> None:
        self.policy = policy or Policy()
        self.poll = poll
        self.programs: dict[str, Program] = {}
        self.stopping = False

    def adopt(self, name: str, process: subprocess.Popen[bytes], spawn: Spawn, log_file: Path,
              stop: Stop = stop_process, tier: int = SERVICE) -> Program:  # fmt: skip
        """Watch a child started (and waited for) by the launcher; `spawn` starts it again. Children of
        a higher tier are stopped first (the services before the servers they use)."""
        program = Program(name, spawn, log_file, stop, process, time.monotonic(), tier=tier)
        self.programs[name] = program
        return program

    def check(self) -> None:
        """One round: notice deaths, restart the children that are due."""
        now = time.monotonic()
        for program in self.programs.values():
            if self.stopping:
                return
            if program.restart_at is not None:
                if now >= program.restart_at:
                    self._restart(program, now)
                continue
            code = program.process.poll() if program.process else None
            if code is not None:
                self._schedule(program, code, now)

    def watch(self, until: Callable[[], bool] = lambda: False) -> None:
        while not self.stopping and not until():
            self.check()
            time.sleep(self.poll)

    def _schedule(self, program: Program, code: int, now: float) -> None:
        policy = self.policy
        if now - program.started_at >= policy.stable_after:
            program.delay = 0.0  # it had been running fine: this is a fresh failure, not a loop
        program.delay = min(policy.max_delay, program.delay * 2 if program.delay else policy.first_delay)
        program.restart_at = now + program.delay
        while program.restarts and now - program.restarts[0] > policy.flapping_window:
            program.restarts.popleft()
        say(
            f"{program.name} (pid {program.pid}) {how_it_ended(code)} after "
            f"{now - program.started_at:.1f} s; restarting it in {program.delay:.1f} s; "
            f"the rest keep running"
        )
        if len(program.restarts) >= policy.flapping_restarts:
            program.delay = policy.max_delay
            program.restart_at = now + program.delay
            tail = "\n    ".join(last_lines(program.log_file)) or "(empty)"
            say(
                f"!!! {program.name} IS CRASHING REPEATEDLY: {len(program.restarts)} restarts in the last "
                f"{policy.flapping_window:.0f} s; retrying every {policy.max_delay:.0f} s. "
                f"Last lines of {program.log_file}:\n    {tail}"
            )

    def _restart(self, program: Program, now: float) -> None:
        program.restart_at = None
        program.restarts.append(now)
        program.total_restarts += 1
        try:
            with signals_deferred():
                program.process = program.spawn()
        except Exception as error:  # e.g. the binary vanished: counts as a crash, retried with backoff
            say(f"{program.name} could not be started: {error!r}")
            program.process = None
            program.started_at = now
            self._schedule(program, 1, now)
            return
        program.started_at = now
        say(f"{program.name} restarted (pid {program.pid}, restart #{program.total_restarts})")

    def stop_all(self) -> None:
        """Stop every child, the restarted ones included: the services first, all at once, then the
        servers they use (PostgreSQL, NATS, Temporal), all at once. In parallel, each child's grace
        period runs alongside the others' instead of after them."""
        self.stopping = True
        for tier in sorted({p.tier for p in self.programs.values()}, reverse=True):
            running = [p for p in self.programs.values() if p.tier == tier and p.process is not None]
            if not running:
                continue
            with ThreadPoolExecutor(max_workers=len(running)) as pool:
                for failure in pool.map(_stop_quietly, running):
                    if failure:
                        say(failure)


def _stop_quietly(program: Program) -> str:
    try:
        if program.process is not None:
            program.stop(program.process)
    except Exception as error:
        return f"{program.name} could not be stopped: {error!r}"
    return ""
