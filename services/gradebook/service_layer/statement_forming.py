"""Forming statements inside the caller's transaction: gapless numbers from a locked counter row per
series and term (a rolled-back transaction gives its number back, unlike a sequence), canonical
content with its sha256, and the StatementFormed event."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal.gradebook.v1 import events_pb2 as ev
from ejournal_platform.events import Event
from ejournal_regulation import get_profile
from services.gradebook.adapters.journal_rows import SectionInfo, columns_of, marks_by_student
from services.gradebook.adapters.statements_repo import add_statement, next_number
from services.gradebook.domain.statements import (
    Header,
    Line,
    Signer,
    canonical_content,
    content_hash,
    section_line,
)
from services.gradebook.domain.totals import journal_totals
from services.gradebook.domain.vocabulary import CONTROL
from services.gradebook.service_layer.journals import JournalView
from services.gradebook.service_layer.names import structure, structure_names


@dataclass(frozen=True)
class Formed:
    statement_id: uuid.UUID
    series: str
    number: int
    content_hash: str
    event: Event


async def store_statement(
    session: AsyncSession,
    *,
    kind: str,
    series: str,
    term_id: str,
    journal_id: str,
    section: str,
    course_unit_id: str,
    group_id: str,
    control_kind: str,
    formed_at: datetime,
    formed_by: str,
    lines: Sequence[Line],
    signers: Sequence[Signer],
    department_id: str = "",
    faculty_id: str = "",
    original_statement_id: str = "",
    case_id: str = "",
    idempotency_key: str | None = None,
) -> Formed:
    number = await next_number(session, series, term_id)
    header = Header(
        kind,
        series,
        number,
        term_id,
        journal_id,
        section,
        course_unit_id,
        group_id,
        control_kind,
        formed_at.isoformat(),
        formed_by,
        original_statement_id,
        case_id,
    )
    names, university_id = await structure(
        session,
        group_id=group_id,
        department_id=department_id,
        faculty_id=faculty_id,
        course_unit_id=course_unit_id,
        people=[*(line.student_id for line in lines), *(s.person_id for s in signers), formed_by],
    )
    content = canonical_content(header, lines, signers, names)
    digest = content_hash(content)
    statement_id = uuid.uuid4()
    await add_statement(
        session,
        statement_id=statement_id,
        series=series,
        term_id=term_id,
        number=number,
        kind=kind,
        journal_id=uuid.UUID(journal_id) if journal_id else None,
        section_id=uuid.UUID(section) if section else None,
        course_unit_id=uuid.UUID(course_unit_id) if course_unit_id else None,
        group_id=uuid.UUID(group_id) if group_id else None,
        control_kind=control_kind,
        formed_at=formed_at,
        formed_by=formed_by,
        content=content,
        content_hash=digest,
        original_statement_id=uuid.UUID(original_statement_id) if original_statement_id else None,
        case_id=case_id or None,
        idempotency_key=idempotency_key,
    )
    event = Event(
        ev.StatementFormed(
            statement_id=str(statement_id),
            series=series,
            number=number,
            term_id=term_id,
            kind=kind,
            journal_id=journal_id,
            section=section,
            course_unit_id=course_unit_id,
            group_id=group_id,
            content_hash=digest,
            formed_at=formed_at.isoformat(),
            formed_by=formed_by,
            original_statement_id=original_statement_id,
            case_id=case_id,
            student_ids=sorted(line.student_id for line in lines),
            department_id=department_id,
            faculty_id=faculty_id,
            lines=[event_line(line) for line in sorted(lines, key=lambda x: x.student_id)],
            signers=[
                ev.StatementFormedSigner(person_id=s.person_id, role=s.role, signed_at=s.signed_at)
                for s in signers
            ],
            names=structure_names(names),
            people=dict(names.people),
            university_id=university_id,
            control_kind=control_kind,
            time_zone=names.time_zone,
            profile_code=names.profile_code,
        ),
        subject=f"statement/{statement_id}",
    )
    return Formed(statement_id, series, number, digest, event)


def event_line(line: Line) -> ev.StatementFormedLine:
    return ev.StatementFormedLine(
        student_id=line.student_id,
        value=line.value,
        points=line.points,
        letter=line.letter,
        gpa=line.gpa,
        traditional=line.traditional,
        passed=line.passed,
        components=dict(line.components),
    )


async def section_lines(
    session: AsyncSession, journal: JournalView, section: SectionInfo, students: Iterable[uuid.UUID]
) -> list[Line]:
    """Every given student's result in the section, computed from the record as it is now."""
    profile = get_profile(journal.profile_code)
    columns = await columns_of(session, journal.journal_id)
    marks = await marks_by_student(session, journal.journal_id, columns)
    lines = []
    for student in sorted(students, key=str):
        pairs = marks.get(student, [])
        totals = journal_totals(profile, [m for _, m in pairs])
        in_section = [
            m
            for c, m in pairs
            if c.section_id == section.section_id and (c.kind != CONTROL or c.control_kind == "current")
        ]
        control_value = next((m.value for c, m in pairs if c.column_id == section.section_id), "")
        lines.append(
            section_line(profile, str(student), section.control_kind, in_section, control_value, totals)
        )
    return lines


def journal_signers(journal: JournalView, closer: str, at: datetime) -> list[Signer]:
    signed = at.isoformat()
    signers = [Signer(teacher, "teacher", signed) for teacher in journal.teacher_ids]
    if closer not in journal.teacher_ids:
        signers.append(Signer(closer, "closed_by", signed))
    return signers
