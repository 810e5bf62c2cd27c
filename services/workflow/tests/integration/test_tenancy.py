"""Every workflow row that belongs to a university carries it (issue 18, migration 0009): a case's history,
counted reopen and measures take the case's, a journal's sections, late admissions, fill flags and
weekly checks take the journal's, and rows stored before their university was known learn it with
their faculty's journals (section_store.learn_university)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.db import make_engine
from ejournal_platform.testing.fixtures import Databases
from services.workflow.adapters.section_store import learn_university

pytestmark = pytest.mark.integration

PLACED = (
    "reopen_case_history",
    "counted_reopens",
    "journal_sections",
    "late_admissions",
    "fill_flags",
    "journal_checks",
    "corrective_measures",
)


def store_rows(conn: psycopg.Connection, university: str) -> tuple[str, str]:
    """A journal of a faculty, a case on it, and one row of each placed table; none names a university
    but the journal and the case (with `university`, "" for not known). Returns (faculty, journal)."""
    faculty, journal, case, dept = (str(uuid.uuid4()) for _ in range(4))
    ids = {"case": case, "journal": journal, "faculty": faculty, "dept": dept, "university": university}
    conn.execute(
        "INSERT INTO journals (journal_id, term_id, course_unit_id, group_id, department_id, faculty_id,"
        " profile_code, teacher_ids, university_id)"
        " VALUES (%(journal)s, 't', 'u', 'g', %(dept)s, %(faculty)s, 'kz-medical', '{}', %(university)s)",
        ids,
    )
    conn.execute(
        "INSERT INTO reopen_cases (case_id, workflow_id, journal_id, section, teacher_id, department_id,"
        " faculty_id, term_id, profile_code, university_id, step, reason, closed_at, received_at, view,"
        " submitted_by, request_id)"
        " VALUES (%(case)s, %(case)s, %(journal)s, 's', 'tch', %(dept)s, %(faculty)s, 't', 'kz-medical',"
        " %(university)s, 'done', 'r', now(), now(), '{}', 'tch', %(case)s)",
        ids,
    )
    for statement in (
        "INSERT INTO reopen_case_history (case_id, seq, at, actor_id, action, detail)"
        " VALUES (%(case)s, 1, now(), 'tch', 'submitted', '')",
        "INSERT INTO counted_reopens (case_id, teacher_id, department_id, faculty_id, term_id, reason,"
        " correction_late, completed_at, teacher_count, department_count)"
        " VALUES (%(case)s, 'tch', %(dept)s, %(faculty)s, 't', 'r', false, now(), 1, 1)",
        "INSERT INTO journal_sections (journal_id, section, faculty_id)"
        " VALUES (%(journal)s, 's', %(faculty)s)",
        "INSERT INTO late_admissions (journal_id, section, teacher_id, admitted_by, admitted_at, reason)"
        " VALUES (%(journal)s, 's', 'tch', 'head', now(), 'ill')",
        "INSERT INTO fill_flags (journal_id, lesson_date, teacher_ids, department_id, faculty_id,"
        " course_unit_id, flagged_at)"
        " VALUES (%(journal)s, '2026-10-01', '{}', %(dept)s, %(faculty)s, 'u', now())",
        "INSERT INTO journal_checks (week_start, journal_id, teacher_ids, department_id, faculty_id, lessons,"
        " lessons_filled, filled_percent, attendance_percent, findings, checked_at)"
        " VALUES ('2026-10-05', %(journal)s, '{}', %(dept)s, %(faculty)s, 2, 1, 50, 90, '{}', now())",
        "INSERT INTO corrective_measures (measure_id, kind, description, scope_type, scope_id, term_id,"
        " case_id, recorded_by, recorded_at)"
        " VALUES (%(case)s, 'training', 'x', 'department', %(dept)s, 't', %(case)s, 'dean', now())",
    ):
        conn.execute(statement, ids)
    return faculty, journal


def universities(conn: psycopg.Connection, journal: str) -> dict[str, set[str]]:
    cases = "(SELECT case_id FROM reopen_cases WHERE journal_id = %(j)s)"
    found = {}
    for table in PLACED:
        key = (
            "case_id"
            if table in ("reopen_case_history", "counted_reopens", "corrective_measures")
            else "journal_id"
        )
        where = f"{key} IN {cases}" if key == "case_id" else f"{key} = %(j)s"
        rows = conn.execute(f"SELECT university_id FROM {table} WHERE {where}", {"j": journal}).fetchall()
        found[table] = {r[0] for r in rows}
    return found


async def test_rows_take_their_case_or_journals_university_and_learn_it_later(databases: Databases) -> None:
    url = databases.fresh("workflow")
    known, later = str(uuid.uuid4()), str(uuid.uuid4())
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        _, placed = store_rows(conn, known)
        faculty, waiting = store_rows(conn, "")
        assert universities(conn, placed) == {table: {known} for table in PLACED}
        assert universities(conn, waiting) == {table: {""} for table in PLACED}
        engine = make_engine(url)
        try:
            async with AsyncSession(engine) as session:
                await learn_university(session, faculty, later)
                await session.commit()
        finally:
            await engine.dispose()
        assert universities(conn, waiting) == {table: {later} for table in PLACED}
        assert universities(conn, placed) == {table: {known} for table in PLACED}
