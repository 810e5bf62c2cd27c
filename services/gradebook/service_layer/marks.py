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
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.context import Principal, current_request_id
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import Conflict, FailedPrecondition, InvalidArgument, ValidationFailed
from services.gradebook.adapters import cells_sql
from services.gradebook.adapters.event_wire import MarkRecordedBatch
from services.gradebook.adapters.pg import CLOSED_SQLSTATE, raw_connection, set_grant, sqlstate_of
from services.gradebook.domain.closed import section_closed
from services.gradebook.domain.history_chain import Change, link_batch
from services.gradebook.domain.scale import mark_book
from services.gradebook.service_layer import idempotency
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import JournalView, authorized_journal, parse_id

MAX_CELLS = 20_000
MARK_RECORDED = ev.MarkRecorded.DESCRIPTOR.full_name


@dataclass(frozen=True, slots=True)
class CellWrite:
    column_id: str
    student_id: str
    value: str
    expected_version: int | None = None
    typed_at: datetime | None = None  # the client's time of typing, as information (issue 21)


@dataclass(frozen=True, slots=True)
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
    outcome: MarkOutcome
    replayed: bool = False  # the first outcome of an earlier call with the same key


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
        raise section_closed("cells")
    if len(sections) > 1:
        raise FailedPrecondition("write one reopened section per call", field="cells")
    return ActiveGrant(str(rows[0].grant_id), rows[0].case_id)


def typed_time(text: str, index: int, items: str = "cells") -> datetime | None:
    """A cell's `typed_at` (RFC 3339 with an offset), or None when the client sent none. It is kept as
    the client said it, even when that clock is wrong: it is information, never a rule's input.
    `items` names the request's list in a refusal (cells of marks, entries of attendance)."""
    if not text:
        return None
    field_name = f"{items}[{index}].typed_at"
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(field_name, "is not an RFC 3339 time") from None
    if at.tzinfo is None:
        raise InvalidArgument(field_name, "needs an offset from UTC (e.g. Z)")
    return at


def _check_shape(cells: Sequence[CellWrite]) -> None:
    if not cells:
        raise InvalidArgument("cells", "at least one cell is required")
    if len(cells) > MAX_CELLS:
        raise InvalidArgument("cells", f"at most {MAX_CELLS} cells per call")


def _canonical(text: str) -> str:
    """UUID text as the database prints it (clients may send upper case); other text is kept, and then
    matches no column or student."""
    return text.lower()


async def apply_marks(
    gb: Gradebook,
    uow: UnitOfWork,
    principal: Principal,
    journal: JournalView,
    cells: Sequence[CellWrite],
    reason: str,
    now: datetime,
) -> MarkOutcome:
    """Validate and write inside the caller's unit of work (WriteMarks, an accepted dispute).

    Ids stay text throughout (dict and set lookups on str are what a 2,000-cell batch can afford)."""
    _check_shape(cells)
    session = uow.session
    book = mark_book(journal.profile_code)
    values, rejected = book.normalise([c.value for c in cells])
    violations = [(f"cells[{r.index}].value", r.reason) for r in rejected]
    column_ids = [_canonical(c.column_id) for c in cells]
    student_ids = [_canonical(c.student_id) for c in cells]
    conn = await raw_connection(session)
    state = await cells_sql.read_for_write(
        conn, journal.journal_id, journal.group_id, journal.subgroup_id, list(dict.fromkeys(column_ids))
    )
    columns, students = state.columns, state.roster
    seen: set[tuple[str, str]] = set()
    touched: set[str] = set()
    for index, key in enumerate(zip(column_ids, student_ids, strict=True)):
        column = columns.get(key[0])
        if column is None:
            violations.append((f"cells[{index}].column_id", "is not a column of this journal"))
        elif column[3]:
            violations.append((f"cells[{index}].column_id", "the lesson was cancelled"))
        elif column[1] is not None:
            touched.add(column[1])
        if key[1] not in students:
            violations.append((f"cells[{index}].student_id", "is not on this journal's roster"))
        if key in seen:
            violations.append((f"cells[{index}]", "the same cell appears twice in this call"))
        seen.add(key)
    if violations:
        raise ValidationFailed(f"{len(violations)} cell(s) refused; nothing was written", violations)
    if journal.locked_at is not None:
        raise FailedPrecondition(
            "the journal is locked: the intermediate attestation's final scores are set (KG-06)",
            field="journal_id",
        )
    grant: ActiveGrant | None = None
    closed = touched & state.closed_sections
    if closed:
        grant = await grant_for(session, journal, principal, {uuid.UUID(s) for s in closed}, now)
        if not reason.strip():
            raise InvalidArgument("reason", "a correction under a reopen grant needs a reason")
        await set_grant(session, grant.grant_id, principal.subject)
    head_position, head_hash, current = state.head_position, state.head_hash, state.current

    stale: list[dict[str, object]] = []
    out: list[WrittenCell] = []
    changed: list[int] = []
    olds: list[str | None] = []
    news: list[str | None] = []
    versions: list[int] = []
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
        changed.append(index)
        olds.append(old_value)
        news.append(new_value)
        versions.append(old_version + 1)
        out.append(WrittenCell(cell.column_id, cell.student_id, new_value or "", old_version + 1))
    if stale:
        await _name_the_writers(conn, journal.journal_id, stale)
        raise Conflict(
            f"{len(stale)} cell(s) changed since they were read; nothing was written",
            field=f"cells[{stale[0]['cell']}].expected_version",
            current=json.dumps(stale, ensure_ascii=False),
        )
    outcome = MarkOutcome(out, grant.case_id if grant else "", len(changed))
    if not changed:
        return outcome
    author = principal.subject
    shared = Change(
        str(journal.journal_id),
        head_position + 1,
        "mark",
        "",
        "",
        None,
        None,
        author,
        journal.writers.on_behalf_of(author),
        reason or None,
        grant.grant_id if grant else None,
        grant.case_id if grant else None,
        now,
    )
    changed_columns = [column_ids[i] for i in changed]
    changed_students = [student_ids[i] for i in changed]
    typed = [cells[i].typed_at for i in changed] if any(cells[i].typed_at for i in changed) else None
    hashes = link_batch(
        head_hash,
        head_position + 1,
        shared,
        list(zip(changed_columns, changed_students, olds, news, strict=True)),
        typed,
    )
    payloads = mark_event_payloads(shared, columns, changed_columns, changed_students, olds, news, versions)
    try:
        # Four statements, one round trip: on a busy machine every round trip is two context switches.
        async with conn.pipeline():
            await cells_sql.upsert_marks(
                conn, journal.journal_id, now, author, changed_columns, changed_students, news, versions
            )
            await cells_sql.insert_history(
                conn,
                shared,
                head_position + 1,
                head_hash,
                changed_columns,
                changed_students,
                olds,
                news,
                hashes,
                typed,
            )
            await cells_sql.update_head(conn, journal.journal_id, head_position + len(changed), hashes[-1])
            await cells_sql.insert_outbox(
                conn, MARK_RECORDED, f"journal/{journal.journal_id}", now, current_request_id(), payloads
            )
    except psycopg.Error as error:  # the service refuses first; the trigger is the backstop
        if sqlstate_of(error) == CLOSED_SQLSTATE:
            raise section_closed("cells") from None
        raise
    outcome.touched_columns = {uuid.UUID(c) for c in set(changed_columns)}
    return outcome


async def _name_the_writers(conn: Any, journal_id: uuid.UUID, stale: list[dict[str, object]]) -> None:
    """Who wrote each stale cell's current value and when, so the client can show both values and whose
    the server's is (issue 21). Read only when a batch conflicts: the ordinary write stays as fast."""
    found = await cells_sql.writers_of(
        conn, journal_id, [(str(c["column_id"]).lower(), str(c["student_id"]).lower()) for c in stale]
    )
    for cell in stale:
        writer = found.get((str(cell["column_id"]).lower(), str(cell["student_id"]).lower()))
        cell["author_id"] = writer.author_id if writer else ""
        cell["author_name"] = writer.author_name if writer else ""
        cell["updated_at"] = writer.updated_at.isoformat() if writer else ""


def mark_event_payloads(
    shared: Change,
    columns: dict[str, tuple[str, str | None, str | None, bool]],
    column_ids: list[str],
    student_ids: list[str],
    olds: list[str | None],
    news: list[str | None],
    versions: list[int],
) -> list[bytes]:
    """One MarkRecorded per changed cell (wire-encoded from the batch's shared fields)."""
    batch = MarkRecordedBatch(
        ev.MarkRecorded(
            journal_id=shared.journal_id,
            author_id=shared.author_id,
            on_behalf_of_id=shared.on_behalf_of_id or "",
            case_id=shared.case_id or "",
            recorded_at=shared.recorded_at.isoformat(),
            reason=shared.reason or "",
        )
    )
    payloads = []
    for column_id, student, old, new, version in zip(
        column_ids, student_ids, olds, news, versions, strict=True
    ):
        kind, section, _control, _cancelled = columns[column_id]
        payloads.append(batch.payload(column_id, student, new or "", old or "", version, section or "", kind))
    return payloads


def pack_outcome(outcome: MarkOutcome) -> bytes:
    """What a retry needs besides its own (identical) request: the versions and the reopen case.

    A few bytes per cell instead of the whole response: the response is rebuilt from the request."""
    case = outcome.case_id.encode()
    return len(case).to_bytes(2, "big") + case + array("q", (c.version for c in outcome.cells)).tobytes()


def unpack_outcome(stored: bytes, profile_code: str, cells: Sequence[CellWrite]) -> MarkOutcome:
    size = int.from_bytes(stored[:2], "big")
    case_id = stored[2 : 2 + size].decode()
    versions = array("q")
    versions.frombytes(stored[2 + size :])
    values, _ = mark_book(profile_code).normalise([c.value for c in cells])
    written = [
        WrittenCell(c.column_id, c.student_id, value or "", version)
        for c, value, version in zip(cells, values, versions, strict=True)
    ]
    return MarkOutcome(written, case_id)


async def write_marks(
    gb: Gradebook,
    principal: Principal | None,
    journal_id: str,
    cells: Sequence[CellWrite],
    idempotency_key: str,
    reason: str,
    request_hash: bytes,
) -> WriteResult:
    """WriteMarks: the outcome, or (`replayed`) the first outcome of an earlier call with this key."""
    from services.gradebook.service_layer.closing import lock_if_final_scores_set

    idempotency.check_key(idempotency_key)
    journal_uuid = parse_id(journal_id, "journal_id")
    _check_shape(cells)
    now = gb.now()
    async with gb.unit_of_work() as uow:
        journal = await authorized_journal(uow.session, principal, "journal.write", journal_uuid, now.date())
        assert principal is not None
        subject = principal.subject

        async def replay() -> WriteResult | None:
            stored = await idempotency.recall(
                uow.session, subject, "WriteMarks", idempotency_key, request_hash
            )
            if stored is None:
                return None
            return WriteResult(unpack_outcome(stored, journal.profile_code, cells), replayed=True)

        if (earlier := await replay()) is not None:
            return earlier
        try:
            outcome = await apply_marks(gb, uow, principal, journal, cells, reason, now)
        except Conflict:
            # A concurrent twin of this call (same key) may have won while we waited for the lock.
            await uow.session.rollback()
            if (earlier := await replay()) is not None:
                return earlier
            raise
        if outcome.changed:
            await lock_if_final_scores_set(uow, principal, journal, outcome.touched_columns, now)
        stored = pack_outcome(outcome)
        if not await idempotency.remember(
            uow.session, subject, "WriteMarks", idempotency_key, request_hash, stored
        ):
            await uow.session.rollback()
            earlier = await replay()
            assert earlier is not None
            return earlier
        await uow.commit()
    if outcome.changed:
        gb.outbox.notify()
    return WriteResult(outcome)
