"""Attendance: recorded by the teacher per lesson, or by the student's own QR check-in (KG-09); a
teacher may override a check-in only with a reason. Every change goes into the journal's history."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    ValidationFailed,
)
from ejournal_platform.events import Event
from services.gradebook.adapters import cells_sql
from services.gradebook.adapters.journal_rows import ColumnInfo, columns_of, sections_of
from services.gradebook.domain.cell_batch import Cell, ColumnFacts, plan, refusals
from services.gradebook.domain.history_chain import Change, link_batch
from services.gradebook.domain.vocabulary import (
    ATTENDANCE_STATUSES,
    BY_CHECK_IN,
    BY_OVERRIDE,
    BY_TEACHER,
    CONTROL,
    LESSON,
)
from services.gradebook.service_layer import idempotency
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.grants import open_closed
from services.gradebook.service_layer.journals import (
    JournalView,
    authorized_journal,
    parse_id,
    roster,
)


@dataclass(frozen=True)
class AttendanceWrite:
    student_id: str
    status: str
    expected_version: int | None = None
    typed_at: datetime | None = None  # the client's time of marking, as information (issue 21)


@dataclass(frozen=True)
class AttendanceCell:
    column_id: str
    student_id: str
    status: str
    version: int
    source: str
    checked_in_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class RecordAttendance:
    """The RecordAttendance command: one lesson's entries under the caller's idempotency key."""

    journal_id: str
    lesson_id: str
    entries: Sequence[AttendanceWrite]
    idempotency_key: str
    request_hash: bytes
    reason: str = ""  # required to override a QR check-in or to correct under a reopen grant


@dataclass
class AttendanceResult:
    cells: list[AttendanceCell]
    stored: bytes | None = None


async def lesson_column(uow: UnitOfWork, journal: JournalView, lesson_id: uuid.UUID) -> ColumnInfo:
    column = (await columns_of(uow.session, journal.journal_id)).get(lesson_id)
    if column is None or column.kind == CONTROL:
        raise InvalidArgument("lesson_id", "is not a lesson of this journal")
    if column.cancelled:
        raise FailedPrecondition("the lesson was cancelled", field="lesson_id")
    return column


async def write_cells(
    uow: UnitOfWork,
    journal: JournalView,
    column: ColumnInfo,
    author: str,
    on_behalf: str | None,
    rows: list[tuple[uuid.UUID, str | None, str, str, datetime | None, int]],
    reason: str,
    grant: tuple[str, str] | None,
    now: datetime,
    typed: list[datetime | None] | None = None,
) -> None:
    """rows: (student, old status, new status, source, checked-in time, new version); typed: each row's
    client time of marking (None: none was sent), kept in the history and its chain as for marks."""
    conn = await driver_connection(uow.session)
    position, previous = await cells_sql.lock_chain_head(conn, journal.journal_id)
    await cells_sql.upsert_attendance(
        conn,
        journal.journal_id,
        column.column_id,
        now,
        author,
        [r[0] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        [r[4] for r in rows],
        [r[5] for r in rows],
    )
    shared = Change(
        journal_id=str(journal.journal_id),
        position=position + 1,
        kind="attendance",
        column_id="",
        student_id="",
        old_value=None,
        new_value=None,
        author_id=author,
        on_behalf_of_id=on_behalf,
        reason=reason or None,
        grant_id=grant[0] if grant else None,
        case_id=grant[1] if grant else None,
        recorded_at=now,
    )
    column_text = str(column.column_id)
    cells = [(column_text, str(r[0]), r[1], r[2]) for r in rows]
    hashes = link_batch(previous, position + 1, shared, cells, typed)
    for student, old, new, source, _at, version in rows:
        uow.add_event(
            Event(
                ev.AttendanceRecorded(
                    journal_id=str(journal.journal_id),
                    lesson_id=column_text,
                    student_id=str(student),
                    status=new,
                    previous_status=old or "",
                    source=source,
                    author_id=author,
                    on_behalf_of_id=on_behalf or "",
                    recorded_at=now.isoformat(),
                    reason=reason,
                    version=version,
                    group_id=str(journal.group_id),
                ),
                subject=f"journal/{journal.journal_id}",
            )
        )
    await cells_sql.insert_history(
        conn,
        shared,
        position + 1,
        previous,
        [column_text] * len(rows),
        [str(r[0]) for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        hashes,
        typed,
    )
    previous = hashes[-1]
    await cells_sql.update_head(conn, journal.journal_id, position + len(rows), previous)


async def _name_the_writers(
    conn: Any, journal_id: uuid.UUID, column_id: uuid.UUID, stale: list[dict[str, object]]
) -> None:
    """Who marked each stale entry's current status and when (a student's own QR check-in names the
    student), so the client shows both values and whose the server's is (issue 21), as for marks."""
    found = await cells_sql.attendance_writers_of(
        conn, journal_id, column_id, [uuid.UUID(str(c["student_id"])) for c in stale]
    )
    for cell in stale:
        writer = found.get(uuid.UUID(str(cell["student_id"])))
        cell["author_id"] = writer.author_id if writer else ""
        cell["author_name"] = writer.author_name if writer else ""
        cell["updated_at"] = writer.updated_at.isoformat() if writer else ""


async def _closed_guard(
    uow: UnitOfWork,
    journal: JournalView,
    column: ColumnInfo,
    principal: Principal,
    now: datetime,
    reason: str,
) -> tuple[str, str] | None:
    if journal.locked_at is not None:
        raise FailedPrecondition("the journal is locked (KG-06)", field="journal_id")
    if column.section_id is None:
        return None
    section = (await sections_of(uow.session, journal.journal_id))[column.section_id]
    if section.closed_at is None:
        return None
    grant = await open_closed(uow.session, journal, principal, {column.section_id}, reason, now)
    return grant.grant_id, grant.case_id


def _canonical(student_id: str) -> str:
    try:
        return str(uuid.UUID(student_id))
    except ValueError:
        return student_id


def _refusals(
    entries: Sequence[AttendanceWrite], lesson: str, students: Container[str]
) -> list[tuple[str, str]]:
    """Every entry on the roster once (the batch planner's rules) with a known status, in entry order."""
    keys = [Cell(lesson, _canonical(e.student_id)) for e in entries]
    lesson_only = {lesson: ColumnFacts(LESSON, None, None, False)}
    found = refusals(
        keys,
        lesson_only,
        students,
        path="entries",
        twice_field=".student_id",
        twice="appears twice in this call",
    ).violations
    for i, entry in enumerate(entries):
        if entry.status not in ATTENDANCE_STATUSES:
            found.append(
                (f"entries[{i}].status", f"{entry.status!r} is not one of: {', '.join(ATTENDANCE_STATUSES)}")
            )
    return sorted(found, key=lambda v: int(v[0].split("[", 1)[1].split("]", 1)[0]))


async def record_attendance(
    gb: Gradebook,
    principal: Principal | None,
    cmd: RecordAttendance,
    encode: Callable[[list[AttendanceCell]], bytes],
) -> AttendanceResult:
    """`encode` turns the written cells into the reply's bytes, kept for a repeated idempotency key."""
    journal_id, lesson_id, entries, reason = cmd.journal_id, cmd.lesson_id, cmd.entries, cmd.reason
    idempotency_key, request_hash = cmd.idempotency_key, cmd.request_hash
    idempotency.check_key(idempotency_key)
    journal_uuid, lesson_uuid = parse_id(journal_id, "journal_id"), parse_id(lesson_id, "lesson_id")
    if not entries:
        raise InvalidArgument("entries", "at least one entry is required")
    now = gb.now()
    async with gb.unit_of_work() as uow:
        journal = await authorized_journal(uow.session, principal, "journal.write", journal_uuid, now.date())
        assert principal is not None
        call = idempotency.CallKey(principal.subject, "RecordAttendance", idempotency_key, request_hash)

        async def work() -> list[AttendanceCell]:
            assert principal is not None
            return await _record(uow, principal, journal, lesson_uuid, lesson_id, entries, reason, now)

        reply = await idempotency.once(uow, call, work, encode)
    if reply.stored is not None:
        return AttendanceResult([], reply.stored)
    assert reply.outcome is not None
    return AttendanceResult(reply.outcome)


async def _record(
    uow: UnitOfWork,
    principal: Principal,
    journal: JournalView,
    lesson_uuid: uuid.UUID,
    lesson_id: str,
    entries: Sequence[AttendanceWrite],
    reason: str,
    now: datetime,
) -> list[AttendanceCell]:
    column = await lesson_column(uow, journal, lesson_uuid)
    students = {str(s) for s in await roster(uow.session, journal)}
    if violations := _refusals(entries, str(lesson_uuid), students):
        raise ValidationFailed(f"{len(violations)} entr(ies) refused; nothing was written", violations)
    parsed = [uuid.UUID(e.student_id) for e in entries]  # all on the roster, so all ids
    grant = await _closed_guard(uow, journal, column, principal, now, reason)
    conn = await driver_connection(uow.session)
    await cells_sql.lock_chain_head(conn, journal.journal_id)
    current = await cells_sql.current_attendance(conn, journal.journal_id, column.column_id, parsed)
    keys = [Cell(str(lesson_uuid), str(s)) for s in parsed]
    stored: dict[tuple[str, str], tuple[str | None, int]] = {
        (str(lesson_uuid), str(s)): (c[0], c[1]) for s, c in current.items()
    }
    batch = plan(keys, [e.status for e in entries], [e.expected_version for e in entries], stored)
    if batch.stale:
        stale: list[dict[str, object]] = [
            {
                "cell": i,
                "column_id": lesson_id,
                "student_id": entries[i].student_id,
                "value": batch.current[i].value or "",
                "version": batch.current[i].version,
                "source": current.get(parsed[i], (None, 0, "", None))[2],
            }
            for i in batch.stale
        ]
        await _name_the_writers(conn, journal.journal_id, column.column_id, stale)
        raise Conflict(
            f"{len(stale)} entr(ies) changed since they were read; nothing was written",
            field=f"entries[{batch.stale[0]}].expected_version",
            current=json.dumps(stale, ensure_ascii=False),
        )
    rows = []
    out = []
    typed: list[datetime | None] = []
    changed = set(batch.changed)
    for i, (entry, student) in enumerate(zip(entries, parsed, strict=True)):
        old_status, old_version, old_source, checked_at = current.get(student, (None, 0, "", None))
        if i not in changed:
            out.append(
                AttendanceCell(lesson_id, entry.student_id, entry.status, old_version, old_source, checked_at)
            )
            continue
        source = BY_TEACHER
        if old_source in (BY_CHECK_IN, BY_OVERRIDE):
            if not reason.strip():
                raise InvalidArgument("reason", f"overriding the QR check-in of entries[{i}] needs a reason")
            source = BY_OVERRIDE
        rows.append((student, old_status, entry.status, source, checked_at, old_version + 1))
        typed.append(entry.typed_at)
        out.append(
            AttendanceCell(lesson_id, entry.student_id, entry.status, old_version + 1, source, checked_at)
        )
    if rows:
        on_behalf = journal.writers.on_behalf_of(principal.subject)
        await write_cells(
            uow,
            journal,
            column,
            principal.subject,
            on_behalf,
            rows,
            reason,
            grant,
            now,
            typed if any(typed) else None,
        )
    return out
