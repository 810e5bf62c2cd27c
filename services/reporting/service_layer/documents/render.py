"""Use cases: print a document as PDF or XLSX, after checking the caller may read what it shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.identity.v1 import identity_service_pb2 as ids
from ejournal_platform.authz import refusal
from ejournal_platform.context import Principal
from ejournal_platform.errors import FailedPrecondition, InvalidArgument
from services.reporting.adapters import queries_documents as q
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.xlsx import render_xlsx
from services.reporting.domain.layout import Layout
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.documents.forms import (
    explanation_layout,
    lesson_plan_layout,
    login_request_layout,
)
from services.reporting.service_layer.documents.journal_printout import journal_printout_layout
from services.reporting.service_layer.documents.names import names_of
from services.reporting.service_layer.documents.statement import (
    Context,
    record_of,
    statement_layout,
    term_title,
    unit_title,
)
from services.reporting.service_layer.documents.words import statement_number

Format = Literal["pdf", "xlsx"]
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str
    number: str = ""
    content_hash: str = ""


def to_file(layout: Layout, fmt: Format, stem: str) -> Rendered:
    content = render_pdf(layout) if fmt == "pdf" else render_xlsx(layout)
    return Rendered(content, CONTENT_TYPES[fmt], f"{stem}.{fmt}", layout.number, layout.content_hash)


def verify_url(public_url: str, number: str, content_hash: str) -> str:
    """The public verification page of a statement: its number and (a prefix of) its hash, which is
    what the paper shows anyway (the number alone repeats across terms)."""
    return f"{public_url.rstrip('/')}/verify/{number}?hash={content_hash[:16]}" if public_url else ""


async def statement_layout_for(
    session: AsyncSession, principal: Principal, statement_id: str, public_url: str = ""
) -> Layout:
    if not statement_id:
        raise InvalidArgument("statement.statement_id", "is required")
    stored = await q.statement(session, statement_id)
    if stored is None:
        raise refusal("statement.read")  # a missing statement is refused like a foreign one
    journal = await q.journal(session, stored.row.journal_id)
    allow(
        principal,
        "statement.read",
        faculty_id=stored.row.faculty_id,
        department_id=stored.row.department_id,
        group_id=stored.row.group_id,
        assignees=journal.teacher_ids if journal is not None else (),
    )
    if stored.content is None:
        raise FailedPrecondition(
            "the statement's content has not been received from the gradebook yet; retry shortly"
        )
    content = stored.content
    record = record_of(content, await statement_context(session, content))
    return statement_layout(record, verify_url(public_url, record.number, record.content_hash))


async def statement_context(session: AsyncSession, content: gbs.Statement) -> Context:
    """Reporting's read models fill in what the record does not say (term, lesson type) and, for
    statements formed before names were sealed, the people's names."""
    journal = await q.journal(session, content.journal_id)
    unit = await q.course_unit(session, content.course_unit_id)
    term = await q.term(session, content.term_id)
    people = [] if content.HasField("names") else [ln.student_id for ln in content.lines]
    people += [s.person_id for s in content.signers]
    original = ""
    if content.original_statement_id:
        found = await q.statement(session, content.original_statement_id)
        original = statement_number(found.row.series, found.row.number) if found else ""
    profile = journal.profile_code if journal is not None else (unit.profile_code if unit is not None else "")
    return Context(
        profile_code=profile,
        lesson_type=journal.lesson_type if journal is not None else "",
        term=term_title(term),
        people=await q.names_of(session, people),
        original_number=original,
        discipline=unit_title(unit),
    )


async def statement_document(
    deps: Deps,
    principal: Principal,
    statement_id: str,
    fmt: Format,
    public_url: str = "",
) -> Rendered:
    async with deps.unit_of_work() as uow:
        session = uow.session
        layout = await statement_layout_for(session, principal, statement_id, public_url)
    return to_file(layout, fmt, f"statement-{layout.number}")


async def journal_printout(
    deps: Deps,
    principal: Principal,
    journal_id: str,
    fmt: Format,
) -> Rendered:
    if not journal_id:
        raise InvalidArgument("journal_printout.journal_id", "is required")
    async with deps.unit_of_work() as uow:
        session = uow.session
        grid = await q.journal_grid(session, journal_id)
        if grid is None:
            raise refusal("journal.read")  # a missing journal is refused like a foreign one
        j = grid.journal
        allow(
            principal,
            "journal.read",
            faculty_id=j.faculty_id,
            department_id=j.department_id,
            group_id=j.group_id,
            assignees=j.teacher_ids,
        )
        unit = await q.course_unit(session, j.course_unit_id)
        names = await names_of(session, [*grid.students, *j.teacher_ids], [j.group_id])
        term = await q.term(session, j.term_id)
    layout = journal_printout_layout(grid, names, unit_title(unit), term_title(term))
    return to_file(layout, fmt, f"journal-{journal_id[:8]}")


async def lesson_plan(
    deps: Deps,
    principal: Principal,
    course_unit_id: str,
    group_id: str,
    protocol: tuple[str, str],
    fmt: Format,
) -> Rendered:
    if not course_unit_id:
        raise InvalidArgument("lesson_plan.course_unit_id", "is required")
    if not group_id:
        raise InvalidArgument("lesson_plan.group_id", "is required")
    async with deps.unit_of_work() as uow:
        session = uow.session
        unit = await q.course_unit(session, course_unit_id)
        if unit is None:
            raise refusal("report.read")  # a missing course unit is refused like a foreign one
        lessons = await q.plan_lessons(session, course_unit_id, group_id)
        allow(
            principal,
            "report.read",
            faculty_id=unit.faculty_id,
            department_id=unit.department_id,
            group_id=group_id,
            assignees={row.teacher_id for row in lessons},
        )
        names = await names_of(session, [row.teacher_id for row in lessons], [group_id])
    layout = lesson_plan_layout(lessons, unit, group_id, names, *protocol)
    return to_file(layout, fmt, f"lesson-plan-{course_unit_id[:8]}-{group_id[:8]}")


async def login_request(
    deps: Deps,
    principal: Principal,
    form: ids.LoginRequestForm,
    fmt: Format,
) -> Rendered:
    if not form.last_name:
        raise InvalidArgument("login_request.last_name", "is required")
    allow(principal, "login_request.read", department_id=form.department_id, faculty_id=form.faculty_id)
    async with deps.unit_of_work() as uow:
        session = uow.session
        names = await names_of(session, [form.requested_by], [form.department_id])
    layout = login_request_layout(form, names)
    return to_file(layout, fmt, f"login-request-{form.login_request_id[:8] or 'new'}")


async def filling_error_explanation(
    deps: Deps,
    principal: Principal,
    given: Mapping[str, str],
    fmt: Format,
) -> Rendered:
    """From a reopen case (its journal, teacher and reason) and/or the fields given in the request."""
    fields = {k: v for k, v in given.items() if v}
    async with deps.unit_of_work() as uow:
        session = uow.session
        case = await q.reopen_case(session, fields.get("case_id", "")) if fields.get("case_id") else None
        journal_id = fields.get("journal_id") or (case.journal_id if case is not None else "")
        if not journal_id:
            raise InvalidArgument(
                "filling_error_explanation.journal_id", "is required without a known case_id"
            )
        journal = await q.journal(session, journal_id)
        if journal is None:
            raise refusal("journal.read")  # a missing journal is refused like a foreign one
        allow(
            principal,
            "journal.read",
            faculty_id=journal.faculty_id,
            department_id=journal.department_id,
            group_id=journal.group_id,
            assignees=journal.teacher_ids,
        )
        unit = await q.course_unit(session, journal.course_unit_id)
        teacher_id = (
            case.teacher_id if case is not None else (journal.teacher_ids[0] if journal.teacher_ids else "")
        )
        units = [journal.group_id, unit.specialty_id if unit is not None else ""]
        names = await names_of(session, [teacher_id], units)
    values = {
        "case": fields.get("case_id", ""),
        "journal": journal.title or journal_id,
        "discipline": unit.title if unit is not None else journal.title,
        "lesson_types": journal.lesson_type,
        "course": str(unit.course_number) if unit is not None and unit.course_number else "",
        "group": names(journal.group_id),
        "specialty": fields.get("specialty") or (names(unit.specialty_id) if unit is not None else ""),
        "wrong_date": fields.get("wrong_date", ""),
        "reason": fields.get("reason") or (case.reason if case is not None else ""),
    }
    layout = explanation_layout(
        values, names(teacher_id), "", journal.profile_code, fields.get("addressed_to", "")
    )
    return to_file(layout, fmt, f"explanation-{journal_id[:8]}")
