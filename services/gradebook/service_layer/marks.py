"""Writing marks: a whole column or grid at once, all-or-nothing, fit for the deadline rush.

One call = one transaction: validate every cell against the scale, the journal's columns and roster
(all refusals reported together, nothing written); take the journal's history-chain lock (which
serialises its writers, so versions read under it are exact); compare expected versions (a stale cell
aborts the batch with the current values); then one upsert, one history insert and one outbox insert
for the whole batch. A closed section is refused here with a clear message, and by the database's
trigger for any path that bypasses the service.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.context import Principal, current_request_id
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import Conflict, FailedPrecondition, InvalidArgument, ValidationFailed
from services.gradebook.adapters import cells_sql
from services.gradebook.adapters.pg import CLOSED_SQLSTATE, raw_connection, set_grant, sqlstate_of
from services.gradebook.domain.history_chain import Change, link
from services.gradebook.domain.scale import mark_book
from services.gradebook.service_layer import idempotency
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.grid_data import ColumnInfo, columns_of, sections_of
from services.gradebook.service_layer.journals import JournalView, authorized_journal, parse_id, roster

MAX_CELLS = 20_000
MARK_RECORDED = ev.MarkRecorded.DESCRIPTOR.full_name


@dataclass(frozen=True)
class CellWrite:
    column_id: str
    student_id: str
    value: str
    expected_version: int | None = None


@dataclass(frozen=True)
class WrittenCell:
    column_id: str
    student_id: str
    value: str
    version: int


@dataclass
class MarkOutcome:
    cells: list[WrittenCell]
    case_id: str = ""
    changed: int = 0
    touched_columns: set[uuid.UUID] = field(default_factory=set)


@dataclass
class WriteResult:
    outcome: MarkOutcome | None = None
    stored: bytes | None = None  # the first call's response, for a retry


@dataclass(frozen=True)
class ActiveGrant:
    grant_id: str
    case_id: str


ACTIVE_GRANTS = text(
    """
    SELECT grant_id, case_id, section_id FROM reopen_grants
    WHERE journal_id = :j AND teacher_id = :t AND ended_at IS NULL AND expires_at > :now
      AND section_id = ANY(:sections)
    """
)


async def grant_for(
    session: AsyncSession, journal: JournalView, principal: Principal, sections: set[uuid.UUID], now: datetime
) -> ActiveGrant:
    """The reopen grant that lets this teacher write into these closed sections, or a refusal."""
    try:
        teacher = uuid.UUID(principal.subject)
    except ValueError:
        teacher = None
    rows = (
        (
            await session.execute(
                ACTIVE_GRANTS, {"j": journal.journal_id, "t": teacher, "now": now, "sections": list(sections)}
            )
        ).all()
        if teacher
        else []
    )
    covered = {r.section_id for r in rows}
    missing = sections - covered
    if missing:
        section = sorted(str(s) for s in missing)[0]
        raise FailedPrecondition(
            f"section {section} of this journal is closed and read-only (KZ-05); a change needs a reopen "
            "(KZ-08, KZ-13)",
            field="cells",
        )
    if len(sections) > 1:
        raise FailedPrecondition("write one reopened section per call", field="cells")
    return ActiveGrant(str(rows[0].grant_id), rows[0].case_id)


def _check_shape(cells: Sequence[CellWrite]) -> None:
    if not cells:
        raise InvalidArgument("cells", "at least one cell is required")
    if len(cells) > MAX_CELLS:
        raise InvalidArgument("cells", f"at most {MAX_CELLS} cells per call")


async def apply_marks(
    gb: Gradebook,
    uow: UnitOfWork,
    principal: Principal,
    journal: JournalView,
    cells: Sequence[CellWrite],
    reason: str,
    now: datetime,
) -> MarkOutcome:
    """Validate and write inside the caller's unit of work (WriteMarks, an accepted dispute)."""
    _check_shape(cells)
    session = uow.session
    book = mark_book(journal.profile_code)
    values, rejected = book.normalise([c.value for c in cells])
    violations = [(f"cells[{r.index}].value", r.reason) for r in rejected]
    columns = await columns_of(session, journal.journal_id)
    students = await roster(session, journal)
    column_ids: list[uuid.UUID] = []
    student_ids: list[uuid.UUID] = []
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    touched: set[uuid.UUID] = set()
    for index, cell in enumerate(cells):
        try:
            column_id = uuid.UUID(cell.column_id)
        except ValueError:
            column_id = uuid.UUID(int=0)
        try:
            student_id = uuid.UUID(cell.student_id)
        except ValueError:
            student_id = uuid.UUID(int=0)
        column = columns.get(column_id)
        if column is None:
            violations.append((f"cells[{index}].column_id", "is not a column of this journal"))
        elif column.cancelled:
            violations.append((f"cells[{index}].column_id", "the lesson was cancelled"))
        elif column.section_id is not None:
            touched.add(column.section_id)
        if student_id not in students:
            violations.append((f"cells[{index}].student_id", "is not on this journal's roster"))
        if (column_id, student_id) in seen:
            violations.append((f"cells[{index}]", "the same cell appears twice in this call"))
        seen.add((column_id, student_id))
        column_ids.append(column_id)
        student_ids.append(student_id)
    if violations:
        raise ValidationFailed(f"{len(violations)} cell(s) refused; nothing was written", violations)
    if journal.locked_at is not None:
        raise FailedPrecondition(
            "the journal is locked: the intermediate attestation's final scores are set (KG-06)",
            field="journal_id",
        )
    sections = await sections_of(session, journal.journal_id)
    closed = {s for s in touched if sections[s].closed_at is not None}
    grant: ActiveGrant | None = None
    if closed:
        grant = await grant_for(session, journal, principal, closed, now)
        if not reason.strip():
            raise InvalidArgument("reason", "a correction under a reopen grant needs a reason")
        await set_grant(session, grant.grant_id, principal.subject)
    conn = await raw_connection(session)
    head_position, head_hash = await cells_sql.lock_chain_head(conn, journal.journal_id)
    current = await cells_sql.current_marks(conn, journal.journal_id, column_ids, student_ids)

    stale: list[dict[str, object]] = []
    out: list[WrittenCell] = []
    changes: list[tuple[int, str | None, str | None, int]] = []  # index, old, new, version
    for index, cell in enumerate(cells):
        old_value, old_version = current.get((column_ids[index], student_ids[index]), (None, 0))
        if cell.expected_version is not None and cell.expected_version != old_version:
            stale.append(
                {
                    "cell": index,
                    "column_id": cell.column_id,
                    "student_id": cell.student_id,
                    "value": old_value or "",
                    "version": old_version,
                }
            )
            continue
        new_value = values[index]
        if new_value == old_value:
            out.append(WrittenCell(cell.column_id, cell.student_id, old_value or "", old_version))
            continue
        changes.append((index, old_value, new_value, old_version + 1))
        out.append(WrittenCell(cell.column_id, cell.student_id, new_value or "", old_version + 1))
    if stale:
        raise Conflict(
            f"{len(stale)} cell(s) changed since they were read; nothing was written",
            field=f"cells[{stale[0]['cell']}].expected_version",
            current=json.dumps(stale, ensure_ascii=False),
        )
    outcome = MarkOutcome(out, grant.case_id if grant else "", len(changes))
    if not changes:
        return outcome
    author = principal.subject
    on_behalf = journal.writers.on_behalf_of(author)
    history: list[Change] = []
    prev_hashes: list[bytes] = []
    hashes: list[bytes] = []
    previous = head_hash
    journal_text = str(journal.journal_id)
    for offset, (index, old, new, _version) in enumerate(changes):
        change = Change(
            journal_text,
            head_position + offset + 1,
            "mark",
            str(column_ids[index]),
            str(student_ids[index]),
            old,
            new,
            author,
            on_behalf,
            reason or None,
            grant.grant_id if grant else None,
            grant.case_id if grant else None,
            now,
        )
        history.append(change)
        prev_hashes.append(previous)
        previous = link(previous, change)
        hashes.append(previous)
    try:
        await cells_sql.upsert_marks(
            conn,
            journal.journal_id,
            now,
            author,
            [column_ids[i] for i, *_ in changes],
            [student_ids[i] for i, *_ in changes],
            [new for _, _, new, _ in changes],
            [version for *_, version in changes],
        )
    except DBAPIError as error:  # pragma: no cover - the service refuses first; the trigger is a backstop
        if sqlstate_of(error) == CLOSED_SQLSTATE:
            raise FailedPrecondition("this journal section is closed and read-only (KZ-05)") from None
        raise
    await cells_sql.insert_history(conn, history, prev_hashes, hashes)
    await cells_sql.update_head(conn, journal.journal_id, head_position + len(changes), previous)
    await write_mark_events(conn, journal, history, columns, [v for *_, v in changes], now)
    outcome.touched_columns = {column_ids[i] for i, *_ in changes}
    return outcome


async def write_mark_events(
    conn: object,
    journal: JournalView,
    history: Sequence[Change],
    columns: dict[uuid.UUID, ColumnInfo],
    versions: Sequence[int],
    now: datetime,
) -> None:
    """One MarkRecorded per changed cell, inserted into the outbox in one statement."""
    recorded_at = now.isoformat()
    group, unit = str(journal.group_id), str(journal.course_unit_id)
    payloads = []
    for change, version in zip(history, versions, strict=True):
        column = columns[uuid.UUID(change.column_id)]
        payloads.append(
            ev.MarkRecorded(
                journal_id=change.journal_id,
                lesson_id=change.column_id,
                student_id=change.student_id,
                value=change.new_value or "",
                author_id=change.author_id,
                previous_value=change.old_value or "",
                version=version,
                on_behalf_of_id=change.on_behalf_of_id or "",
                section=str(column.section_id) if column.section_id else "",
                case_id=change.case_id or "",
                recorded_at=recorded_at,
                reason=change.reason or "",
                column_kind=column.kind,
                group_id=group,
                course_unit_id=unit,
            ).SerializeToString()
        )
    await cells_sql.insert_outbox(
        conn,  # type: ignore[arg-type]
        MARK_RECORDED,
        f"journal/{journal.journal_id}",
        now,
        current_request_id(),
        [uuid.uuid4() for _ in payloads],
        payloads,
    )


async def write_marks(
    gb: Gradebook,
    principal: Principal | None,
    journal_id: str,
    cells: Sequence[CellWrite],
    idempotency_key: str,
    reason: str,
    request_hash: bytes,
    encode: Callable[[MarkOutcome], bytes],
) -> WriteResult:
    from services.gradebook.service_layer.closing import lock_if_final_scores_set

    idempotency.check_key(idempotency_key)
    journal_uuid = parse_id(journal_id, "journal_id")
    _check_shape(cells)
    now = gb.now()
    async with gb.unit_of_work() as uow:
        journal = await authorized_journal(uow.session, principal, "journal.write", journal_uuid, now.date())
        assert principal is not None
        stored = await idempotency.recall(
            uow.session, principal.subject, "WriteMarks", idempotency_key, request_hash
        )
        if stored is not None:
            return WriteResult(stored=stored)
        outcome = await apply_marks(gb, uow, principal, journal, cells, reason, now)
        # A concurrent retry may have committed while we waited for the journal's lock.
        stored = await idempotency.recall(
            uow.session, principal.subject, "WriteMarks", idempotency_key, request_hash
        )
        if stored is not None:
            return WriteResult(stored=stored)
        if outcome.changed:
            await lock_if_final_scores_set(uow, principal, journal, outcome.touched_columns, now)
        if not await idempotency.remember(
            uow.session, principal.subject, "WriteMarks", idempotency_key, request_hash, encode(outcome)
        ):
            stored = await idempotency.recall(
                uow.session, principal.subject, "WriteMarks", idempotency_key, request_hash
            )
            return WriteResult(stored=stored)
        await uow.commit()
    if outcome.changed:
        gb.outbox.notify()
    return WriteResult(outcome=outcome)
