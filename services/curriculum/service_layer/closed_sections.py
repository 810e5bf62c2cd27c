"""Closed means closed for the schedule too (issue 13, KZ-05, KG-06): curriculum keeps the sections
gradebook closed (its `SectionClosed` events, through the inbox) and refuses to schedule, move or cancel
a lesson inside one, by RPC and by import, with the same reason gradebook gives for a closed section.

A lesson belongs to the section of the first control event on or after its date (ties: current,
midterm, intermediate attestation, final attestation), as in gradebook's domain/sections.py. The last
block of an integrated discipline also counts its parent's integrated exam (KZ-02: gradebook keeps that
exam in the last block's journals).

A new control event would move a section's boundary: one scheduled inside a closed section (on or
before its closing control event) would take part of its lessons, so it is refused the same way.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import FailedPrecondition, Wording
from ejournal_platform.events import ReceivedEvent
from services.curriculum.adapters import received_repo, sections_repo
from services.curriculum.adapters.models import ControlEvent
from services.curriculum.adapters.sections_repo import is_closed, section_of, units_of_sections

SUBJECTS = [gb.SectionClosed.DESCRIPTOR.full_name]


async def record_closed(uow: UnitOfWork, event: ReceivedEvent) -> None:
    """The consumer's handler: remember a closed section (a repeat changes nothing)."""
    if event.type != gb.SectionClosed.DESCRIPTOR.full_name:
        return
    m = event.parse(gb.SectionClosed)
    closed_at = datetime.fromisoformat(m.closed_at) if m.closed_at else datetime.fromisoformat(event.time)
    await received_repo.add_closed_section(
        uow.session, uuid.UUID(m.control_event_id), m.journal_id, closed_at
    )


async def refuse_closed(
    s: AsyncSession,
    unit_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    when: date,
    field: str = "date",
) -> None:
    """FailedPrecondition naming `field` when a lesson on `when` would fall in a closed section."""
    section = await section_of(s, unit_id, group_id, subgroup_id, when)
    if section is not None and await is_closed(s, section):
        raise closed_refusal(section, field)


def closed_refusal(section: ControlEvent, field: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"the {section.kind} section ending {section.date.isoformat()} is closed; the schedule "
        "cannot change inside it (only a reopen lets a teacher correct its marks)",
        field=field,
        wording=Wording("section_closed"),
    )


async def refuse_control_event_in_closed(
    s: AsyncSession,
    unit_id: uuid.UUID,
    group_id: uuid.UUID,
    subgroup_id: uuid.UUID | None,
    when: date,
    field: str = "date",
) -> None:
    """A new control event on `when` would become the end of a section: refused when the lessons of
    `when` belong to a closed section of any journal it cuts (a whole-group event cuts every
    subgroup's journals; an integrated exam cuts its last block's). On the closed event's own date it is
    refused as well (the tie order could hand it that day's lessons)."""
    subgroups: list[uuid.UUID | None] = [subgroup_id]
    if subgroup_id is None:
        subgroups += await sections_repo.subgroup_ids(s, group_id)
    units = [unit_id, *await sections_repo.part_ids(s, unit_id)]
    for unit in units:
        if unit != unit_id and unit_id not in await units_of_sections(s, unit):
            continue  # an earlier block: the integrated exam is not in its journals
        for subgroup in subgroups:
            section = await section_of(s, unit, group_id, subgroup, when)
            if section is not None and await is_closed(s, section):
                raise closed_refusal(section, field)
