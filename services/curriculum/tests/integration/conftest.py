"""Fixtures of curriculum's integration tests: a fresh migrated database per test (real PostgreSQL), the
use cases' dependencies with a clock the test moves, and callers with roles in scopes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.db import make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from services.curriculum.adapters import tables
from services.curriculum.service_layer.deps import Deps, unit_of_work_factory
from services.curriculum.tests.integration.world import SYSTEM, World, build_world

__all__ = ["SYSTEM", "Clock", "person", "registrar"]  # SYSTEM: world.py's, imported here by the tests


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)  # inside the May–June loading window

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: str) -> None:
        self.now = datetime.fromisoformat(value).replace(tzinfo=UTC)


def registrar(university_id: str, subject: str = "registrar-1") -> Principal:
    return Principal(subject, (RoleGrant("registrar_inspector", "university", university_id),))


def person(subject: str, role: str, scope_type: str, scope_id: str) -> Principal:
    return Principal(subject, (RoleGrant(role, scope_type, scope_id),))


@pytest.fixture
async def engine(databases: Databases) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(databases.fresh("curriculum"), pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deps(engine: AsyncEngine, clock: Clock) -> Deps:
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    writer = OutboxWriter(tables.outbox)
    return Deps(uow=unit_of_work_factory(sessions, writer), clock=clock)


@pytest.fixture
async def world(deps: Deps) -> World:
    return await build_world(deps)
