"""Writing marks: a whole column or grid at once, all-or-nothing, fit for the deadline rush.

One call = one transaction and two round trips to the database: (1) one pipeline opens the
transaction (BEGIN: the connection is in autocommit mode, so psycopg sends no BEGIN of its own in a
round trip before it), takes the journal's history-chain lock (which serialises its writers, so versions
read under it are exact), then reads in one statement the journal (access), its columns, roster and
closed sections, the idempotency key's stored reply and the current cells; the batch is then planned in
the domain (every refused cell reported at once, a stale `expected_version` aborts it with the current
values); (2) one pipeline writes the upsert, the history, the chain head, the outbox rows and the
idempotency key, and COMMITs. The commit takes a round trip of its own only when something follows the
writes: a reopen grant opened on the ORM session, or a KG-06 profile's lock on final scores. A closed
section is refused here with a clear message, and by the database's trigger for any path that bypasses
the service.

The call runs on a pooled connection lent without the ORM session (`ExplicitTransaction`): the
session's layers cost more client CPU than the call's SQL work. The rare calls that need the session
(a reopen grant, or KG-06's lock on final scores when the batch writes an intermediate attestation's
cell) or the key's recall in a fresh transaction (a twin's key, a stale version) roll that back, having
written nothing, and run again in a unit of work, which answers them as it always did.
"""

from __future__ import annotations

import uuid
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.context import Principal
from ejournal_platform.db import ExplicitTransaction, UnitOfWork
from ejournal_platform.errors import Conflict, FailedPrecondition, InvalidArgument, ValidationFailed
from ejournal_platform.outbox import EncodedEvents
from ejournal_regulation import get_profile
from services.gradebook.adapters import cells_sql, idempotency_sql, journals_sql
from services.gradebook.adapters.event_wire import mark_recorded_payloads
from services.gradebook.adapters.pg import (
    CLOSED_SQLSTATE,
    explicit_connection,
    queue_commit,
    sqlstate_of,
)
from services.gradebook.domain.cell_batch import Cell, plan, refusals
from services.gradebook.domain.closed import section_closed
from services.gradebook.domain.history_chain import Change, link_batch
from services.gradebook.domain.journal import JournalView
from services.gradebook.domain.scale import mark_book
from services.gradebook.service_layer import idempotency
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.final_scores import ATTESTATION, lock_if_final_scores_set
from services.gradebook.service_layer.grants import ActiveGrant, open_closed
from services.gradebook.service_layer.journals import authorize, parse_id
from services.gradebook.service_layer.stale_cells import refuse_stale

MAX_CELLS = 20_000
MARK_RECORDED = ev.MarkRecorded.DESCRIPTOR.full_name
OPERATION = "WriteMarks"


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


@dataclass(frozen=True, kw_only=True)
class WriteMarks:
    """The WriteMarks command: cells of one journal under the caller's idempotency key."""

    journal_id: str
    cells: Sequence[CellWrite]
    idempotency_key: str
    request_hash: bytes  # the request's fingerprint: a key reused for another request is refused
    reason: str = ""  # required for a correction under a reopen grant


class NeedsSession(Exception):
    """Raised on WriteMarks' connection without a session, before anything is written, when the call
    needs the unit of work's session (a reopen grant, KG-06's lock): it then runs again in one."""


@dataclass
class WriteResult:
    outcome: MarkOutcome
    replayed: bool = False  # the first outcome of an earlier call with the same key


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


def _keys(cells: Sequence[CellWrite]) -> list[Cell]:
    """UUID text as the database prints it (clients may send upper case); other text is kept, and then
    matches no column or student."""
    return [Cell(c.column_id.lower(), c.student_id.lower()) for c in cells]


async def apply_marks(
    gb: Gradebook,
    uow: UnitOfWork | ExplicitTransaction,
    principal: Principal,
    journal: JournalView,
    cells: Sequence[CellWrite],
    reason: str,
    now: datetime,
    *,
    state: cells_sql.WriteState | None = None,
    call: idempotency.CallKey | None = None,
    commit: bool = False,
) -> MarkOutcome:
    """Validate and write inside the caller's unit of work (WriteMarks, an accepted dispute). `state`:
    what WriteMarks has read already; `call`: store `pack_outcome` under its key with the writes;
    `commit`: the caller does nothing after this but commit, so the transaction commits in the writes'
    round trip (unless a reopen grant was opened on the ORM session: the unit of work commits it)."""
    _check_shape(cells)
    conn = uow.connection if isinstance(uow, ExplicitTransaction) else await driver_connection(uow.session)
    keys = _keys(cells)
    if state is None:
        state = await cells_sql.read_for_write(conn, journal.journal_id, keys)
    values, rejected = mark_book(journal.profile_code).normalise([c.value for c in cells])
    checked = refusals(keys, state.columns, state.roster)
    violations = [(f"cells[{r.index}].value", r.reason) for r in rejected] + checked.violations
    if violations:
        raise ValidationFailed(f"{len(violations)} cell(s) refused; nothing was written", violations)
    if journal.locked_at is not None:
        raise FailedPrecondition(
            "the journal is locked: the intermediate attestation's final scores are set (KG-06)",
            field="journal_id",
        )
    grant: ActiveGrant | None = None
    if closed := checked.sections & state.closed_sections:
        if isinstance(uow, ExplicitTransaction):
            raise NeedsSession  # the grant is written through the ORM session
        grant = await open_closed(uow.session, journal, principal, closed, reason, now)
    batch = plan(keys, values, [c.expected_version for c in cells], state.current)
    if batch.stale:
        await refuse_stale(conn, journal.journal_id, cells, batch.stale, batch.current)
    changed = batch.changed
    out = [
        WrittenCell(c.column_id, c.student_id, now_.value or "", now_.version)
        for c, now_ in zip(cells, batch.current, strict=True)
    ]
    for i in changed:
        out[i] = WrittenCell(
            cells[i].column_id, cells[i].student_id, values[i] or "", batch.current[i].version + 1
        )
    outcome = MarkOutcome(out, grant.case_id if grant else "", len(changed))
    if not changed:
        if call is not None and not await idempotency_sql.remember(conn, call, pack_outcome(outcome)):
            raise idempotency.TwinFirst
        return outcome
    shared = Change(
        journal_id=str(journal.journal_id),
        position=state.head_position + 1,
        kind="mark",
        column_id="",
        student_id="",
        old_value=None,
        new_value=None,
        author_id=principal.subject,
        on_behalf_of_id=journal.writers.on_behalf_of(principal.subject),
        reason=reason or None,
        grant_id=grant.grant_id if grant else None,
        case_id=grant.case_id if grant else None,
        recorded_at=now,
    )
    columns = [keys[i].column_id for i in changed]
    students = [keys[i].student_id for i in changed]
    olds = [batch.current[i].value for i in changed]
    news = [values[i] for i in changed]
    versions = [batch.current[i].version + 1 for i in changed]
    typed = [cells[i].typed_at for i in changed] if any(cells[i].typed_at for i in changed) else None
    hashes = link_batch(
        state.head_hash,
        state.head_position + 1,
        shared,
        list(zip(columns, students, olds, news, strict=True)),
        typed,
    )
    payloads = mark_recorded_payloads(
        ev.MarkRecorded(
            journal_id=shared.journal_id,
            author_id=shared.author_id,
            on_behalf_of_id=shared.on_behalf_of_id or "",
            case_id=shared.case_id or "",
            recorded_at=now.isoformat(),
            reason=shared.reason or "",
        ),
        state.columns,
        columns,
        students,
        olds,
        news,
        versions,
    )
    remembered = conn.cursor(binary=True) if call is not None else None
    # COMMIT as the pipeline's last statement saves the commit's own round trip. It runs only if every
    # statement before it succeeded (after an error the server skips the rest of the pipeline up to its
    # sync, and the transaction stays open, failed, for the unit of work to roll back); so the key is
    # stored strictly: a concurrent twin's key aborts this write rather than let it commit keyless.
    commit_now = commit and grant is None
    try:
        # Five statements (six with COMMIT), one round trip: on a busy machine every round trip is two
        # context switches.
        async with conn.pipeline():
            await cells_sql.upsert_marks(
                conn, journal.journal_id, now, principal.subject, columns, students, news, versions
            )
            await cells_sql.insert_history(
                conn,
                shared,
                state.head_position + 1,
                state.head_hash,
                columns,
                students,
                olds,
                news,
                hashes,
                typed,
            )
            await cells_sql.update_head(
                conn, journal.journal_id, state.head_position + len(changed), hashes[-1]
            )
            await uow.queue_encoded(
                conn, EncodedEvents(MARK_RECORDED, f"journal/{journal.journal_id}", now, payloads)
            )
            if call is not None and remembered is not None:
                await idempotency_sql.queue_remember(
                    remembered, call, pack_outcome(outcome), or_fail=commit_now
                )
            if commit_now:
                await queue_commit(conn)
                uow.committed_by_caller()
    except psycopg.Error as error:  # the service refuses first; the trigger is the backstop
        if sqlstate_of(error) == CLOSED_SQLSTATE:
            raise section_closed("cells") from None
        if commit_now and idempotency_sql.taken_by_twin(error):
            raise idempotency.TwinFirst from None
        raise
    if remembered is not None:
        async with remembered:
            if not commit_now and not await idempotency_sql.remembered(remembered):
                raise idempotency.TwinFirst
    outcome.touched_columns = {uuid.UUID(c) for c in set(columns)}
    return outcome


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


async def write_marks(gb: Gradebook, principal: Principal | None, cmd: WriteMarks) -> WriteResult:
    """WriteMarks: the outcome, or (`replayed`) the first outcome of an earlier call with this key."""
    cells, reason = cmd.cells, cmd.reason
    journal_id, idempotency_key, request_hash = cmd.journal_id, cmd.idempotency_key, cmd.request_hash
    idempotency.check_key(idempotency_key)
    journal_uuid = parse_id(journal_id, "journal_id")
    _check_shape(cells)
    now = gb.now()
    subject = principal.subject if principal is not None else ""
    call = idempotency.CallKey(subject, OPERATION, idempotency_key, request_hash)
    keys = _keys(cells)
    loaded: list[JournalView] = []

    async def work(
        holder: UnitOfWork | ExplicitTransaction, conn: psycopg.AsyncConnection[Any]
    ) -> MarkOutcome:
        state = await cells_sql.read_for_write(conn, journal_uuid, keys, recall=call, begin=True)
        row = state.journal
        found = None if row is None else await journals_sql.complete(conn, row, now.date(), subject or None)
        journal = authorize(principal, "journal.write", found)
        assert principal is not None
        loaded.append(journal)
        if (earlier := idempotency.accept(state.recalled, call)) is not None:
            raise idempotency.Replay(earlier)
        # Nothing follows the writes unless the profile locks the journal when final scores are set
        # (lock_if_final_scores_set, KG-06) and the batch writes an intermediate attestation's cell,
        # which alone can complete its scores: then the unit of work commits after the lock. A KG
        # journal's ordinary lesson marks stay on the fast path.
        locks = get_profile(journal.profile_code).closing.rule == "on_final_score_set" and any(
            (facts := state.columns.get(column)) is not None and facts.control_kind == ATTESTATION
            for column in {k.column_id for k in keys}
        )
        if locks and isinstance(holder, ExplicitTransaction):
            raise NeedsSession
        outcome = await apply_marks(
            gb, holder, principal, journal, cells, reason, now, state=state, call=call, commit=not locks
        )
        if outcome.changed and locks:
            assert isinstance(holder, UnitOfWork)
            attestations = [
                (uuid.UUID(c), uuid.UUID(f.section_id) if f.section_id else None)
                for c, f in state.columns.items()
                if f.control_kind == ATTESTATION
            ]
            await lock_if_final_scores_set(
                holder, principal, journal, outcome.touched_columns, now, attestations
            )
        return outcome

    try:
        async with gb.explicit_transaction() as tx:
            try:
                outcome = await work(tx, tx.connection)  # BEGIN and COMMIT are this call's own
            except idempotency.Replay as found:
                return _replayed(found.stored, loaded[-1], cells)
            await tx.commit()
            return WriteResult(outcome)
    except (NeedsSession, idempotency.TwinFirst, Conflict):
        pass  # rolled back, nothing written: the unit of work does it all again and answers these

    async def in_session() -> MarkOutcome:
        return await work(uow, await explicit_connection(uow.session))

    async with gb.unit_of_work() as uow:
        reply = await idempotency.once(
            uow, call, in_session, pack_outcome, recall_first=False, stored_with_work=True
        )
    if reply.outcome is not None:
        return WriteResult(reply.outcome)
    assert reply.stored is not None and loaded
    return _replayed(reply.stored, loaded[-1], cells)


def _replayed(stored: bytes, journal: JournalView, cells: Sequence[CellWrite]) -> WriteResult:
    return WriteResult(unpack_outcome(stored, journal.profile_code, cells), replayed=True)
