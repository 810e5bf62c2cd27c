"""Read use cases: journals, the grid, history and its verification, statements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from ejournal_platform.authz import Role, allowed
from ejournal_platform.context import Principal
from ejournal_platform.errors import PermissionDenied, Unauthenticated
from ejournal_platform.pagination import Page, page_request
from services.gradebook.adapters import journals_sql
from services.gradebook.adapters import tables as t
from services.gradebook.adapters.grid_sql import GridRows, read_grid
from services.gradebook.adapters.journal_rows import SectionInfo, sections_of_journals
from services.gradebook.adapters.pg import raw_connection
from services.gradebook.adapters.reads_sql import (
    ACTIVE_CASES_OF_JOURNALS,
    CURRENT_CELLS,
    FINISHING_DEPARTMENT,
    MY_JOURNALS,
)
from services.gradebook.domain.history_chain import Change, StoredChange, Verdict, verify
from services.gradebook.domain.state_check import CellMismatch, first_state_mismatch
from services.gradebook.domain.statements import Header, Line, Names, Signer, parse_content
from services.gradebook.service_layer import names as printed_names
from services.gradebook.service_layer.context import Gradebook
from services.gradebook.service_layer.journals import (
    JournalView,
    authorize,
    authorized_journal,
    load_journal,
    load_journals,
    parse_id,
)

PERSONAL_ROLES = {Role.STUDENT, Role.PARENT}


@dataclass(frozen=True)
class JournalHeader:
    journal: JournalView
    sections: list[SectionInfo]
    open_cases: dict[uuid.UUID, str] = field(default_factory=dict)
    substituting_for: list[str] = field(default_factory=list)


def visible_students(principal: Principal) -> set[str] | None:
    """None for staff; for a student or parent only, the students whose rows they may see."""
    if any(g.role not in PERSONAL_ROLES for g in principal.roles):
        return None
    own = {g.scope_id for g in principal.roles if g.scope_type == "student"}
    if any(g.role == Role.STUDENT for g in principal.roles):
        own.add(principal.subject)
    return own


async def _header(
    gb: Gradebook, session: Any, journal: JournalView, principal: Principal | None
) -> JournalHeader:
    return (await _headers(gb, session, [journal], principal))[0]


async def _headers(
    gb: Gradebook, session: Any, journals: list[JournalView], principal: Principal | None
) -> list[JournalHeader]:
    """Each journal's header (its sections and open reopen cases): two queries however many journals."""
    ids = [j.journal_id for j in journals]
    sections = await sections_of_journals(session, ids)
    cases: dict[uuid.UUID, dict[uuid.UUID, str]] = {j: {} for j in ids}
    if ids:
        for r in await session.execute(ACTIVE_CASES_OF_JOURNALS, {"j": ids, "now": gb.now()}):
            cases[r.journal_id][r.section_id] = r.case_id
    out = []
    for journal in journals:
        behalf = journal.writers.on_behalf_of(principal.subject) if principal else None
        out.append(
            JournalHeader(
                journal,
                list(sections[journal.journal_id].values()),
                cases[journal.journal_id],
                [behalf] if behalf else [],
            )
        )
    return out


async def get_journal(gb: Gradebook, principal: Principal | None, journal_id: str) -> JournalHeader:
    header, _, _ = await get_journal_with_names(gb, principal, journal_id)
    return header


async def get_journal_with_names(
    gb: Gradebook, principal: Principal | None, journal_id: str
) -> tuple[JournalHeader, Names, int]:
    """The journal, its printable names (discipline, group, specialty, department, faculty) and its
    course unit's year of study (0 unknown) as the gradebook knows them: what a reopen explanation
    (KZ-17 form) states, prefilled for the teacher."""
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        journal = await authorized_journal(
            session, principal, "journal.read", parse_id(journal_id, "journal_id"), now.date()
        )
        header = await _header(gb, session, journal, principal)
        known, _ = await printed_names.structure(
            session,
            group_id=str(journal.group_id),
            department_id=str(journal.department_id or ""),
            faculty_id=str(journal.faculty_id or ""),
            course_unit_id=str(journal.course_unit_id),
        )
        course = await session.scalar(
            select(t.course_units.c.course_number).where(
                t.course_units.c.course_unit_id == journal.course_unit_id
            )
        )
        return header, known, int(course or 0)


async def list_my_journals(
    gb: Gradebook, principal: Principal | None, term_id: str, page: Page | None = None
) -> tuple[list[JournalHeader], str]:
    """One page of the caller's journals by id, and the next page's token (keyset: `journal_id >`)."""
    page = page or page_request(0, "")
    if principal is None:
        from ejournal_platform.errors import Unauthenticated

        raise Unauthenticated("a bearer token is required", field="authorization")
    try:
        me = uuid.UUID(principal.subject)
    except ValueError:
        return [], ""
    now = gb.now()
    term = parse_id(term_id, "term_id") if term_id else None
    after = parse_id(page.after[0], "page_token") if page.after else None
    params = {"me": me, "today": now.date(), "term": term, "after": after, "fetch": page.fetch}
    async with gb.unit_of_work() as uow:
        session = uow.session
        found = list((await session.execute(MY_JOURNALS, params)).scalars())
        ids, next_token = page.cut(found, key=lambda j: (j,))
        # A constant number of round trips per page (not per journal): the ids, the journals with
        # their teachers, the substitutions, the sections, the open cases.
        journals = [
            j for j in await load_journals(session, ids, now.date())
            if allowed(principal, "journal.read", j.scope())
        ]  # fmt: skip
        return await _headers(gb, session, journals, principal), next_token


@dataclass
class Grid:
    journal: JournalView
    substituting_for: list[str]
    rows: GridRows


async def grid(gb: Gradebook, principal: Principal | None, journal_id: str) -> Grid:
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        conn = await raw_connection(session)
        # The journal's row comes with the grid (one round trip); nothing read leaves unless allowed.
        row, rows = await read_grid(conn, parse_id(journal_id, "journal_id"), now)
        subject = principal.subject if principal is not None else None
        found = None if row is None else await journals_sql.complete(conn, row, now.date(), subject)
        journal = authorize(principal, "journal.read", found)
        assert principal is not None
        await session.rollback()
    only = visible_students(principal)
    if only is not None:
        rows.students = [s for s in rows.students if s[0] in only]
        rows.marks = [m for m in rows.marks if m[1] in only]
        rows.attendance = [a for a in rows.attendance if a[1] in only]
    behalf = journal.writers.on_behalf_of(principal.subject)
    return Grid(journal, [behalf] if behalf else [], rows)


@dataclass(frozen=True)
class HistoryRow:
    change: Change
    hash: bytes
    author_name: str = ""
    on_behalf_of_name: str = ""


async def people_names(session: Any, ids: set[str]) -> dict[str, str]:
    """Names of people by id, as identity's PersonCreated gave them (the names table); authors that
    are services ("service:workflow") or not yet known are simply absent."""
    wanted = set()
    for some in ids:
        try:
            wanted.add(uuid.UUID(some))
        except ValueError:
            continue
    if not wanted:
        return {}
    n = t.names.c
    found = await session.execute(select(n.name_id, n.title).where(n.name_id.in_(wanted), n.kind == "person"))
    return {str(row.name_id): str(row.title) for row in found}


async def cell_history(
    gb: Gradebook, principal: Principal | None, *, journal_id: str, column_id: str, student_id: str
) -> list[HistoryRow]:
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        journal = await authorized_journal(
            session, principal, "journal.read", parse_id(journal_id, "journal_id"), now.date()
        )
        assert principal is not None
        h = t.history.c
        query = (
            select(t.history)
            .where(h.journal_id == journal.journal_id, h.term_id == journal.term_id)
            .order_by(h.position)
        )
        if column_id:
            query = query.where(h.column_id == parse_id(column_id, "column_id"))
        if student_id:
            query = query.where(h.student_id == parse_id(student_id, "student_id"))
        rows = (await session.execute(query)).all()
        only = visible_students(principal)
        rows = [r for r in rows if only is None or str(r.student_id) in only]
        names = await people_names(
            session, {str(r.author_id) for r in rows} | {str(r.on_behalf_of_id) for r in rows}
        )
    return [
        HistoryRow(
            _change(r), bytes(r.hash), names.get(str(r.author_id), ""), names.get(str(r.on_behalf_of_id), "")
        )
        for r in rows
    ]


def _change(r: Any) -> Change:
    return Change(
        journal_id=str(r.journal_id),
        position=int(r.position),
        kind=r.kind,
        column_id=str(r.column_id),
        student_id=str(r.student_id),
        old_value=r.old_value,
        new_value=r.new_value,
        author_id=r.author_id,
        on_behalf_of_id=r.on_behalf_of_id,
        reason=r.reason,
        grant_id=str(r.grant_id) if r.grant_id else None,
        case_id=r.case_id,
        recorded_at=r.recorded_at,
        typed_at=r.typed_at,
    )


async def verify_journal(gb: Gradebook, principal: Principal | None, journal_id: str) -> StateVerdict:
    """Recompute the journal's hash chain from the stored rows (the first broken link is reported),
    then every cell's value from the history (the first cell that differs is reported)."""
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        journal = await authorized_journal(
            session, principal, "journal.read", parse_id(journal_id, "journal_id"), now.date()
        )
        h = t.history.c
        rows = (
            await session.execute(
                select(t.history)
                .where(h.journal_id == journal.journal_id, h.term_id == journal.term_id)
                .order_by(h.position)
            )
        ).all()
        head = (
            await session.execute(
                select(t.chain_heads.c.position, t.chain_heads.c.hash).where(
                    t.chain_heads.c.journal_id == journal.journal_id
                )
            )
        ).first()
        cells = (await session.execute(CURRENT_CELLS, {"j": journal.journal_id})).all()
    stored = [StoredChange(_change(r), bytes(r.prev_hash), bytes(r.hash)) for r in rows]
    chain = verify(stored, (int(head.position), bytes(head.hash)) if head else None)
    mismatch = first_state_mismatch(
        ((r.kind, str(r.column_id), str(r.student_id), r.new_value) for r in rows),
        ((c.kind, c.column_id, c.student_id, c.value) for c in cells),
    )
    if not chain.intact or mismatch is None:
        return StateVerdict(chain, None)
    return StateVerdict(replace(chain, intact=False, reason="state mismatch"), mismatch)


@dataclass(frozen=True)
class StateVerdict:
    chain: Verdict
    mismatch: CellMismatch | None


@dataclass(frozen=True)
class StatementView:
    statement_id: str
    content_hash: str
    header: Header
    lines: list[Line]
    signers: list[Signer]
    names: Names | None = None


async def _statement_scope_check(gb: Gradebook, session: Any, principal: Principal | None, row: Any) -> None:
    from ejournal_platform.authz import ResourceScope, require

    if row.journal_id is not None:
        journal = await load_journal(session, row.journal_id, gb.now().date())
        require(principal, "statement.read", journal.scope())
        return
    # An integrated statement belongs to the department that finished the teaching (KZ-04).
    finishing = (
        await session.execute(
            FINISHING_DEPARTMENT,
            {"u": row.course_unit_id},
        )
    ).first()
    require(
        principal,
        "statement.read",
        ResourceScope(
            university_id=str(finishing.university_id) if finishing and finishing.university_id else None,
            faculty_id=str(finishing.faculty_id) if finishing and finishing.faculty_id else None,
            department_id=str(finishing.department_id) if finishing and finishing.department_id else None,
            group_id=str(row.group_id),
        ),
    )


def _view(row: Any) -> StatementView:
    c = parse_content(row.content)
    return StatementView(str(row.statement_id), row.content_hash, c.header, c.lines, c.signers, c.names)


async def get_statement(gb: Gradebook, principal: Principal | None, statement_id: str) -> StatementView:
    async with gb.unit_of_work() as uow:
        session = uow.session
        row = (
            await session.execute(
                select(t.statements).where(
                    t.statements.c.statement_id == parse_id(statement_id, "statement_id")
                )
            )
        ).first()
        if row is None:
            # Refused exactly like someone else's statement: the answer reveals no existence.
            if principal is None:
                raise Unauthenticated("a bearer token is required", field="authorization")
            raise PermissionDenied("permission denied: statement.read")
        await _statement_scope_check(gb, session, principal, row)
    return _view(row)


async def list_statements(gb: Gradebook, principal: Principal | None, journal_id: str) -> list[StatementView]:
    async with gb.unit_of_work() as uow:
        session = uow.session
        journal = await authorized_journal(
            session, principal, "statement.read", parse_id(journal_id, "journal_id"), gb.now().date()
        )
        rows = (
            await session.execute(
                select(t.statements)
                .where(t.statements.c.journal_id == journal.journal_id)
                .order_by(t.statements.c.formed_at, t.statements.c.number)
            )
        ).all()
    return [_view(r) for r in rows]
