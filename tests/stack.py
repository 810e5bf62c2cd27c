"""Starting the whole stack with the real launcher on free ports, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from deploy.local.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
PORT_VARIABLES = (
    "PG_PORT", "NATS_PORT", "NATS_MONITOR_PORT", "TEMPORAL_PORT", "TEMPORAL_UI_PORT", "IDENTITY_PORT",
    "CURRICULUM_PORT", "GRADEBOOK_PORT", "REPORTING_PORT", "WORKFLOW_PORT", "GATEWAY_PORT",
    "NOTIFIER_PORT", "SUBSCRIBERS_PORT", "SMTP_PORT",
)  # fmt: skip


# Seconds a test stack may take to come up with its demo data (EJOURNAL_STACK_TIMEOUT): a wait, not a
# speed claim. Several minutes on a loaded machine; the launcher's own health wait gets the same.
STACK_TIMEOUT = float(os.environ.get("EJOURNAL_STACK_TIMEOUT", "600"))


def stack_environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EJOURNAL_")}
    env["EJOURNAL_HOME"] = str(home)
    env["EJOURNAL_START_TIMEOUT"] = str(STACK_TIMEOUT)
    for name in PORT_VARIABLES:
        env[f"EJOURNAL_{name}"] = str(free_port())
    return env


def launch(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "deploy.local.launcher"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def wait_for_line(process: subprocess.Popen[str], needle: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"no {needle!r} within {timeout} s; output:\n{''.join(seen)}")


def stop(process: subprocess.Popen[str]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.wait(60)


@dataclass(frozen=True)
class Stack:
    env: dict[str, str]
    home: Path

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.env['EJOURNAL_GATEWAY_PORT']}"
