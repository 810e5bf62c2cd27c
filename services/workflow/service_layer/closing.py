"""The closing-deadline process's use cases (KZ-05, KZ-06), run by its activities: remind teachers with
unfilled cells before the deadline, and close the sections at it.

Both are idempotent: a reminder's notifications are written once per (event, hours, deadline) in the
transaction that claims that key; closing goes through CloseSection with the event's idempotency key.
"""

from __future__ import annotations

from datetime import datetime

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.events import Event
from services.workflow.adapters import section_store
from services.workflow.adapters.event_messages import instant, notification_event
from services.workflow.domain import notice_texts as say
from services.workflow.domain.closing import reminder_key
from services.workflow.domain.fill_checks import unfilled_cells
from services.workflow.domain.notices import Notice
from services.workflow.processes.closing.messages import (
    CloseSectionsInput,
    CloseSectionsResult,
    ReminderInput,
    ReminderResult,
)
from services.workflow.processes.monitoring.messages import FillStatusInput
from services.workflow.service_layer.deps import Deps


async def send_reminder(deps: Deps, cmd: ReminderInput) -> ReminderResult:
    async with deps.unit_of_work() as uow:
        journals = await section_store.teachers_of_section(uow.session, cmd.control_event_id)
    cells_of: dict[str, int] = {}
    for journal_id, teachers in journals:
        status = await deps.gradebook.fill_status(
            FillStatusInput(journal_id=journal_id, to_date=cmd.event_date)
        )
        cells = sum(unfilled_cells(j, cmd.event_date) for j in status.journals)
        for teacher in teachers if cells else ():
            cells_of[teacher] = cells_of.get(teacher, 0) + cells
    key = f"remind:{cmd.control_event_id}:{reminder_key(cmd.hours_before, cmd.deadline)}"
    async with deps.unit_of_work() as uow:
        if await section_store.claim_effect(uow.session, key):
            for teacher, cells in sorted(cells_of.items()):
                notice = Notice(
                    what=say.CELLS_UNFILLED_BEFORE_CLOSING,
                    why=say.CONTROL_EVENT_CLOSES,
                    deadline=cmd.deadline,
                    recipient_id=teacher,
                    case_id=cmd.control_event_id,
                    values={
                        "cells": str(cells),
                        "control_event": cmd.control_event_id,
                        "control_event_kind": cmd.kind,
                        "control_event_on": cmd.event_date,
                        "deadline_at": instant(cmd.deadline),
                    },
                )
                uow.add_event(
                    Event(
                        notification_event(notice, "closing"),
                        subject=f"control_event/{cmd.control_event_id}",
                    )
                )
        await uow.commit()
    return ReminderResult(len(cells_of))


async def close_sections(deps: Deps, cmd: CloseSectionsInput, *, closed_at: datetime) -> CloseSectionsResult:
    """Close the event's sections at the gradebook; announce it once (`closed_at`: when it was due)."""
    result = await deps.gradebook.close_sections(cmd)
    async with deps.unit_of_work() as uow:
        if await section_store.claim_effect(uow.session, f"closed:{cmd.control_event_id}"):
            uow.add_event(
                Event(
                    ev.ControlEventSectionsClosed(
                        control_event_id=cmd.control_event_id,
                        deadline=instant(cmd.deadline),
                        closed_at=instant(closed_at),
                        sections_closed=result.sections_closed,
                    ),
                    subject=f"control_event/{cmd.control_event_id}",
                )
            )
        await uow.commit()
    return result
