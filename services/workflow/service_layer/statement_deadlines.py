"""The statement-deadline process's use cases (KZ-15), run by its activities: alert teachers or their
department head about incomplete journals, and on the deadline form statements or record lateness.

Idempotent: each alert's notices are written once per (event, kind, hours) and each lateness once per
(event, journal), in the transaction that claims that key; forming goes through CloseSection with a
per-journal idempotency key (an already closed section reports its statement, nothing changes).
"""

from __future__ import annotations

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.events import Event
from services.workflow.adapters import section_store
from services.workflow.adapters.event_messages import instant, notification_event
from services.workflow.domain.fill_checks import unfilled_cells
from services.workflow.domain.statement_deadline import (
    EventNames,
    JournalDue,
    JournalOutcome,
    alert_notices,
    late_notices,
)
from services.workflow.processes.closing.messages import CloseSectionsInput
from services.workflow.processes.monitoring.messages import FillStatusInput
from services.workflow.processes.statements.messages import AlertInput, AlertResult, SettleInput, SettleResult
from services.workflow.service_layer.deps import Deps


async def _journals(deps: Deps, control_event_id: str, event_date: str) -> list[JournalDue]:
    """Each journal of the event's section with its cells unfilled up to the event, and its teachers."""
    async with deps.unit_of_work() as uow:
        journals = await section_store.teachers_of_section(uow.session, control_event_id)
    found = []
    for journal_id, teachers in sorted(journals):
        status = await deps.gradebook.fill_status(FillStatusInput(journal_id=journal_id, to_date=event_date))
        cells = sum(unfilled_cells(j, event_date) for j in status.journals)
        found.append(JournalDue(JournalOutcome(journal_id, cells), teachers))
    return found


async def send_alert(deps: Deps, cmd: AlertInput) -> AlertResult:
    journals = await _journals(deps, cmd.control_event_id, cmd.event_date)
    notices = alert_notices(
        cmd.kind,
        cmd.control_event_id,
        cmd.deadline,
        cmd.department_id,
        journals,
        EventNames(cmd.event_kind, cmd.event_date),
    )
    # Once per alert and deadline: a moved deadline is announced again.
    key = f"statement-{cmd.kind}:{cmd.control_event_id}:{cmd.hours_before}h:{cmd.deadline.isoformat()}"
    async with deps.unit_of_work() as uow:
        if await section_store.claim_effect(uow.session, key):
            for notice in notices:
                subject = f"control_event/{cmd.control_event_id}"
                uow.add_event(Event(notification_event(notice, "statement"), subject=subject))
        await uow.commit()
    return AlertResult(sum(1 for j in journals if not j.outcome.complete))


async def settle(deps: Deps, cmd: SettleInput) -> SettleResult:
    formed: list[str] = []
    late: list[str] = []
    for journal in await _journals(deps, cmd.control_event_id, cmd.event_date):
        journal_id = journal.outcome.journal_id
        if journal.outcome.complete:
            await deps.gradebook.close_sections(
                CloseSectionsInput(
                    cmd.control_event_id,
                    cmd.deadline,
                    "statement deadline (KZ-15)",
                    f"statement:{cmd.control_event_id}:{journal_id}",
                    journal_id=journal_id,
                )
            )
            formed.append(journal_id)
        else:
            await _record_late(deps, cmd, journal)
            late.append(journal_id)
    return SettleResult(tuple(formed), tuple(late))


async def _record_late(deps: Deps, cmd: SettleInput, journal: JournalDue) -> None:
    journal_id = journal.outcome.journal_id
    subject = f"journal/{journal_id}"
    late = ev.StatementLate(
        control_event_id=cmd.control_event_id,
        journal_id=journal_id,
        deadline=instant(cmd.deadline),
        unfilled_cells=journal.outcome.unfilled_cells,
        teacher_ids=list(journal.teacher_ids),
        department_id=cmd.department_id,
        faculty_id=cmd.faculty_id,
    )
    async with deps.unit_of_work() as uow:
        if await section_store.claim_effect(
            uow.session, f"statement-late:{cmd.control_event_id}:{journal_id}"
        ):
            uow.add_event(Event(late, subject=subject))
            names = EventNames(cmd.event_kind, cmd.event_date)
            for notice in late_notices(cmd.control_event_id, cmd.deadline, cmd.department_id, journal, names):
                uow.add_event(Event(notification_event(notice, "statement"), subject=subject))
        await uow.commit()
