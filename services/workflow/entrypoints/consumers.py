"""NATS consumers: the gradebook's journals and sections (explanation windows, closing reminders,
monitored departments) and curriculum's control events (closing-deadline workflows, KZ-05, KZ-06;
statement-deadline workflows after a final control, KZ-15).

Each runs through EventConsumer: one transaction per event with its id in the inbox, so a redelivered
event has no second effect; starting or moving a workflow is idempotent on Temporal's side too.
"""

from __future__ import annotations

from datetime import datetime

from ejournal.curriculum.v1 import events_pb2 as curriculum
from ejournal.gradebook.v1 import events_pb2 as gradebook
from ejournal_platform.consumer import EventConsumer, Handler
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import ReceivedEvent, stream_name
from ejournal_platform.logging import get_logger
from ejournal_platform.runtime import Runtime
from services.workflow.adapters import section_store, tables
from services.workflow.adapters.closing_processes import ClosingProcesses
from services.workflow.adapters.statement_processes import StatementProcesses, statement_deadline_input
from services.workflow.processes.closing.messages import ClosingInput

log = get_logger(__name__)

JOURNAL_OPENED = gradebook.JournalOpened.DESCRIPTOR.full_name
SECTION_SCHEDULED = gradebook.SectionScheduled.DESCRIPTOR.full_name
SECTION_CLOSED = gradebook.SectionClosed.DESCRIPTOR.full_name
CONTROL_EVENT_SCHEDULED = curriculum.ControlEventScheduled.DESCRIPTOR.full_name
DEADLINE_CHANGED = curriculum.CalendarDeadlineChanged.DESCRIPTOR.full_name
CONTROL_EVENT_CANCELLED = curriculum.ControlEventCancelled.DESCRIPTOR.full_name


async def on_gradebook_event(uow: UnitOfWork, event: ReceivedEvent) -> None:
    session = uow.session
    if event.type == JOURNAL_OPENED:
        j = event.parse(gradebook.JournalOpened)
        await section_store.upsert_journal(
            session,
            {
                "journal_id": j.journal_id,
                "term_id": j.term_id,
                "course_unit_id": j.course_unit_id,
                "group_id": j.group_id,
                "department_id": j.department_id,
                "faculty_id": j.faculty_id,
                "profile_code": j.profile_code,
                "teacher_ids": list(j.teacher_ids),
                "title": j.title,
                # A name not yet known is left as it was (upsert_journal keeps non-empty names).
                "group_name": j.names.group,
                "specialty_name": j.names.specialty,
                "specialty_code": j.names.specialty_code,
                "university_id": j.university_id,
            },
        )
        await section_store.learn_university(session, j.faculty_id, j.university_id)
    elif event.type == SECTION_SCHEDULED:
        s = event.parse(gradebook.SectionScheduled)
        await section_store.upsert_section(
            session,
            section_store.SectionFacts(
                s.journal_id,
                s.section,
                s.control_kind,
                tuple(s.teacher_ids),
                s.department_id,
                s.faculty_id,
                profile_code=s.profile_code,
                event_date=s.date,
            ),
        )
    elif event.type == SECTION_CLOSED:
        c = event.parse(gradebook.SectionClosed)
        closed_at = instant_or_none(c.closed_at)
        if closed_at is None:
            log.warning("SectionClosed without a valid closed_at; ignored", event_id=event.id)
            return
        await section_store.upsert_section(
            session,
            section_store.SectionFacts(
                c.journal_id,
                c.section,
                c.control_kind,
                tuple(c.teacher_ids),
                c.department_id,
                c.faculty_id,
                c.term_id,
                closed_at=closed_at,
                closed_by=c.closed_by,
            ),
        )


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
    async def handle(uow: UnitOfWork, event: ReceivedEvent) -> None:
        if event.type == CONTROL_EVENT_SCHEDULED:
            e = event.parse(curriculum.ControlEventScheduled)
            deadline = instant_or_none(e.closing_deadline)
            statement = statement_deadline_input(
                e.control_event_id,
                kind_name(e.kind),
                e.course_unit_id,
                e.date,
                deadline,
                e.department_id,
                e.faculty_id,
                e.profile_code,
                e.revision,
            )
            if statements is not None and statement is not None:
                await statements.schedule(statement)
            if deadline is None:  # the profile closes on an event (KG-06), not at a date
                if e.closing_deadline:
                    log.warning("ControlEventScheduled with a malformed deadline; ignored", event_id=event.id)
                return
            await closing.schedule(
                ClosingInput(
                    e.control_event_id,
                    kind_name(e.kind),
                    e.course_unit_id,
                    e.group_id,
                    e.subgroup_id,
                    e.date,
                    deadline,
                    e.department_id,
                    e.faculty_id,
                    e.profile_code,
                    e.revision,
                )
            )
        elif event.type == DEADLINE_CHANGED:
            c = event.parse(curriculum.CalendarDeadlineChanged)
            new_deadline = instant_or_none(c.new_deadline)
            if c.deadline_kind != "closing" or new_deadline is None:
                return
            await closing.move(c.control_event_id, new_deadline, c.revision, c.changed_by, c.reason)
            if statements is not None:  # KZ-15's deadline follows the final control's closing
                await statements.follow_closing(
                    c.control_event_id, new_deadline, c.revision, c.changed_by, c.reason
                )
        elif event.type == CONTROL_EVENT_CANCELLED:  # a cancelled control event reminds nobody
            x = event.parse(curriculum.ControlEventCancelled)
            await closing.cancel(x.control_event_id, x.reason)
            if statements is not None:
                await statements.cancel(x.control_event_id, x.reason)

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
            handler=on_gradebook_event,
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
