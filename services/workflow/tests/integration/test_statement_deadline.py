"""KZ-15 statement deadline on the time-skipping server with the real activities and database:
curriculum's final control starts the process; teachers of incomplete journals are reminded, then
their department head is told; on the deadline the complete journal's statement is formed (through
CloseSection for that journal) and the incomplete journal's lateness is recorded."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowExecutionStatus
from temporalio.worker import Worker

from ejournal.curriculum.v1 import events_pb2 as curriculum
from ejournal.gradebook.v1 import events_pb2 as gradebook
from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from ejournal_regulation import get_profile
from services.workflow.adapters import tables
from services.workflow.adapters.closing_processes import ClosingProcesses
from services.workflow.adapters.statement_processes import StatementProcesses
from services.workflow.domain.fill_checks import JournalFill, LessonDayFill
from services.workflow.entrypoints import activities as run
from services.workflow.entrypoints.consumers import on_curriculum_event, on_gradebook_event
from services.workflow.processes.monitoring.messages import FillStatus
from services.workflow.processes.statements.messages import StatementDeadlineView, workflow_id
from services.workflow.processes.statements.workflows import StatementDeadlineWorkflow
from services.workflow.service_layer.deps import Deps
from services.workflow.tests.doubles import FakeGradebook
from services.workflow.tests.harness import event

pytestmark = pytest.mark.integration


@dataclass
class Deadline:
    env: Any
    sessions: async_sessionmaker[AsyncSession]
    gradebook: FakeGradebook
    closing: ClosingProcesses
    statements: StatementProcesses
    control_event_id: str

    async def apply(self, message: Any) -> None:
        async with UnitOfWork(self.sessions, OutboxWriter(tables.outbox)) as uow:
            if message.DESCRIPTOR.full_name.startswith("ejournal.gradebook"):
                await on_gradebook_event(uow, event(message))
            else:
                await on_curriculum_event(self.closing, self.statements)(uow, event(message))
            await uow.commit()

    async def published(self, message_type: Any) -> list[Any]:
        async with self.sessions() as session:
            rows = await session.execute(
                tables.outbox.select()
                .where(tables.outbox.c.event_type == message_type.DESCRIPTOR.full_name)
                .order_by(tables.outbox.c.seq)
            )
            found = []
            for row in rows.all():
                message = message_type()
                message.ParseFromString(row.payload)
                found.append(message)
            return found


@asynccontextmanager
async def _deadline_on(databases: Any, time_skipping: Any) -> AsyncIterator[Deadline]:
    engine = make_engine(databases.fresh("workflow"))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    fake = FakeGradebook()
    queue = f"statements-{uuid.uuid4().hex[:8]}"
    activities = run.Statements(Deps(lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)), fake))
    async with Worker(
        time_skipping.client,
        task_queue=queue,
        workflows=[StatementDeadlineWorkflow],
        activities=activities.all(),
    ):
        yield Deadline(
            time_skipping,
            sessions,
            fake,
            ClosingProcesses(time_skipping.client, queue),
            StatementProcesses(time_skipping.client, queue),
            f"cev-{uuid.uuid4().hex[:8]}",
        )
    await engine.dispose()


@pytest.fixture
async def deadline(databases: Any, time_skipping: Any) -> AsyncIterator[Deadline]:
    async with _deadline_on(databases, time_skipping) as value:
        yield value


@pytest.fixture
async def deadline_alone(databases: Any, own_time_skipping: Any) -> AsyncIterator[Deadline]:
    """On a time-skipping server of its own (conftest.own_time_skipping): the test terminates a workflow."""
    async with _deadline_on(databases, own_time_skipping) as value:
        yield value


def final_control(cev: str, kind: Any, day: str, profile: str = "kz-medical") -> Any:
    # No closing deadline: this test is about the statement deadline alone (no closing workflow starts).
    return curriculum.ControlEventScheduled(
        control_event_id=cev,
        kind=kind,
        course_unit_id="cu",
        group_id="g",
        date=day,
        profile_code=profile,
        department_id="dep",
        faculty_id="fac",
        revision=1,
    )


async def seed(d: Deadline, day: str) -> None:
    for journal, teacher in (("journal-a", "Айгүл"), ("journal-b", "Бекзат")):
        await d.apply(
            gradebook.SectionScheduled(
                journal_id=journal,
                section=d.control_event_id,
                control_kind="intermediate_attestation",
                date=day,
                teacher_ids=[teacher],
                department_id="dep",
                faculty_id="fac",
                profile_code="kz-medical",
            )
        )
    d.gradebook.status = FillStatus(
        (
            JournalFill(
                "journal-a", ("Айгүл",), "dep", "fac", "cu", 30, (LessonDayFill(day, 1, True, 20, 12, 20, 0),)
            ),
            JournalFill(
                "journal-b",
                ("Бекзат",),
                "dep",
                "fac",
                "cu",
                30,
                (LessonDayFill(day, 1, True, 20, 20, 20, 0),),
            ),
        )
    )


@pytest.mark.rule("KZ-15")
async def test_on_the_deadline_a_complete_journal_gets_its_statement_and_an_incomplete_one_is_late(
    deadline: Deadline,
) -> None:
    d = deadline
    now = await d.env.get_current_time()
    day = (now + timedelta(days=1)).date()
    days = get_profile("kz-medical").statements_within_days
    assert days == 3  # KZ-15: within 3 days after the final control, as profile data
    due = datetime.combine(day + timedelta(days=days), time(23, 59), UTC)
    await seed(d, day.isoformat())
    kind = curriculum.CONTROL_EVENT_KIND_INTERMEDIATE_ATTESTATION
    await d.apply(final_control(d.control_event_id, kind, day.isoformat()))
    await d.apply(
        final_control(d.control_event_id, kind, day.isoformat())
    )  # a redelivery starts nothing twice

    handle = d.env.client.get_workflow_handle(
        workflow_id(d.control_event_id), result_type=StatementDeadlineView
    )
    await d.env.sleep(due - now - timedelta(hours=1))
    view = await handle.query(StatementDeadlineWorkflow.view)
    assert not view.settled and view.deadline == due and view.alerts_sent == ("remind@48h", "escalate@24h")
    assert d.gradebook.close_calls == []  # nothing formed before the deadline
    alerts = await d.published(ev.NotificationRequested)
    assert [(n.recipient_id, n.recipient_role, n.scope_id, n.kind) for n in alerts] == [
        ("Айгүл", "", "", "statement"),  # Бекзат's journal is complete: not reminded
        ("", "department_head", "dep", "statement"),
    ]
    assert "8 cells unfilled in journal journal-a" in alerts[0].what and "journal-a" in alerts[1].what
    assert all(n.deadline == due.isoformat() for n in alerts)

    await d.env.sleep(timedelta(hours=2))
    view = await handle.result()
    assert view.settled and view.formed == ("journal-b",) and view.late == ("journal-a",)
    [call] = d.gradebook.close_calls  # only the complete journal's statement, formed for that journal
    assert (call.journal_id, call.control_event_id, call.idempotency_key) == (
        "journal-b",
        d.control_event_id,
        f"statement:{d.control_event_id}:journal-b",
    )
    [late] = await d.published(ev.StatementLate)
    assert (late.journal_id, late.unfilled_cells, list(late.teacher_ids), late.deadline) == (
        "journal-a",
        8,
        ["Айгүл"],
        due.isoformat(),
    )
    told = [(n.recipient_id, n.recipient_role) for n in await d.published(ev.NotificationRequested)][2:]
    assert told == [("Айгүл", ""), ("", "department_head")]


async def test_no_statement_deadline_after_a_midterm_or_in_a_profile_without_one(deadline: Deadline) -> None:
    d = deadline
    day = (await d.env.get_current_time()).date().isoformat()
    await d.apply(final_control(d.control_event_id, curriculum.CONTROL_EVENT_KIND_MIDTERM, day))
    other = f"cev-{uuid.uuid4().hex[:8]}"
    await d.apply(
        final_control(other, curriculum.CONTROL_EVENT_KIND_INTERMEDIATE_ATTESTATION, day, "kg-jasu")
    )
    for cev in (d.control_event_id, other):
        with pytest.raises(Exception, match="not found"):
            await d.env.client.get_workflow_handle(workflow_id(cev)).describe()


@pytest.mark.rule("KZ-15")
async def test_a_moved_closing_deadline_moves_the_running_statement_deadline(deadline: Deadline) -> None:
    """The registrar extends the final control's closing past the statement's day (KZ-06): the process
    must not form statements (close sections) before it; its deadline and alerts follow the new day."""
    d = deadline
    now = await d.env.get_current_time()
    day = (now + timedelta(days=1)).date()
    due = datetime.combine(day + timedelta(days=3), time(23, 59), UTC)
    await seed(d, day.isoformat())
    kind = curriculum.CONTROL_EVENT_KIND_INTERMEDIATE_ATTESTATION
    await d.apply(final_control(d.control_event_id, kind, day.isoformat()))
    handle = d.env.client.get_workflow_handle(
        workflow_id(d.control_event_id), result_type=StatementDeadlineView
    )
    await d.env.sleep(due - now - timedelta(hours=47))  # the first reminder went out
    assert (await handle.query(StatementDeadlineWorkflow.view)).alerts_sent == ("remind@48h",)

    def moved(revision: int, to: datetime) -> curriculum.CalendarDeadlineChanged:
        return curriculum.CalendarDeadlineChanged(
            control_event_id=d.control_event_id, deadline_kind="closing", new_deadline=to.isoformat(),
            revision=revision, changed_by="registrar", reason="exam moved: hall flooded",
        )  # fmt: skip

    closing = datetime.combine(day + timedelta(days=5), time(18, 0), UTC)
    await d.apply(moved(2, closing))
    await d.apply(moved(2, closing + timedelta(days=9)))  # the same revision again: refused, not applied
    new_due = datetime.combine(closing.date(), time(23, 59), UTC)
    view = await handle.query(StatementDeadlineWorkflow.view)
    assert view.deadline == new_due and view.revision == 2 and len(view.moves) == 1
    assert "registrar" in view.moves[0] and "hall flooded" in view.moves[0]

    await d.env.sleep(due - await d.env.get_current_time() + timedelta(hours=1))  # the old deadline passed
    view = await handle.query(StatementDeadlineWorkflow.view)
    assert not view.settled and d.gradebook.close_calls == []  # nothing formed on the old day

    await d.env.sleep(new_due - await d.env.get_current_time() + timedelta(hours=1))
    view = await handle.result()
    assert view.settled and view.formed == ("journal-b",) and view.late == ("journal-a",)
    # Both alerts again for the new deadline (the old deadline's escalation never went: it had moved).
    assert view.alerts_sent == ("remind@48h", "remind@48h", "escalate@24h")
    [late] = await d.published(ev.StatementLate)
    assert late.deadline == new_due.isoformat()
    reminders = [n for n in await d.published(ev.NotificationRequested) if n.recipient_id == "Айгүл"]
    assert [n.deadline for n in reminders][:2] == [due.isoformat(), new_due.isoformat()]


@pytest.mark.rule("KZ-15")
async def test_a_cancelled_final_control_stops_its_statement_deadline_and_reminds_nobody(
    deadline_alone: Deadline,
) -> None:
    d = deadline_alone
    now = await d.env.get_current_time()
    day = (now + timedelta(days=1)).date()
    await seed(d, day.isoformat())
    kind = curriculum.CONTROL_EVENT_KIND_INTERMEDIATE_ATTESTATION
    await d.apply(final_control(d.control_event_id, kind, day.isoformat()))
    await d.apply(
        curriculum.ControlEventCancelled(control_event_id=d.control_event_id, reason="sync", revision=2)
    )
    handle = d.env.client.get_workflow_handle(workflow_id(d.control_event_id))
    assert (await handle.describe()).status == WorkflowExecutionStatus.TERMINATED
    # (Terminated, its timers never fire; the time-skipping server does not skip with nothing running.)
    assert d.gradebook.close_calls == []
    assert await d.published(ev.NotificationRequested) == [] and await d.published(ev.StatementLate) == []
