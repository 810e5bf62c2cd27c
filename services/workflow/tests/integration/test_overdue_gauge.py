"""Issue 18: `ejournal_reopen_steps_overdue` counts the open reopen cases whose current step is past its
deadline (flagged by the workflow, or just passed), and no ended or still-timely case."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.testing.fixtures import Databases
from services.workflow.adapters import tables
from services.workflow.adapters.case_store import count_overdue_steps
from services.workflow.service_layer.deps import Deps
from services.workflow.service_layer.tasks import measure_overdue_steps
from services.workflow.tests.doubles import FakeGradebook

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

INSERT = text(
    """
    INSERT INTO reopen_cases (case_id, workflow_id, journal_id, section, teacher_id, department_id,
        faculty_id, term_id, profile_code, step, deadline, overdue, reason, closed_at, received_at,
        ended_at, view, submitted_by, request_id)
    VALUES (:id, :id, :id, 'current', 't', 'd', 'f', 'term', 'kz-medical', 'department_head_visa',
        :deadline, :overdue, 'late', :now, :now, :ended, '{}'::jsonb, 't', :id)
    """
)


async def test_only_open_cases_past_their_step_deadline_are_counted(databases: Databases) -> None:
    engine = make_engine(databases.fresh("workflow"))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    cases = [
        (NOW - timedelta(hours=1), False, None),  # deadline passed, not yet flagged: counted
        (NOW + timedelta(days=1), True, None),  # flagged by the workflow: counted
        (NOW + timedelta(days=1), False, None),  # still in time
        (None, False, None),  # a step without a deadline
        (NOW - timedelta(days=3), True, NOW - timedelta(days=1)),  # ended: not counted
    ]
    try:
        async with sessions() as session, session.begin():
            for deadline, overdue, ended in cases:
                values = {"id": str(uuid.uuid4()), "deadline": deadline, "overdue": overdue, "ended": ended}
                await session.execute(INSERT, values | {"now": NOW})
        async with sessions() as session:
            assert await count_overdue_steps(session, NOW) == 2
            assert await count_overdue_steps(session, NOW + timedelta(days=2)) == 3
        deps = Deps(
            lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)), FakeGradebook(), clock=lambda: NOW
        )
        loop = asyncio.create_task(measure_overdue_steps(deps, every=0.05))
        await asyncio.sleep(0.5)
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
        assert REGISTRY.get_sample_value("ejournal_reopen_steps_overdue") == 2
    finally:
        await engine.dispose()
