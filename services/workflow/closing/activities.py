"""Activities of the closing-deadline process: remind teachers with unfilled cells, close the sections.

Both are idempotent: a reminder's notifications are written once per (event, hours, deadline) in the
transaction that claims that key; closing goes through CloseSection with the event's idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from ejournal.workflow.v1 import events_pb2 as ev
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from services.workflow.adapters import section_store
from services.workflow.adapters.event_messages import instant, notification_event
from services.workflow.adapters.gradebook import GradebookPort
from services.workflow.closing.messages import (
    CloseSectionsInput,
    CloseSectionsResult,
    ReminderInput,
    ReminderResult,
)
from services.workflow.domain import notice_texts as say
from services.workflow.domain.closing import reminder_key
from services.workflow.domain.fill_checks import unfilled_cells
from services.workflow.domain.notices import Notice
from services.workflow.monitoring.messages import FillStatusInput

SEND_REMINDER = "closing.remind"
CLOSE_SECTIONS = "closing.close"


class ClosingActivities:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], gradebook: GradebookPort) -> None:
        self._unit_of_work = unit_of_work
        self._gradebook = gradebook

    @activity.defn(name=SEND_REMINDER)
    async def remind(self, request: ReminderInput) -> ReminderResult:
        async with self._unit_of_work() as uow:
            journals = await section_store.teachers_of_section(uow.session, request.control_event_id)
        cells_of: dict[str, int] = {}
        for journal_id, teachers in journals:
            status = await self._gradebook.fill_status(
                FillStatusInput(journal_id=journal_id, to_date=request.event_date)
            )
            cells = sum(unfilled_cells(j, request.event_date) for j in status.journals)
            for teacher in teachers if cells else ():
                cells_of[teacher] = cells_of.get(teacher, 0) + cells
        key = f"remind:{request.control_event_id}:{reminder_key(request.hours_before, request.deadline)}"
        async with self._unit_of_work() as uow:
            if await section_store.claim_effect(uow.session, key):
                for teacher, cells in sorted(cells_of.items()):
                    notice = Notice(
                        what=say.CELLS_UNFILLED_BEFORE_CLOSING,
                        why=say.CONTROL_EVENT_CLOSES,
                        deadline=request.deadline,
                        recipient_id=teacher,
                        case_id=request.control_event_id,
                        values={
                            "cells": str(cells),
                            "control_event": request.control_event_id,
                            "control_event_kind": request.kind,
                            "control_event_on": request.event_date,
                            "deadline_at": instant(request.deadline),
                        },
                    )
                    uow.add_event(
                        Event(
                            notification_event(notice, "closing"),
                            subject=f"control_event/{request.control_event_id}",
                        )
                    )
            await uow.commit()
        return ReminderResult(len(cells_of))

    @activity.defn(name=CLOSE_SECTIONS)
    async def close(self, request: CloseSectionsInput) -> CloseSectionsResult:
        result = await self._gradebook.close_sections(request)
        async with self._unit_of_work() as uow:
            if await section_store.claim_effect(uow.session, f"closed:{request.control_event_id}"):
                uow.add_event(
                    Event(
                        ev.ControlEventSectionsClosed(
                            control_event_id=request.control_event_id,
                            deadline=instant(request.deadline),
                            closed_at=instant(activity.info().current_attempt_scheduled_time),
                            sections_closed=result.sections_closed,
                        ),
                        subject=f"control_event/{request.control_event_id}",
                    )
                )
            await uow.commit()
        return result

    def all(self) -> list[Callable[..., Any]]:
        return [self.remind, self.close]
