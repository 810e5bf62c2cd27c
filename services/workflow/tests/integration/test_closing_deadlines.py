"""Closing deadlines (KZ-05, KZ-06) on the time-skipping server with the real closing activities and
database: curriculum's ControlEventScheduled starts the workflow, teachers with unfilled cells are
reminded, every section closes at the deadline; CalendarDeadlineChanged moves the running timer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

from ejournal.curriculum.v1 import events_pb2 as curriculum
from ejournal.gradebook.v1 import events_pb2 as gradebook
from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_regulation import get_profile
from services.workflow.adapters import tables
from services.workflow.adapters.closing_processes import ClosingProcesses
from services.workflow.domain.fill_checks import JournalFill, LessonDayFill
from services.workflow.entrypoints import activities as run
from services.workflow.entrypoints.consumers import on_curriculum_event, on_gradebook_events
from services.workflow.processes.closing.messages import ClosingView, workflow_id
from services.workflow.processes.closing.workflows import ClosingDeadlineWorkflow
from services.workflow.processes.monitoring.messages import FillStatus
from services.workflow.service_layer.deps import Deps
from services.workflow.tests.doubles import FakeGradebook
from services.workflow.tests.harness import event

pytestmark = pytest.mark.integration


@dataclass
class Closing:
    env: Any
    sessions: async_sessionmaker[AsyncSession]
    gradebook: FakeGradebook
    processes: ClosingProcesses
    control_event_id: str

    async def apply(self, message: Any) -> None:
        async with UnitOfWork(self.sessions, OutboxWriter(tables.outbox)) as uow:
            if message.DESCRIPTOR.full_name.startswith("ejournal.gradebook"):
                await on_gradebook_events(self.processes)(uow, event(message))
            else:
                await on_curriculum_event(self.processes)(uow, event(message))
            await uow.commit()

    async def notices(self) -> list[ev.NotificationRequested]:
        async with self.sessions() as session:
            rows = await session.execute(
                tables.outbox.select().where(
                    tables.outbox.c.event_type == ev.NotificationRequested.DESCRIPTOR.full_name
                )
            )
            found = []
            for row in rows.all():
                notice = ev.NotificationRequested()
                notice.ParseFromString(row.payload)
                found.append(notice)
            return found


@asynccontextmanager
async def _closing_on(databases: Any, time_skipping: Any) -> AsyncIterator[Closing]:
    engine = make_engine(databases.fresh("workflow"))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    outbox = OutboxWriter(tables.outbox)
    fake = FakeGradebook()
    queue = f"closing-{uuid.uuid4().hex[:8]}"
    activities = run.Closing(Deps(lambda: UnitOfWork(sessions, outbox), fake))
    async with Worker(
        time_skipping.client,
        task_queue=queue,
        workflows=[ClosingDeadlineWorkflow],
        activities=activities.all(),
    ):
        yield Closing(
            time_skipping,
            sessions,
            fake,
            ClosingProcesses(time_skipping.client, queue),
            f"cev-{uuid.uuid4().hex[:8]}",
        )
    await engine.dispose()


@pytest.fixture
async def closing(databases: Any, time_skipping: Any) -> AsyncIterator[Closing]:
    async with _closing_on(databases, time_skipping) as value:
        yield value


@pytest.fixture
async def closing_alone(databases: Any, own_time_skipping: Any) -> AsyncIterator[Closing]:
    """On a time-skipping server of its own (conftest.own_time_skipping): the test terminates a workflow."""
    async with _closing_on(databases, own_time_skipping) as value:
        yield value


def scheduled(cev: str, event_date: datetime, deadline: datetime, revision: int = 1) -> Any:
    return curriculum.ControlEventScheduled(
        control_event_id=cev,
        kind=curriculum.CONTROL_EVENT_KIND_MIDTERM,
        course_unit_id="cu",
        group_id="g",
        date=event_date.date().isoformat(),
        closing_deadline=deadline.isoformat(),
        profile_code="kz-medical",
        department_id="dep",
        faculty_id="fac",
        revision=revision,
    )


async def seed_sections(c: Closing, event_date: datetime) -> None:
    for journal, teacher in (("journal-a", "Айгүл"), ("journal-b", "Бекзат")):
        await c.apply(
            gradebook.SectionScheduled(
                journal_id=journal,
                section=c.control_event_id,
                control_kind="midterm",
                date=event_date.date().isoformat(),
                teacher_ids=[teacher],
                department_id="dep",
                faculty_id="fac",
                profile_code="kz-medical",
            )
        )
    day = event_date.date().isoformat()
    c.gradebook.status = FillStatus(
        (
            JournalFill(
                "journal-a", ("Айгүл",), "dep", "fac", "cu", 30, (LessonDayFill(day, 1, True, 20, 12, 20, 0),)
            ),
        )
    )


@pytest.mark.rule("KZ-05")
async def test_sections_close_at_the_deadline_after_reminders_to_teachers_with_unfilled_cells(
    closing: Closing,
) -> None:
    c = closing
    now = await c.env.get_current_time()
    event_date = now + timedelta(days=1)
    deadline_day = get_profile("kz-medical").closing.closing_deadline(event_date.date())
    assert deadline_day == (event_date + timedelta(days=3)).date()  # KZ-05: 3 days after the event
    deadline = event_date + timedelta(days=3)
    await seed_sections(c, event_date)
    await c.apply(scheduled(c.control_event_id, event_date, deadline))
    await c.apply(scheduled(c.control_event_id, event_date, deadline))  # a redelivery starts nothing twice

    handle = c.env.client.get_workflow_handle(workflow_id(c.control_event_id), result_type=ClosingView)
    await c.env.sleep(deadline - now - timedelta(hours=1))
    assert c.gradebook.close_calls == []  # not before the deadline
    await c.env.sleep(timedelta(hours=2))  # (a handle not from start_workflow does not skip time itself)
    view = await handle.result()

    assert view.closed and view.sections_closed == 2 and view.reminders_sent == (48, 24)
    assert view.closed_at is not None and deadline <= view.closed_at < deadline + timedelta(minutes=1)
    [call] = c.gradebook.close_calls
    assert (
        call.control_event_id == c.control_event_id
        and call.idempotency_key == f"closing:{c.control_event_id}"
    )
    reminders = [n for n in await c.notices() if n.kind == "closing"]
    assert [(n.recipient_id, n.what) for n in reminders] == [
        ("Айгүл", "8 cells unfilled; the sections close at the deadline")
    ] * 2  # Бекзат filled everything: not reminded
    assert all(n.deadline == deadline.isoformat() for n in reminders)


@pytest.mark.rule("KZ-06", "KZ-05")
async def test_a_registrar_change_of_the_deadline_moves_the_running_timer(closing: Closing) -> None:
    c = closing
    now = await c.env.get_current_time()
    event_date = now + timedelta(days=1)
    deadline = event_date + timedelta(days=3)
    await seed_sections(c, event_date)
    await c.apply(scheduled(c.control_event_id, event_date, deadline))
    later = deadline + timedelta(days=2)
    await c.apply(
        curriculum.CalendarDeadlineChanged(
            control_event_id=c.control_event_id,
            deadline_kind="closing",
            new_deadline=later.isoformat(),
            old_deadline=deadline.isoformat(),
            reason="бұйрық № 77",
            changed_by="registrar-1",
            revision=2,
        )
    )
    # A stale change (older revision) and a grade-entry change do not move it.
    await c.apply(
        curriculum.CalendarDeadlineChanged(
            control_event_id=c.control_event_id,
            deadline_kind="closing",
            new_deadline=deadline.isoformat(),
            changed_by="registrar-1",
            revision=1,
        )
    )
    await c.apply(
        curriculum.CalendarDeadlineChanged(
            control_event_id=c.control_event_id,
            deadline_kind="grade_entry",
            new_deadline=now.isoformat(),
            changed_by="registrar-1",
            revision=3,
        )
    )
    handle = c.env.client.get_workflow_handle(workflow_id(c.control_event_id), result_type=ClosingView)
    await c.env.sleep(deadline - now + timedelta(hours=1))  # past the old deadline
    view = await handle.query(ClosingDeadlineWorkflow.view)
    assert not view.closed and view.deadline == later and view.revision == 2
    assert "registrar-1" in view.moves[0] and "бұйрық № 77" in view.moves[0]
    assert c.gradebook.close_calls == []

    await c.env.sleep(later - deadline)
    view = await handle.result()
    assert view.closed_at is not None and later <= view.closed_at < later + timedelta(minutes=1)
    # A move after closing is refused (reported, nothing changes).
    assert (
        await c.processes.move(c.control_event_id, later + timedelta(days=1), 4, "registrar-1", "x") is None
    )


@pytest.mark.rule("KZ-05")
async def test_a_cancelled_control_event_stops_its_closing_process_and_reminds_nobody(
    closing_alone: Closing,
) -> None:
    c = closing_alone
    now = await c.env.get_current_time()
    event_date = now + timedelta(days=1)
    deadline = event_date + timedelta(days=3)
    await seed_sections(c, event_date)
    await c.apply(scheduled(c.control_event_id, event_date, deadline))
    cancelled = curriculum.ControlEventCancelled(
        control_event_id=c.control_event_id, reason="sync import", cancelled_by="registrar-1", revision=2
    )
    await c.apply(cancelled)
    await c.apply(cancelled)  # a redelivery finds nothing running: no error
    handle = c.env.client.get_workflow_handle(workflow_id(c.control_event_id))
    assert (await handle.describe()).status == WorkflowExecutionStatus.TERMINATED
    await c.env.sleep(deadline - now + timedelta(hours=1))  # past the deadline
    assert c.gradebook.close_calls == []
    assert [n for n in await c.notices() if n.kind == "closing"] == []


@pytest.mark.rule("KZ-05")
async def test_a_section_opened_after_its_deadline_is_closed_by_a_late_process_of_its_own(
    closing: Closing,
) -> None:
    """The event's process closes the sections of the journals that exist at the deadline. A journal the
    gradebook opens later (its events arrived after the deadline, as in a freshly seeded demo) gets its
    section closed by a process of its own, with its own idempotency key; one whose deadline is still
    ahead is left to the event's process."""
    c = closing
    env_now = await c.env.get_current_time()
    deadline = min(env_now, datetime.now(UTC)) - timedelta(days=30)
    event_date = deadline - timedelta(days=3)
    await c.apply(scheduled(c.control_event_id, event_date, deadline))
    event_process = c.env.client.get_workflow_handle(workflow_id(c.control_event_id), result_type=ClosingView)
    assert (await event_process.result()).closed

    def section_of(journal: str, closing_deadline: datetime) -> Any:
        return gradebook.SectionScheduled(
            journal_id=journal,
            section=c.control_event_id,
            control_kind="midterm",
            date=event_date.date().isoformat(),
            closing_deadline=closing_deadline.isoformat(),
            teacher_ids=["Айгүл"],
            department_id="dep",
            faculty_id="fac",
            group_id="g",
            course_unit_id="cu",
            profile_code="kz-medical",
        )

    await c.apply(section_of("journal-late", deadline))
    await c.apply(section_of("journal-late", deadline))  # a redelivery starts nothing twice
    late = c.env.client.get_workflow_handle(
        workflow_id(c.control_event_id, "journal-late"), result_type=ClosingView
    )
    assert (await late.result()).closed
    late_calls = [call for call in c.gradebook.close_calls if call.journal_id == "journal-late"]
    assert [call.idempotency_key for call in late_calls] == [f"closing:{c.control_event_id}:journal-late"]
    assert [call.journal_id for call in c.gradebook.close_calls] == ["", "journal-late"]

    await c.apply(section_of("journal-ahead", env_now + timedelta(days=10)))
    with pytest.raises(RPCError) as missing:
        await c.env.client.get_workflow_handle(workflow_id(c.control_event_id, "journal-ahead")).describe()
    assert missing.value.status == RPCStatusCode.NOT_FOUND
