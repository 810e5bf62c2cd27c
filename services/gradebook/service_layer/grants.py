"""Writing into a closed section under a reopen grant (KZ-08, KZ-13): the teacher's active grant for
those sections, a required reason, and the grant named to the database's closed-section trigger.
Marks and attendance both open closed sections this way."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from ejournal_platform.errors import FailedPrecondition, InvalidArgument
from services.gradebook.adapters import grants_sql
from services.gradebook.adapters.pg import set_grant
from services.gradebook.domain.closed import section_closed
from services.gradebook.domain.journal import JournalView


@dataclass(frozen=True)
class ActiveGrant:
    grant_id: str
    case_id: str


async def grant_for(
    session: AsyncSession,
    journal: JournalView,
    principal: Principal,
    sections: set[uuid.UUID],
    now: datetime,
) -> ActiveGrant:
    """The reopen grant that lets this teacher write into these closed sections, or a refusal."""
    try:
        teacher = uuid.UUID(principal.subject)
    except ValueError:
        teacher = None
    rows = (
        await grants_sql.active_grants(session, journal.journal_id, teacher, sections, now) if teacher else []
    )
    missing = sections - {r.section_id for r in rows}
    if missing:
        raise section_closed("cells")
    if len(sections) > 1:
        raise FailedPrecondition("write one reopened section per call", field="cells")
    return ActiveGrant(str(rows[0].grant_id), rows[0].case_id)


async def open_closed(
    session: AsyncSession,
    journal: JournalView,
    principal: Principal,
    sections: Iterable[uuid.UUID | str],
    reason: str,
    now: datetime,
) -> ActiveGrant:
    """Write into closed sections in this transaction: the caller's grant covers them, a reason is
    given, and the trigger is told which grant and actor the writes are under."""
    grant = await grant_for(session, journal, principal, {uuid.UUID(str(s)) for s in sections}, now)
    if not reason.strip():
        raise InvalidArgument("reason", "a correction under a reopen grant needs a reason")
    await set_grant(session, grant.grant_id, principal.subject)
    return grant
