"""Input and output of the scheduled reconciliation of reopen cases. Stored in workflow histories."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReconcileInput:
    activity_timeout_seconds: float = 300.0


@dataclass(frozen=True)
class ReconcileResult:
    started: tuple[str, ...]
    restored: tuple[str, ...]
    needs_operator: tuple[str, ...]
