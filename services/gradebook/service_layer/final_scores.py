"""KG-06 (profiles closing on `on_final_score_set`): once every student of the journal has the
intermediate attestation's score, the section closes with its statement and the whole journal is locked
for teachers. Run by a mark write that changed cells, in its transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.events import Event
from ejournal_regulation import get_profile
from services.gradebook.adapters import closing_sql, sections_repo
from services.gradebook.adapters.journal_rows import columns_of
from services.gradebook.domain.journal import JournalView
from services.gradebook.service_layer.closing import close_in

ATTESTATION = "intermediate_attestation"


async def lock_if_final_scores_set(
    uow: UnitOfWork,
    principal: Principal,
    journal: JournalView,
    touched: set[uuid.UUID],
    now: datetime,
    attestation_columns: Iterable[tuple[uuid.UUID, uuid.UUID | None]] | None = None,
) -> bool:
    """attestation_columns: the journal's intermediate-attestation columns as (column, section), when
    the caller has read them already (a mark write has); otherwise they are read here."""
    if get_profile(journal.profile_code).closing.rule != "on_final_score_set":
        return False
    session = uow.session
    if attestation_columns is None:
        attestation_columns = [
            (c.column_id, c.section_id)
            for c in (await columns_of(session, journal.journal_id)).values()
            if c.control_kind == ATTESTATION
        ]
    for column_id, section_id in attestation_columns:
        if column_id not in touched or not await closing_sql.everyone_scored(
            session, journal.journal_id, journal.group_id, journal.subgroup_id, column_id
        ):
            continue
        assert section_id is not None
        await close_in(uow, journal, section_id, principal.subject, "final scores set (KG-06)", now)
        await sections_repo.lock_journal(session, journal.journal_id, now, principal.subject)
        uow.add_event(
            Event(
                ev.JournalLocked(
                    journal_id=str(journal.journal_id),
                    locked_at=now.isoformat(),
                    section=str(section_id),
                    teacher_ids=list(journal.teacher_ids),
                    group_id=str(journal.group_id),
                    course_unit_id=str(journal.course_unit_id),
                ),
                subject=f"journal/{journal.journal_id}",
            )
        )
        return True
    return False
