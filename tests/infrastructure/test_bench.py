"""`python -m bench` runs every benchmark (the package's own __main__ is not one of them), prints its
figures without a log line per call, and writes them as JSON on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import available

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.unit
def test_every_module_but_the_runner_and_its_helpers_is_a_benchmark() -> None:
    names = available()
    assert "__main__" not in names and "harness" not in names and "report" not in names
    assert {"identity", "outbox", "gradebook", "reporting", "workflow", "curriculum"} <= set(names)


@pytest.mark.integration
def test_a_tiny_run_writes_every_figure_as_json_and_logs_no_call(tmp_path: Path) -> None:
    target = tmp_path / "figures.json"
    env = {**os.environ, "EJOURNAL_BENCH_TINY": "1", "EJOURNAL_BENCH_JSON": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "identity", "outbox"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(target.read_text(encoding="utf-8"))
    assert set(figures) == {
        "identity/TokenVerifier.verify",
        "identity/JwtAuthenticator.authenticate (cached keys)",
        "identity/Login RPC end to end, median (raw: argon2 verify)",
        "outbox/events committed and published, per second",
    }
    for figure in figures.values():
        assert set(figure) == {"ours", "raw", "unit", "better"}
        assert figure["ours"] > 0 and figure["raw"] > 0 and figure["better"] in ("higher", "lower")
    for name in figures:
        assert name.split("/", 1)[1] in done.stdout  # printed too
    # The Login RPCs ran through identity's gRPC server: none of them left an info line.
    assert "[info" not in done.stdout + done.stderr and '"level": "info"' not in done.stdout + done.stderr
