"""Recording a reopen case's steps: its projection row, its history, its step events and notices.

The workflow's record-step activity runs `record_step`; SubmitExplanation runs `write_step` inside its
own transaction. Idempotent: history entries are written once each, the row only moves forward, and
events go out only with entries that are new, so a retried record publishes nothing twice.
"""

from __future__ import annotations

from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from services.workflow.adapters import case_store
from services.workflow.adapters.event_messages import notification_event, step_event
from services.workflow.processes.reopen.messages import StepRecord, StepRecorded
from services.workflow.service_layer.deps import Deps


async def record_step(deps: Deps, cmd: StepRecord) -> StepRecorded:
    """Apply one step record in its own transaction (see write_step)."""
    async with deps.unit_of_work() as uow:
        seq = await write_step(uow, cmd)
        await uow.commit()
    return StepRecorded(seq)


async def write_step(uow: UnitOfWork, record: StepRecord) -> int:
    """Write a step record inside the caller's transaction; the highest sequence number it carries."""
    view = record.view
    case_id = view.facts.case_id
    seq = max((e.seq for e in record.new_entries), default=0)
    new_seqs = {
        entry.seq
        for entry in record.new_entries
        if await case_store.insert_history_entry(uow.session, case_id, entry)
    }
    await case_store.advance_case(uow.session, view, seq)
    for entry in record.new_entries:
        if entry.seq in new_seqs:
            uow.add_event(Event(step_event(view, entry), subject=f"reopen_case/{case_id}"))
    if new_seqs:
        for notice in record.notices:
            uow.add_event(Event(notification_event(notice, "reopen_case"), subject=f"reopen_case/{case_id}"))
    return seq
