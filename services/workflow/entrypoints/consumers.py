"""NATS consumers: the gradebook's journals and sections (explanation windows, closing reminders,
monitored departments) and curriculum's control events (closing-deadline workflows, KZ-05, KZ-06;
statement-deadline workflows after a final control, KZ-15).

Each runs through EventConsumer: one transaction per event with its id in the inbox, so a redelivered
event has no second effect; starting or moving a workflow is idempotent on Temporal's side too. A
handler only translates an event into a command of a service-layer use case (journal_facts,
control_event_deadlines), given the consumer's unit of work; it reaches no store itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar, cast

from google.protobuf.message import Message

from ejournal.curriculum.v1 import events_pb2 as curriculum
from ejournal.gradebook.v1 import events_pb2 as gradebook
from ejournal_platform.consumer import EventConsumer, Handler
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent, stream_name
from ejournal_platform.logging import get_logger
from ejournal_platform.runtime import Runtime
from services.workflow.adapters import tables
from services.workflow.adapters.closing_processes import ClosingProcesses
from services.workflow.adapters.statement_processes import StatementProcesses
from services.workflow.service_layer.control_event_deadlines import (
    CancelDeadlines,
    CloseOverdueSection,
    DeadlineProcesses,
    MoveClosingDeadline,
    ScheduleDeadlines,
    cancel_deadlines,
    close_overdue_section,
    move_closing_deadline,
    schedule_deadlines,
)
from services.workflow.service_layer.deps import utc_now
from services.workflow.service_layer.journal_facts import (
    LearnJournal,
    LearnSection,
    learn_journal,
    learn_section,
)

log = get_logger(__name__)
C = TypeVar("C")

JOURNAL_OPENED = gradebook.JournalOpened.DESCRIPTOR.full_name
SECTION_SCHEDULED = gradebook.SectionScheduled.DESCRIPTOR.full_name
SECTION_CLOSED = gradebook.SectionClosed.DESCRIPTOR.full_name
CONTROL_EVENT_SCHEDULED = curriculum.ControlEventScheduled.DESCRIPTOR.full_name
DEADLINE_CHANGED = curriculum.CalendarDeadlineChanged.DESCRIPTOR.full_name
CONTROL_EVENT_CANCELLED = curriculum.ControlEventCancelled.DESCRIPTOR.full_name


def command(cls: type[C], message: Message, **given: Any) -> C:
    """The command `cls` from an event's message: each of its fields the message has under the same name
    is copied (a repeated one as a tuple), unless given here (renamed or converted); the others keep
    the command's defaults."""
    wanted = {f.name for f in fields(cast(Any, cls))} - given.keys()
    shared = [field for name, field in message.DESCRIPTOR.fields_by_name.items() if name in wanted]
    copied = {
        f.name: tuple(getattr(message, f.name)) if f.is_repeated else getattr(message, f.name) for f in shared
    }
    return cls(**copied, **given)


async def on_gradebook_event(uow: UnitOfWork, event: ReceivedEvent) -> None:
    if event.type == JOURNAL_OPENED:
        j = event.parse(gradebook.JournalOpened)
        n = j.names
        learnt = command(
            LearnJournal, j, group_name=n.group, specialty_name=n.specialty, specialty_code=n.specialty_code
        )
        await learn_journal(uow, learnt)
    elif event.type == SECTION_SCHEDULED:
        s = event.parse(gradebook.SectionScheduled)
        await learn_section(uow, command(LearnSection, s, event_date=s.date))
    elif event.type == SECTION_CLOSED:
        c = event.parse(gradebook.SectionClosed)
        closed_at = instant_or_none(c.closed_at)
        if closed_at is None:
            log.warning("SectionClosed without a valid closed_at; ignored", event_id=event.id)
            return
        await learn_section(uow, command(LearnSection, c, closed_at=closed_at))


def on_gradebook_events(closing: ClosingProcesses, now: Callable[[], datetime] = utc_now) -> Handler:
    """The facts of gradebook's events, and a late closing process for a section scheduled after
    its deadline (its journal was opened after the event's own process had closed the others)."""
    processes = DeadlineProcesses(closing)

    async def handle(uow: UnitOfWork, event: ReceivedEvent) -> None:
        await on_gradebook_event(uow, event)
        if event.type == SECTION_SCHEDULED:
            s = event.parse(gradebook.SectionScheduled)
            deadline = instant_or_none(s.closing_deadline)
            overdue = command(CloseOverdueSection, s, event_date=s.date, closing_deadline=deadline)
            await close_overdue_section(processes, overdue, now())

    return handle


def instant_or_none(value: str) -> datetime | None:
    """An RFC 3339 instant with its offset, or None: a malformed event must not block the consumer."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def kind_name(kind: curriculum.ControlEventKind.ValueType) -> str:
    return curriculum.ControlEventKind.Name(kind).removeprefix("CONTROL_EVENT_KIND_").lower()


def on_curriculum_event(closing: ClosingProcesses, statements: StatementProcesses | None = None) -> Handler:
    processes = DeadlineProcesses(closing, statements)

    async def handle(uow: UnitOfWork, event: ReceivedEvent) -> None:
        if event.type == CONTROL_EVENT_SCHEDULED:
            e = event.parse(curriculum.ControlEventScheduled)
            deadline = instant_or_none(e.closing_deadline)
            if deadline is None and e.closing_deadline:
                log.warning("ControlEventScheduled with a malformed deadline; closing not scheduled",
                            event_id=event.id)  # fmt: skip
            scheduled = command(
                ScheduleDeadlines, e, kind=kind_name(e.kind), event_date=e.date, closing_deadline=deadline
            )
            await schedule_deadlines(processes, scheduled)
        elif event.type == DEADLINE_CHANGED:
            c = event.parse(curriculum.CalendarDeadlineChanged)
            new_deadline = instant_or_none(c.new_deadline)
            if c.deadline_kind != "closing" or new_deadline is None:
                return
            await move_closing_deadline(processes, command(MoveClosingDeadline, c, new_deadline=new_deadline))
        elif event.type == CONTROL_EVENT_CANCELLED:
            x = event.parse(curriculum.ControlEventCancelled)
            await cancel_deadlines(processes, command(CancelDeadlines, x))

    return handle


def consumers(
    runtime: Runtime, closing: ClosingProcesses, statements: StatementProcesses
) -> list[EventConsumer]:
    return [
        EventConsumer(
            runtime.js,
            runtime.unit_of_work,
            tables.inbox,
            name="workflow-gradebook",
            stream=stream_name("gradebook"),
            subjects=[JOURNAL_OPENED, SECTION_SCHEDULED, SECTION_CLOSED],
            handler=on_gradebook_events(closing),
        ),
        EventConsumer(
            runtime.js,
            runtime.unit_of_work,
            tables.inbox,
            name="workflow-curriculum",
            stream=stream_name("curriculum"),
            subjects=[CONTROL_EVENT_SCHEDULED, DEADLINE_CHANGED, CONTROL_EVENT_CANCELLED],
            handler=on_curriculum_event(closing, statements),
        ),
    ]
