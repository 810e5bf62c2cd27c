"""Health that means something: each dependency is ok or down, and the service as a whole is ok,
degraded or down.

A dependency is *essential* when the service cannot accept writes without it (its database, Temporal
for the workflow service); losing one makes the service down. Losing any other makes it degraded:
NATS down still accepts every write, because the outbox keeps the events until NATS is back. The
monitor probes every second and publishes the result three ways: the gRPC health service ("" is
SERVING unless down; "dependency/<name>" per dependency, which the gateway lists), and the HTTP pair
on the service's own port for a cluster's probes (`probes.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ejournal_platform.logging import get_logger

log = get_logger(__name__)

DEPENDENCY_PREFIX = "dependency/"


class State(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"


@dataclass(frozen=True)
class Dependency:
    name: str
    probe: Callable[[], Awaitable[Any]]  # raises (or times out) when the dependency is not usable
    essential: bool = True


@dataclass(frozen=True)
class Report:
    state: State
    dependencies: dict[str, State] = field(default_factory=dict)

    @property
    def accepts_writes(self) -> bool:
        return self.state is not State.DOWN

    def as_json(self) -> dict[str, Any]:
        dependencies = {name: state.value for name, state in self.dependencies.items()}
        return {"status": self.state.value, "dependencies": dependencies}


STARTING = Report(State.DOWN)


def summarise(dependencies: list[Dependency], up: dict[str, bool]) -> Report:
    states = {d.name: State.OK if up[d.name] else State.DOWN for d in dependencies}
    if any(not up[d.name] for d in dependencies if d.essential):
        return Report(State.DOWN, states)
    if not all(up.values()):
        return Report(State.DEGRADED, states)
    return Report(State.OK, states)


async def _is_up(dependency: Dependency, timeout: float) -> bool:
    try:
        async with asyncio.timeout(timeout):
            await dependency.probe()
    except asyncio.CancelledError:
        raise
    except Exception:
        return False
    return True


async def probe(dependencies: list[Dependency], timeout: float = 2.0) -> Report:
    answers = await asyncio.gather(*(_is_up(d, timeout) for d in dependencies))
    return summarise(dependencies, dict(zip([d.name for d in dependencies], answers, strict=True)))


Publish = Callable[[Report], Awaitable[None]]


class HealthMonitor:
    def __init__(self, dependencies: list[Dependency], publish: Publish, interval: float = 1.0) -> None:
        self.dependencies = dependencies
        self.publish = publish
        self.interval = interval
        self.report = STARTING

    async def check(self) -> Report:
        report = await probe(self.dependencies)
        if report != self.report:
            log.info("health changed", status=report.state.value, **report.as_json()["dependencies"])
            await self.publish(report)
        self.report = report
        return report

    async def run(self) -> None:
        while True:
            await self.check()
            await asyncio.sleep(self.interval)
