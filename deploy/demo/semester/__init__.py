"""The scripted semester: one semester per regulation profile, played through the gateway's HTTP API
only, against a running stack with the demo university loaded.

    python -m deploy.demo.semester [--gateway http://127.0.0.1:8080]

Prints one line per step (who, what, expected, got) and exits non-zero if any expectation fails.
Steps not scripted yet are printed as such, never as passed."""

from __future__ import annotations

from deploy.demo.semester.play import main, run

__all__ = ["main", "run"]
