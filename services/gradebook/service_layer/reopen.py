"""Reopen grants (KZ-08, KZ-13): the registrar's step of the reopen procedure, carried out by the
workflow service. A grant lets one teacher write one closed section until it expires; writes under it
carry the case id; ending it (submission or expiry) forms the individual statement of the students
whose results changed. The original statement is never touched.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.authz import ResourceScope, Role, require
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from ejournal_platform.events import Event
from ejournal_regulation import get_profile
from services.gradebook.adapters import grants_repo, grants_sql, sections_repo, statements_repo
from services.gradebook.domain.statements import Signer, corrected_students, parse_content
from services.gradebook.domain.vocabulary import INDIVIDUAL_SERIES
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import load_journal, parse_id, refusal
from services.gradebook.service_layer.statement_forming import section_lines, store_statement


def _require_workflow(principal: Principal | None) -> Principal:
    principal = require(principal, "reopen.grant")
    if not (principal.is_service and any(g.role == Role.SERVICE for g in principal.roles)):
        raise PermissionDenied("permission denied: reopen.grant (the workflow service grants re-access)")
    return principal


def _instant(value: str, field_name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidArgument(field_name, f"{value!r} is not an RFC 3339 instant") from None
    if parsed.tzinfo is None:
        raise InvalidArgument(field_name, "needs a UTC offset")
    return parsed


@dataclass(frozen=True)
class GrantOutcome:
    grant_id: str
    already_granted: bool


async def grant_reopen(
    gb: Gradebook,
    principal: Principal | None,
    case_id: str,
    teacher_id: str,
    journal_id: str,
    section: str,
    expires_at: str,
    reason: str,
) -> GrantOutcome:
    principal = _require_workflow(principal)
    if not case_id.strip():
        raise InvalidArgument("case_id", "is required")
    teacher, journal_uuid, section_id = (
        parse_id(teacher_id, "teacher_id"),
        parse_id(journal_id, "journal_id"),
        parse_id(section, "section"),
    )
    expires = _instant(expires_at, "expires_at")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        existing = await grants_repo.grant_of_case(session, case_id)
        if existing is not None:
            if (existing.teacher_id, existing.journal_id, existing.section_id) != (
                teacher,
                journal_uuid,
                section_id,
            ):
                raise AlreadyExists(
                    f"case {case_id} already has a grant for another journal section", field="case_id"
                )
            return GrantOutcome(str(existing.grant_id), True)
        if expires <= now:
            raise InvalidArgument("expires_at", "must be in the future")
        journal = await load_journal(session, journal_uuid, now.date())
        if not get_profile(journal.profile_code).reopen.allowed:
            raise FailedPrecondition(
                f"the {journal.profile_code} profile has no reopen procedure", field="journal_id"
            )
        if teacher_id not in journal.teacher_ids:
            raise FailedPrecondition("the teacher does not teach this journal", field="teacher_id")
        closed = await sections_repo.section(session, journal_uuid, section_id)
        if closed is None:
            raise NotFound(f"journal {journal_id} has no section {section}", field="section")
        if closed.closed_at is None:
            raise FailedPrecondition("the section is not closed; nothing to reopen", field="section")
        grant_id = uuid.uuid4()
        # The service role cannot insert grants: the owner's function checks them again and logs them.
        recorded = await grants_sql.record_grant(
            session,
            grant_id=grant_id,
            case_id=case_id,
            teacher_id=teacher,
            journal_id=journal_uuid,
            section_id=section_id,
            granted_at=now,
            expires_at=expires,
            granted_by=principal.subject,
            reason=reason,
        )
        if recorded != grant_id:  # a concurrent call with the same case won
            return GrantOutcome(str(recorded), True)
        uow.add_event(
            Event(
                ev.Reopened(
                    case_id=case_id,
                    grant_id=str(grant_id),
                    teacher_id=teacher_id,
                    journal_id=journal_id,
                    section=section,
                    granted_at=now.isoformat(),
                    expires_at=expires.isoformat(),
                    department_id=str(journal.department_id or ""),
                    faculty_id=str(journal.faculty_id or ""),
                    reason=reason,
                ),
                subject=f"journal/{journal_id}",
            )
        )
        await uow.commit()
    return GrantOutcome(str(grant_id), False)


@dataclass
class EndOutcome:
    individual_statement_id: str = ""
    individual_statement_number: int = 0
    corrected_student_ids: list[str] = field(default_factory=list)
    already_ended: bool = False


async def end_in(
    uow: UnitOfWork, grant: grants_repo.Grant, actor: str, reason: str, now: datetime
) -> EndOutcome:
    session = uow.session
    g = grant
    journal = await load_journal(session, g.journal_id, now.date())
    section = await sections_repo.section(session, g.journal_id, g.section_id)
    if section is None:  # a grant is recorded only for an existing, closed section
        raise NotFound(f"journal {g.journal_id} has no section {g.section_id}", field="section")
    touched = await grants_sql.corrected_students(session, g.grant_id)
    outcome = EndOutcome()
    original_id = ""
    if touched and section.statement_id is not None:
        original_id = str(section.statement_id)
        content = await statements_repo.statement_content(session, section.statement_id)
        original_lines = parse_content(content).lines
        now_lines = await section_lines(session, journal, section, touched)
        changed = set(corrected_students(original_lines, now_lines))
        lines = [line for line in now_lines if line.student_id in changed]
        if lines:
            signed = now.isoformat()
            formed = await store_statement(
                session,
                kind="individual",
                series=INDIVIDUAL_SERIES,
                term_id=str(journal.term_id),
                journal_id=str(journal.journal_id),
                section=str(section.section_id),
                course_unit_id=str(journal.course_unit_id),
                group_id=str(journal.group_id),
                control_kind=section.control_kind,
                formed_at=now,
                formed_by=actor,
                lines=lines,
                signers=[Signer(str(g.teacher_id), "teacher", signed), Signer(actor, "closed_by", signed)],
                department_id=str(journal.department_id or ""),
                faculty_id=str(journal.faculty_id or ""),
                original_statement_id=original_id,
                case_id=g.case_id,
            )
            uow.add_event(formed.event)
            outcome = EndOutcome(str(formed.statement_id), formed.number, [line.student_id for line in lines])
    await grants_repo.end_grant(
        session,
        g.grant_id,
        ended_at=now,
        end_reason=reason,
        individual_statement_id=uuid.UUID(outcome.individual_statement_id)
        if outcome.individual_statement_id
        else None,
    )
    uow.add_event(
        Event(
            ev.Reclosed(
                case_id=g.case_id,
                grant_id=str(g.grant_id),
                journal_id=str(g.journal_id),
                section=str(g.section_id),
                reason=reason,
                reclosed_at=now.isoformat(),
                individual_statement_id=outcome.individual_statement_id,
                corrected_student_ids=outcome.corrected_student_ids,
                teacher_id=str(g.teacher_id),
            ),
            subject=f"journal/{g.journal_id}",
        )
    )
    return outcome


async def end_reopen(gb: Gradebook, principal: Principal | None, case_id: str, reason: str) -> EndOutcome:
    if not case_id.strip():
        raise InvalidArgument("case_id", "is required")
    if reason not in ("submitted", "expired"):
        raise InvalidArgument("reason", f"{reason!r} is not one of: submitted, expired")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        grant = await grants_repo.grant_of_case(uow.session, case_id, for_update=True)
        if grant is None:  # refused like someone else's grant: no existence oracle
            if principal is not None and not principal.is_service:
                raise refusal(principal, "journal.write")
            raise NotFound(f"no reopen grant for case {case_id}", field="case_id")
        principal = _may_end(principal, str(grant.teacher_id))
        if grant.ended_at is not None:
            number = 0
            if grant.individual_statement_id is not None:
                number = (
                    await statements_repo.statement_number(uow.session, grant.individual_statement_id) or 0
                )
            corrected = await grants_sql.corrected_students(uow.session, grant.grant_id)
            return EndOutcome(
                str(grant.individual_statement_id or ""), int(number), [str(x) for x in corrected], True
            )
        outcome = await end_in(uow, grant, principal.subject, reason, now)
        await uow.commit()
    return outcome


def _may_end(principal: Principal | None, teacher_id: str) -> Principal:
    """The workflow service ends a grant (submission or expiry); the grant's teacher may submit."""
    if principal is not None and not principal.is_service:
        return require(principal, "journal.write", ResourceScope(assignee_ids=frozenset({teacher_id})))
    return _require_workflow(principal)


async def end_expired_grants(gb: Gradebook, actor: str = "service:gradebook") -> int:
    """Backstop for the workflow's expiry timer: end grants past their expiry (the trigger already
    refuses writes under them) and form their individual statements."""
    now = gb.now()
    ended = 0
    while True:
        async with gb.unit_of_work() as uow:
            grant = await grants_repo.next_expired_grant(uow.session, now)
            if grant is None:
                return ended
            await end_in(uow, grant, actor, "expired", now)
            await uow.commit()
            ended += 1
