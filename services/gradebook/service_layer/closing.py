"""Closing a journal section (KZ-05) and forming its statement (the kg-jasu lock once the intermediate
attestation's final scores are set, KG-06, is final_scores.py).

Closed means closed at the database level: once `sections.closed_at` is set, the trigger of migration
0002 refuses every write of that section's cells (through the service or plain SQL) unless an active
reopen grant covers it, and refuses to clear `closed_at` again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import InvalidArgument, NotFound
from ejournal_platform.events import Event
from services.gradebook.adapters import sections_repo, statements_repo
from services.gradebook.domain.vocabulary import SECTION_SERIES
from services.gradebook.service_layer import idempotency
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import (
    JournalView,
    authorized_journal,
    parse_id,
    refusal,
    roster,
)
from services.gradebook.service_layer.statement_forming import journal_signers, section_lines, store_statement


@dataclass(frozen=True)
class ClosedSection:
    journal_id: str
    section: str
    statement_id: str
    statement_number: int
    already_closed: bool
    series: str = SECTION_SERIES


@dataclass(frozen=True, kw_only=True)
class CloseSection:
    """The CloseSection command: one section of a journal (or of every journal carrying it)."""

    journal_id: str  # empty: every journal with this section
    section: str
    reason: str
    idempotency_key: str = ""  # optional: without one, closing again only reports the closed section
    request_hash: bytes = b""


@dataclass
class CloseOutcome:
    sections: list[ClosedSection] = field(default_factory=list)
    stored: bytes | None = None


async def close_in(
    uow: UnitOfWork, journal: JournalView, section_id: uuid.UUID, closer: str, reason: str, now: datetime
) -> ClosedSection:
    """Close one section in the caller's transaction; an already closed one is reported, not touched."""
    session = uow.session
    section = await sections_repo.section(session, journal.journal_id, section_id, for_update=True)
    if section is None:
        raise NotFound(f"journal {journal.journal_id} has no section {section_id}", field="section")
    if section.closed_at is not None:
        number = await statements_repo.statement_number(session, section.statement_id)
        return ClosedSection(
            str(journal.journal_id), str(section_id), str(section.statement_id or ""), int(number or 0), True
        )
    students = await roster(session, journal)
    lines = await section_lines(session, journal, section, students)
    formed = await store_statement(
        session,
        kind="section",
        series=SECTION_SERIES,
        term_id=str(journal.term_id),
        journal_id=str(journal.journal_id),
        section=str(section_id),
        course_unit_id=str(journal.course_unit_id),
        group_id=str(journal.group_id),
        control_kind=section.control_kind,
        formed_at=now,
        formed_by=closer,
        lines=lines,
        signers=journal_signers(journal, closer, now),
        department_id=str(journal.department_id or ""),
        faculty_id=str(journal.faculty_id or ""),
    )
    await sections_repo.mark_closed(
        session,
        journal.journal_id,
        section_id,
        at=now,
        by=closer,
        reason=reason,
        statement_id=formed.statement_id,
    )
    uow.add_event(
        Event(
            ev.SectionClosed(
                journal_id=str(journal.journal_id),
                section=str(section_id),
                control_event_id=str(section_id),
                closed_at=now.isoformat(),
                teacher_ids=list(journal.teacher_ids),
                department_id=str(journal.department_id or ""),
                faculty_id=str(journal.faculty_id or ""),
                group_id=str(journal.group_id),
                course_unit_id=str(journal.course_unit_id),
                statement_id=str(formed.statement_id),
                control_kind=section.control_kind,
                closed_by=closer,
                reason=reason,
                statement_number=formed.number,
                term_id=str(journal.term_id),
            ),
            subject=f"journal/{journal.journal_id}",
        )
    )
    uow.add_event(formed.event)
    return ClosedSection(
        str(journal.journal_id), str(section_id), str(formed.statement_id), formed.number, False
    )


async def close_section(
    gb: Gradebook, principal: Principal | None, cmd: CloseSection, encode: Callable[[CloseOutcome], bytes]
) -> CloseOutcome:
    """`encode` turns the outcome into the reply's bytes, kept for a repeated idempotency key (the
    entrypoint's translation: the service layer knows no wire format). Without a key (or a caller) the
    call is simply run: closing an already closed section reports it and changes nothing."""
    journal_id, reason, idempotency_key, request_hash = (
        cmd.journal_id,
        cmd.reason,
        cmd.idempotency_key,
        cmd.request_hash,
    )
    section_id = parse_id(cmd.section, "section")
    now = gb.now()
    async with gb.unit_of_work() as uow:

        async def work() -> CloseOutcome:
            return await _close(uow, principal, journal_id, section_id, reason, now)

        if principal is None or not idempotency_key:
            outcome = await work()
            await uow.commit()
            return outcome
        call = idempotency.CallKey(principal.subject, "CloseSection", idempotency_key, request_hash)
        reply = await idempotency.once(uow, call, work, encode)
    if reply.stored is not None:
        return CloseOutcome(stored=reply.stored)
    assert reply.outcome is not None
    return reply.outcome


async def _close(
    uow: UnitOfWork,
    principal: Principal | None,
    journal_id: str,
    section_id: uuid.UUID,
    reason: str,
    now: datetime,
) -> CloseOutcome:
    session = uow.session
    if journal_id:
        journal_ids = [parse_id(journal_id, "journal_id")]
    else:
        journal_ids = await sections_repo.journals_with_section(session, section_id)
        if not journal_ids:
            # The workflow closes a control event's section at its deadline even when no journal
            # carries it (none opened for that group yet): nothing to close, not a refusal it would
            # retry forever. A person is refused like for someone else's section: no existence oracle.
            if principal is not None and principal.is_service:
                return CloseOutcome()
            raise refusal(principal, "journal.close")
    outcome = CloseOutcome()
    for jid in journal_ids:
        journal = await authorized_journal(session, principal, "journal.close", jid, now.date())
        assert principal is not None
        outcome.sections.append(await close_in(uow, journal, section_id, principal.subject, reason, now))
    return outcome


def check_reason(reason: str) -> None:
    if len(reason) > 2000:
        raise InvalidArgument("reason", "must be at most 2000 characters")
