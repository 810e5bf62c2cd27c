"""Grade disputes (KG-10): the student opens one, the teacher answers within the profile's deadline;
an accepted dispute corrects the mark through the same write path as WriteMarks (a closed section
refuses it: the correction then needs a reopen)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.authz import require
from ejournal_platform.context import Principal
from ejournal_platform.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from ejournal_platform.events import Event
from ejournal_platform.pagination import Page, page_request
from ejournal_regulation import get_profile
from services.gradebook.adapters import disputes_repo
from services.gradebook.adapters.journal_rows import columns_of, sections_of
from services.gradebook.domain import disputes as rules
from services.gradebook.domain.closed import section_closed
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import (
    authorized_journal,
    load_journal,
    parse_id,
    refusal,
    roster,
)
from services.gradebook.service_layer.marks import CellWrite, apply_marks
from services.gradebook.service_layer.reads import visible_students


@dataclass(frozen=True)
class Message:
    author_id: str
    author_role: str
    text: str
    at: datetime


@dataclass
class DisputeView:
    row: disputes_repo.Dispute
    thread: list[Message] = field(default_factory=list)
    overdue: bool = False


def _broken(error: rules.DisputeRuleBroken) -> InvalidArgument:
    return InvalidArgument(error.field, error.reason)


async def _view(session: AsyncSession, dispute_id: uuid.UUID, now: datetime) -> DisputeView:
    row = await disputes_repo.dispute(session, dispute_id)
    if row is None:
        raise NotFound(f"no dispute {dispute_id}", field="dispute_id")
    thread = [
        Message(author_id=r.author_id, author_role=r.author_role, text=r.text, at=r.at)
        for r in await disputes_repo.thread(session, dispute_id)
    ]
    return DisputeView(row=row, thread=thread, overdue=rules.is_overdue(row.status, row.answer_due_at, now))


async def open_dispute(
    gb: Gradebook, principal: Principal | None, journal_id: str, column_id: str, message: str
) -> DisputeView:
    journal_uuid, column_uuid = parse_id(journal_id, "journal_id"), parse_id(column_id, "column_id")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        try:
            journal = await load_journal(session, journal_uuid, now.date())
        except NotFound:  # refused like someone else's journal: no existence oracle
            raise refusal(principal, "mark.dispute") from None
        student_text = principal.subject if principal else None
        principal = require(principal, "mark.dispute", journal.scope(student_id=student_text))
        student = parse_id(principal.subject, "student_id")
        if student not in await roster(session, journal):
            raise FailedPrecondition("you are not on this journal's roster", field="journal_id")
        columns = await columns_of(session, journal.journal_id)
        if column_uuid not in columns:
            raise InvalidArgument("column_id", "is not a column of this journal")
        section_id = columns[column_uuid].section_id
        if journal.locked_at is not None or (
            section_id is not None and (await sections_of(session, journal.journal_id))[section_id].closed_at
        ):
            raise section_closed("column_id")  # it could never be accepted: the grade cannot change
        current = await disputes_repo.mark_value(session, journal_uuid, journal.term_id, column_uuid, student)
        try:
            rules.check_opening(message, current)
        except rules.DisputeRuleBroken as error:
            raise _broken(error) from None
        dispute_id = uuid.uuid4()
        due = rules.answer_due(now, get_profile(journal.profile_code).dispute_answer_days)
        created = await disputes_repo.open_dispute(
            session,
            dispute_id=dispute_id,
            journal_id=journal_uuid,
            column_id=column_uuid,
            student_id=student,
            disputed_value=current or "",
            opened_at=now,
            answer_due_at=due,
            status=rules.OPEN,
        )
        if not created:
            raise AlreadyExists("this grade already has an open dispute", field="column_id")
        await disputes_repo.add_message(
            session, dispute_id, principal.subject, "student", message.strip(), now
        )
        uow.add_event(
            Event(
                ev.DisputeOpened(
                    dispute_id=str(dispute_id),
                    journal_id=journal_id,
                    column_id=column_id,
                    student_id=str(student),
                    disputed_value=current or "",
                    opened_at=now.isoformat(),
                    answer_due_at=due.isoformat(),
                    teacher_ids=list(journal.teacher_ids),
                ),
                subject=f"dispute/{dispute_id}",
            )
        )
        await uow.commit()
        return await _view(uow.session, dispute_id, now)


async def answer_dispute(
    gb: Gradebook,
    principal: Principal | None,
    dispute_id: str,
    decision: str,
    reason: str,
    corrected_value: str,
    expected_version: int | None,
) -> DisputeView:
    dispute_uuid = parse_id(dispute_id, "dispute_id")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        row = await disputes_repo.dispute(session, dispute_uuid, for_update=True)
        if row is None:  # refused like someone else's dispute: no existence oracle
            raise refusal(principal, "mark.dispute.answer")
        journal = await load_journal(session, row.journal_id, now.date())
        principal = require(principal, "mark.dispute.answer", journal.scope())
        try:
            rules.check_answer(row.status, decision, reason, corrected_value)
        except rules.DisputeRuleBroken as error:
            raise _broken(error) from None
        corrected = None
        if decision == rules.ACCEPTED:
            outcome = await apply_marks(
                gb,
                uow,
                principal,
                journal,
                [CellWrite(str(row.column_id), str(row.student_id), corrected_value, expected_version)],
                f"dispute {dispute_id}: {reason}".strip(": "),
                now,
            )
            corrected = outcome.cells[0].value
        await disputes_repo.record_answer(
            session,
            dispute_uuid,
            status=decision,
            answered_by=principal.subject,
            answered_at=now,
            corrected_value=corrected,
            decision_reason=reason,
        )
        body = reason.strip() or f"accepted; corrected to {corrected}"
        await disputes_repo.add_message(session, dispute_uuid, principal.subject, "teacher", body, now)
        uow.add_event(
            Event(
                ev.DisputeAnswered(
                    dispute_id=dispute_id,
                    journal_id=str(row.journal_id),
                    student_id=str(row.student_id),
                    decision=decision,
                    answered_by=principal.subject,
                    answered_at=now.isoformat(),
                    corrected_value=corrected or "",
                    late=now > row.answer_due_at,
                ),
                subject=f"dispute/{dispute_id}",
            )
        )
        await uow.commit()
    if decision == rules.ACCEPTED:
        gb.outbox.notify()
    async with gb.unit_of_work() as uow:
        session = uow.session
        return await _view(session, dispute_uuid, now)


async def list_disputes(
    gb: Gradebook,
    principal: Principal | None,
    journal_id: str,
    student_id: str,
    status: str,
    page: Page | None = None,
) -> tuple[list[DisputeView], str]:
    """One page of disputes (by opening time, id) and the next page's token; the page is cut before
    the per-dispute visibility check, so it may hold fewer than its size."""
    page = page or page_request(0, "")
    now = gb.now()
    after_key = page.after_key(datetime.fromisoformat, uuid.UUID) if page.after else None
    async with gb.unit_of_work() as uow:
        session = uow.session
        of_journal, students = None, []
        if journal_id:
            journal = await authorized_journal(
                session, principal, "journal.read", parse_id(journal_id, "journal_id"), now.date()
            )
            of_journal = journal.journal_id
        elif principal is not None:
            students.append(parse_id(student_id or principal.subject, "student_id"))
        else:
            require(principal, "journal.read")
        assert principal is not None
        if student_id:
            students.append(parse_id(student_id, "student_id"))
        rows = await disputes_repo.dispute_page(
            session,
            fetch=page.fetch,
            after_key=after_key,
            journal_id=of_journal,
            student_ids=students,
            status=status,
        )
        found, next_token = page.cut(rows, key=lambda r: (r.opened_at, r.dispute_id))
        views = [await _view(session, r.dispute_id, now) for r in found]
    only = visible_students(principal)
    if only is not None:
        views = [v for v in views if str(v.row.student_id) in only]
    elif not journal_id:
        # Staff listing by student: each dispute's journal decides.
        async with gb.unit_of_work() as uow:
            session = uow.session
            allowed_views = []
            for v in views:
                journal = await load_journal(session, v.row.journal_id, now.date())
                require(principal, "journal.read", journal.scope())
                allowed_views.append(v)
            views = allowed_views
    return views, next_token
