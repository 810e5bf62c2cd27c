"""The backfill of recorded_cells (issue 22): marks and attendance gradebook published before
curriculum's cells consumer ever ran are known after its first run, because that consumer is a durable
of its own that starts at the gradebook stream's first event (a sync import then refuses to remove what
they forbid: test_sync_imports.py). Real NATS JetStream and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.events import headers_for
from ejournal_platform.nats import connect, ensure_stream
from ejournal_platform.runtime import Runtime
from services.curriculum.adapters.models import Lesson, RecordedCell
from services.curriculum.entrypoints.main import recorded_cells_consumer
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.test_sync_imports import scheduled
from services.curriculum.tests.integration.world import SYSTEM, World

pytestmark = pytest.mark.integration


async def cells(deps: Deps, lessons: list[str]) -> list[tuple[str, str, str]]:
    """The cells of these lessons (the NATS server is shared by the session's tests)."""
    async with deps.uow() as uow:
        rows = await uow.session.scalars(select(RecordedCell).where(RecordedCell.lesson_id.in_(lessons)))
        return sorted((r.lesson_id, r.student_id, r.kind) for r in rows)


async def test_cells_recorded_before_the_consumer_ran_are_backfilled_on_its_first_run(
    deps: Deps, world: World, engine: AsyncEngine, nats_server: NatsServer
) -> None:
    await scheduled(deps, world, by=SYSTEM)  # four lectures of ЖМ-101: the cells' columns
    async with deps.uow() as uow:
        lesson, other = (
            str(i) for i in await uow.session.scalars(select(Lesson.id).order_by(Lesson.date).limit(2))
        )
    nc = await connect(nats_server.url, "curriculum-backfill-test")
    js = nc.jetstream()
    await ensure_stream(js, "gradebook")
    students = [str(uuid.uuid4()) for _ in range(3)]
    unknown = str(uuid.uuid4())  # a column curriculum does not know: skipped, the consumer goes on
    earlier = [
        gb.MarkRecorded(journal_id="j", lesson_id=unknown, student_id=students[0], value="3"),
        gb.MarkRecorded(journal_id="j", lesson_id=lesson, student_id=students[0], value="5"),
        gb.MarkRecorded(journal_id="j", lesson_id=lesson, student_id=students[1], value=""),  # cleared
        gb.AttendanceRecorded(journal_id="j", lesson_id=other, student_id=students[2]),
    ]
    for message in earlier:  # published while curriculum had no cells consumer at all
        name, event_id = message.DESCRIPTOR.full_name, str(uuid.uuid4())
        headers = headers_for(event_id, name, "gradebook", "journal/j", datetime.now(UTC).isoformat())
        await js.publish(name, message.SerializeToString(), headers=headers)
    assert await cells(deps, [lesson, other, unknown]) == []
    runtime = cast(
        Runtime, SimpleNamespace(js=js, unit_of_work=deps.uow)
    )  # the consumer's handler takes a unit of work
    task = asyncio.create_task(recorded_cells_consumer(runtime).run())
    try:
        for _ in range(600):  # a liveness bound, not a speed claim
            if len(await cells(deps, [lesson, other])) >= 2:
                break
            await asyncio.sleep(0.1)
        assert await cells(deps, [lesson, other, unknown]) == sorted(
            [(lesson, students[0], "mark"), (other, students[2], "attendance")]
        )
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await nc.close()
