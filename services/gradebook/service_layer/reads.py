"""Read use cases: journals, the grid, history and its verification, statements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from ejournal_platform.authz import Role, allowed
from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.context import Principal
from ejournal_platform.errors import PermissionDenied, Unauthenticated
from ejournal_platform.pagination import Page, page_request
from services.gradebook.adapters import journals_sql, reads_repo
from services.gradebook.adapters.grid_sql import GridRows, read_grid
from services.gradebook.adapters.journal_rows import SectionInfo, sections_of_journals
from services.gradebook.adapters.reads_repo import StatementRecord
from services.gradebook.domain.history_chain import Change, Verdict, verify
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
    cases = await reads_repo.open_cases_of_journals(session, ids, gb.now())
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
        course = await reads_repo.course_number(session, journal.course_unit_id)
        return header, known, course


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
    async with gb.unit_of_work() as uow:
        session = uow.session
        found = await reads_repo.my_journal_ids(
            session, me=me, today=now.date(), term=term, after=after, fetch=page.fetch
        )
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
        conn = await driver_connection(session)
        # The journal's row comes with the grid (one round trip); nothing read leaves unless allowed.
        row, rows = await read_grid(conn, parse_id(journal_id, "journal_id"), now)
        subject = principal.subject if principal is not None else None
        found = None if row is None else await journals_sql.complete(conn, row, now.date(), subject)
        journal = authorize(principal, "journal.read", found)
        assert principal is not None
        await session.rollback()
    only = visible_students(principal)
    if only is not None:
        rows.only_of(only)
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
    return await reads_repo.person_names(session, wanted)


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
        stored = await reads_repo.history_of(
            session,
            journal.journal_id,
            journal.term_id,
            column_id=parse_id(column_id, "column_id") if column_id else None,
            student_id=parse_id(student_id, "student_id") if student_id else None,
        )
        only = visible_students(principal)
        changes = [(s.change, s.hash) for s in stored if only is None or s.change.student_id in only]
        names = await people_names(
            session, {str(c.author_id) for c, _ in changes} | {str(c.on_behalf_of_id) for c, _ in changes}
        )
    return [
        HistoryRow(c, hash_, names.get(str(c.author_id), ""), names.get(str(c.on_behalf_of_id), ""))
        for c, hash_ in changes
    ]


async def verify_journal(gb: Gradebook, principal: Principal | None, journal_id: str) -> StateVerdict:
    """Recompute the journal's hash chain from the stored rows (the first broken link is reported),
    then every cell's value from the history (the first cell that differs is reported)."""
    now = gb.now()
    async with gb.unit_of_work() as uow:
        session = uow.session
        journal = await authorized_journal(
            session, principal, "journal.read", parse_id(journal_id, "journal_id"), now.date()
        )
        stored = await reads_repo.history_of(session, journal.journal_id, journal.term_id)
        head = await reads_repo.chain_head(session, journal.journal_id)
        cells = await reads_repo.current_cells(session, journal.journal_id)
    chain = verify(stored, (head.position, head.hash) if head else None)
    mismatch = first_state_mismatch(
        ((s.change.kind, s.change.column_id, s.change.student_id, s.change.new_value) for s in stored),
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


async def _statement_scope_check(
    gb: Gradebook, session: Any, principal: Principal | None, row: StatementRecord
) -> None:
    from ejournal_platform.authz import ResourceScope, require

    if row.journal_id is not None:
        journal = await load_journal(session, row.journal_id, gb.now().date())
        require(principal, "statement.read", journal.scope())
        return
    # An integrated statement belongs to the department that finished the teaching (KZ-04).
    finishing = await reads_repo.finishing_department(session, row.course_unit_id)
    require(
        principal,
        "statement.read",
        ResourceScope(
            university_id=str(finishing.university_id) if finishing.university_id else None,
            faculty_id=str(finishing.faculty_id) if finishing.faculty_id else None,
            department_id=str(finishing.department_id) if finishing.department_id else None,
            group_id=str(row.group_id),
        ),
    )


def _view(row: StatementRecord) -> StatementView:
    c = parse_content(row.content)
    return StatementView(str(row.statement_id), row.content_hash, c.header, c.lines, c.signers, c.names)


async def get_statement(gb: Gradebook, principal: Principal | None, statement_id: str) -> StatementView:
    async with gb.unit_of_work() as uow:
        session = uow.session
        row = await reads_repo.statement(session, parse_id(statement_id, "statement_id"))
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
        rows = await reads_repo.statements_of_journal(session, journal.journal_id)
    return [_view(r) for r in rows]
