"""What the notifier keeps of each journal from the gradebook's `JournalOpened`: its group and profile
(absences in a row: a mark event names neither) and its names (notices name a journal by its
discipline, group and lesson type rather than by its id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.records import record
from services.notifier.adapters.tables import journals
from services.notifier.domain.wording import JournalNames


async def remember(session: AsyncSession, e: gb.JournalOpened) -> None:
    """Upsert: a journal opened again (a teacher added, a name corrected) keeps its latest names."""
    values = {
        "group_id": e.group_id,
        "profile_code": e.profile_code,
        "discipline": e.names.discipline or e.title,
        "group_name": e.names.group,
        "lesson_type": e.lesson_type,
    }
    # The journal's university (issue 18): empty while the gradebook did not know it yet, and then
    # not taken back by a later JournalOpened that does not know it either.
    upsert = insert(journals).values(journal_id=e.journal_id, university_id=e.university_id or None, **values)
    university = func.coalesce(upsert.excluded.university_id, journals.c.university_id)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=[journals.c.journal_id], set_={**values, "university_id": university}
        )
    )


async def names_of(session: AsyncSession, journal_ids: Iterable[str]) -> dict[str, JournalNames]:
    wanted = sorted(set(journal_ids))
    if not wanted:
        return {}
    c = journals.c
    query = select(c.journal_id, c.discipline, c.group_name, c.lesson_type)
    rows = (await session.execute(query.where(c.journal_id.in_(wanted)))).all()
    return {r.journal_id: JournalNames(r.journal_id, r.discipline, r.group_name, r.lesson_type) for r in rows}


@dataclass(frozen=True, kw_only=True)
class GroupAndProfile:
    group_id: str
    profile_code: str


async def group_and_profile(session: AsyncSession, journal_id: str) -> GroupAndProfile | None:
    """The journal's group and regulation profile; None for a journal never opened here."""
    query = select(journals.c.group_id, journals.c.profile_code)
    row = (await session.execute(query.where(journals.c.journal_id == journal_id))).first()
    return None if row is None else record(GroupAndProfile, row)
