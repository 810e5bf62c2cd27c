"""QR check-in (KG-09): the rotating code for the teacher's screen, and a student's scan under their own
login, accepted only inside the profile's window around the lesson's start and recorded as present or
late. The teacher overrides the outcome with a reason through RecordAttendance (attendance.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from ejournal_platform.authz import require
from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, Wording
from ejournal_regulation import get_profile
from services.gradebook.adapters import cells_sql, checkins_repo
from services.gradebook.adapters.journal_rows import ColumnInfo, sections_of
from services.gradebook.domain import checkin
from services.gradebook.domain.checkin_window import OutsideWindow, lesson_window
from services.gradebook.domain.closed import section_closed
from services.gradebook.domain.vocabulary import BY_CHECK_IN
from services.gradebook.service_layer.attendance import lesson_column, write_cells
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import (
    JournalView,
    authorized_journal,
    load_journal,
    parse_id,
    roster,
)


@dataclass(frozen=True)
class CheckInCode:
    code: str
    valid_from: datetime
    valid_until: datetime


async def _lesson_journal(
    uow: UnitOfWork, lesson_id: uuid.UUID, now: datetime
) -> tuple[JournalView, ColumnInfo]:
    journal_id = await checkins_repo.journal_of_lesson(uow.session, lesson_id)
    if journal_id is None:
        raise NotFound("no such lesson", field="lesson_id")
    journal = await load_journal(uow.session, journal_id, now.date())
    return journal, await lesson_column(uow, journal, lesson_id)


async def check_in_code(
    gb: Gradebook, principal: Principal | None, journal_id: str, lesson_id: str
) -> CheckInCode:
    """The code for the teacher's screen (KG-09); it rotates every 30 seconds."""
    journal_uuid, lesson_uuid = parse_id(journal_id, "journal_id"), parse_id(lesson_id, "lesson_id")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        journal = await authorized_journal(uow.session, principal, "journal.write", journal_uuid, now.date())
        column = await lesson_column(uow, journal, lesson_uuid)
        if journal.locked_at is not None or (
            column.section_id is not None
            and (await sections_of(uow.session, journal.journal_id))[column.section_id].closed_at is not None
        ):
            raise section_closed("lesson_id")  # its scans could only be refused
    if column.classroom_id is None:
        raise FailedPrecondition("the lesson has no classroom, so it has no QR secret", field="lesson_id")
    secret = await gb.secrets.secret(str(column.classroom_id))
    code = checkin.issue(secret, str(lesson_uuid), now)
    return CheckInCode(code.text, code.valid_from, code.valid_until)


@dataclass(frozen=True)
class CheckedIn:
    journal_id: str
    lesson_id: str
    student_id: str
    checked_in_at: datetime
    status: str = "present"


def _status_in_window(journal: JournalView, column: ColumnInfo, now: datetime) -> str:
    """KG-09: 'present' or 'late' inside the profile's window around the lesson's start; refused outside
    it, naming the window (worded in the user's language by the gateway)."""
    rule = get_profile(journal.profile_code).check_in
    if rule is None:
        return "present"
    try:
        return lesson_window(rule, column.date, column.starts_at).status_at(now)
    except OutsideWindow as outside:
        values = {"date": f"{outside.opens:%Y-%m-%d}", "opens": f"{outside.opens:%H:%M}",
                  "closes": f"{outside.closes:%H:%M}"}  # fmt: skip
        raise FailedPrecondition(
            str(outside), field="code", wording=Wording("check_in_outside_window", values)
        ) from None


async def check_in(gb: Gradebook, principal: Principal | None, code: str) -> CheckedIn:
    """A student's scan under their own login records their attendance with the time (KG-09)."""
    now = gb.now()
    try:
        scanned = checkin.parse(code)
    except checkin.CheckInRefused as refused:
        raise InvalidArgument("code", str(refused)) from None
    async with gb.unit_of_work() as uow:
        journal, column = await _lesson_journal(uow, uuid.UUID(scanned.lesson_id), now)
        require(
            principal,
            "attendance.checkin",
            journal.scope(student_id=principal.subject if principal else None),
        )
        assert principal is not None
        if column.classroom_id is None:
            raise FailedPrecondition("the lesson has no classroom check-in", field="code")
        secret = await gb.secrets.secret(str(column.classroom_id))
        try:
            window = checkin.verify(secret, scanned, now)
        except checkin.CheckInRefused as refused:
            if refused.reason == "foreign":
                raise InvalidArgument("code", str(refused)) from None
            raise FailedPrecondition(str(refused), field="code") from None
        status = _status_in_window(journal, column, now)
        try:
            student = uuid.UUID(principal.subject)
        except ValueError:
            raise FailedPrecondition("only a student can check in", field="code") from None
        if student not in await roster(uow.session, journal):
            raise FailedPrecondition("you are not enrolled in this lesson's group", field="code")
        if journal.locked_at is not None or (
            column.section_id is not None
            and (await sections_of(uow.session, journal.journal_id))[column.section_id].closed_at is not None
        ):
            raise section_closed("code")
        first = await checkins_repo.record_first_check_in(
            uow.session,
            column_id=column.column_id,
            student_id=student,
            journal_id=journal.journal_id,
            checked_in_at=now,
            time_window=window,
        )
        if not first:
            raise AlreadyExists("you have already checked in for this lesson", field="code")
        conn = await driver_connection(uow.session)
        await cells_sql.lock_chain_head(conn, journal.journal_id)
        current = await cells_sql.current_attendance(conn, journal.journal_id, column.column_id, [student])
        old_status, old_version, _source, _at = current.get(student, (None, 0, "", None))
        row = (student, old_status, status, BY_CHECK_IN, now, old_version + 1)
        await write_cells(uow, journal, column, principal.subject, None, [row], "QR check-in", None, now)
        await uow.commit()
    return CheckedIn(str(journal.journal_id), scanned.lesson_id, principal.subject, now, status)
