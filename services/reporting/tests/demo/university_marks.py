"""The gradebook part of the demo semester: a course unit's journals, lessons, marks, attendance,
closing, statements, and one reopen with its individual statement."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal_regulation import get_profile
from services.reporting.tests.demo.semester import final_result
from services.reporting.tests.demo.university import DemoUniversity, absent_text, at_day, statement_hash, uid

TITLES = ("Ішкі аурулар", "Қалыпты физиология", "Биохимия", "Гистология", "Фармакология", "Анатомия")


def ability(student_id: str) -> float:
    return random.Random(student_id).gauss(0, 1)


def mark_for(rng: random.Random, profile_code: str, skill: float, center: float = 72) -> str:
    if get_profile(profile_code).scale.kind == "points":
        return str(max(0, min(100, round(center + 14 * skill + rng.gauss(0, 9)))))
    return str(max(2, min(5, round(3.7 + 0.8 * skill + rng.gauss(0, 0.6)))))


def add_gradebook(
    demo: DemoUniversity,
    rng: random.Random,
    faculty: str,
    department: str,
    u: int,
    teacher: str,
    groups: list[str],
    at: datetime,
) -> None:
    shape = demo.shape
    code = shape.profile_code
    unit = uid("unit", department, u)
    demo.titles[unit] = f"D{u + 1:02d} {TITLES[u % len(TITLES)]}"
    demo.add(
        "curriculum",
        cur.CourseUnitDefined(
            course_unit_id=unit,
            kind=cur.COURSE_UNIT_KIND_DISCIPLINE,
            profile_code=code,
            title=TITLES[u % len(TITLES)],
            term_id=demo.term_id,
            department_id=department,
            faculty_id=faculty,
            code=f"D{u + 1:02d}",
            course_number=3,
            revision=1,
            has_own_exam=True,
        ),
        f"course_unit/{unit}",
        at,
    )
    for group in groups:
        load = uid("load", unit, group)
        demo.add(
            "curriculum",
            cur.TeachingLoadAssigned(
                load_id=load,
                teacher_id=teacher,
                course_unit_id=unit,
                group_id=group,
                lesson_type=cur.LESSON_TYPE_PRACTICAL,
                term_id=demo.term_id,
                department_id=department,
                faculty_id=faculty,
                hours=2 * shape.lessons_per_unit,
                profile_code=code,
                revision=1,
            ),
            f"teaching_load/{load}",
            at,
        )
        journal = uid("journal", unit, group)
        demo.journal_ids.append(journal)
        demo.add(
            "gradebook",
            gb.JournalOpened(
                journal_id=journal,
                term_id=demo.term_id,
                course_unit_id=unit,
                group_id=group,
                lesson_type="practical",
                teacher_ids=[teacher],
                department_id=department,
                faculty_id=faculty,
                profile_code=code,
                title=f"{TITLES[u % len(TITLES)]} — практика",
            ),
            f"journal/{journal}",
            at,
        )
        students = [uid("student", group, s) for s in range(shape.students_per_group)]
        _lessons(demo, rng, unit, group, load, teacher, journal, students, at)
        _exam(demo, rng, unit, group, teacher, journal, students, department, faculty)


def _lessons(
    demo: DemoUniversity,
    rng: random.Random,
    unit: str,
    group: str,
    load: str,
    teacher: str,
    journal: str,
    students: list[str],
    at: datetime,
) -> None:
    shape = demo.shape
    for i in range(shape.lessons_per_unit):
        lesson = uid("lesson", unit, group, i)
        day = shape.term_start + timedelta(days=(i // 2) * 7 + (i % 2) * 2)
        demo.add(
            "curriculum",
            cur.LessonScheduled(
                lesson_id=lesson,
                course_unit_id=unit,
                group_id=group,
                lesson_type=cur.LESSON_TYPE_PRACTICAL,
                date=day.isoformat(),
                starts_at="09:00",
                ends_at="10:30",
                classroom_id=uid("room", i % 5),
                topic=f"Тақырып {i + 1}: Қан айналымы және өңеш",
                number=i + 1,
                teacher_id=teacher,
                term_id=demo.term_id,
                load_id=load,
                revision=1,
            ),
            f"lesson/{lesson}",
            at,
        )
        roll = rng.random()
        if roll < 0.06:
            continue  # never filled: the weekly report must show it
        late = roll < 0.16  # filled, but days after the lesson (not on the lesson day, KG-04)
        written = at_day(day + timedelta(days=3 if late else 0), 15)
        for student in students:
            skill = ability(student)
            absent = rng.random() < 1 / (1 + 2.718 ** (2.6 + 1.2 * skill))
            value = absent_text(shape.profile_code) if absent else mark_for(rng, shape.profile_code, skill)
            demo.marks.setdefault((journal, student), []).append(value)
            demo.add(
                "gradebook",
                gb.MarkRecorded(
                    journal_id=journal,
                    lesson_id=lesson,
                    student_id=student,
                    value=value,
                    author_id=teacher,
                    version=1,
                    recorded_at=written.isoformat(),
                    column_kind="lesson",
                ),
                f"journal/{journal}",
                written,
            )
            demo.add(
                "gradebook",
                gb.AttendanceRecorded(
                    journal_id=journal,
                    lesson_id=lesson,
                    student_id=student,
                    status="absent" if absent else "present",
                    source="teacher",
                    author_id=teacher,
                    recorded_at=written.isoformat(),
                    version=1,
                    group_id=group,
                ),
                f"journal/{journal}",
                written,
            )


def _exam(
    demo: DemoUniversity,
    rng: random.Random,
    unit: str,
    group: str,
    teacher: str,
    journal: str,
    students: list[str],
    department: str,
    faculty: str,
) -> None:
    shape = demo.shape
    code = shape.profile_code
    section = uid("exam", unit, group)
    exam_day = shape.term_start + timedelta(days=7 * (shape.lessons_per_unit // 2 + 1))
    closed = at_day(exam_day + timedelta(days=3), 18)
    demo.add(
        "gradebook",
        gb.SectionScheduled(
            journal_id=journal,
            section=section,
            control_kind="intermediate_attestation",
            date=exam_day.isoformat(),
            closing_deadline=closed.isoformat(),
            teacher_ids=[teacher],
            department_id=department,
            faculty_id=faculty,
            group_id=group,
            course_unit_id=unit,
            profile_code=code,
        ),
        f"journal/{journal}",
        at_day(exam_day, 8),
    )
    lines = []
    for student in students:
        marks = demo.marks.get((journal, student), [])
        exam = mark_for(rng, code, ability(student), 68)
        demo.add(
            "gradebook",
            gb.MarkRecorded(
                journal_id=journal,
                lesson_id=section,
                student_id=student,
                value=exam,
                author_id=teacher,
                version=1,
                section=section,
                recorded_at=at_day(exam_day, 14).isoformat(),
                column_kind="control",
            ),
            f"journal/{journal}",
            at_day(exam_day, 14),
        )
        midterm = marks[len(marks) // 2] if marks else exam
        final, failed = final_result(code, marks, midterm, exam)
        lines.append(
            gbs.StatementLine(
                student_id=student,
                value=str(final),
                points=str(final),
                passed=not failed,
                components={"exam": exam},
            )
        )
    statement_id = uid("statement", journal, section)
    number = len(demo.statements) + 1
    statement = gbs.Statement(
        statement_id=statement_id,
        series="ST",
        number=number,
        term_id=demo.term_id,
        kind="section",
        journal_id=journal,
        section=section,
        course_unit_id=unit,
        group_id=group,
        formed_at=closed.isoformat(),
        formed_by="service:gradebook",
        lines=lines,
        control_kind="intermediate_attestation",
        signers=[gbs.Signer(person_id=teacher, role="teacher", signed_at=closed.isoformat())],
        names=demo.sealed_names(unit, group, department, faculty, [*students, teacher]),
    )
    statement.content_hash = statement_hash(statement)
    demo.statements[statement_id] = statement
    demo.add(
        "gradebook",
        gb.SectionClosed(
            journal_id=journal,
            section=section,
            control_event_id=section,
            closed_at=closed.isoformat(),
            teacher_ids=[teacher],
            department_id=department,
            faculty_id=faculty,
            group_id=group,
            course_unit_id=unit,
            statement_id=statement_id,
            control_kind="intermediate_attestation",
            closed_by="service:gradebook",
            statement_number=number,
            term_id=demo.term_id,
        ),
        f"journal/{journal}",
        closed,
    )
    demo.add(
        "gradebook",
        gb.StatementFormed(
            statement_id=statement_id,
            series="ST",
            number=number,
            term_id=demo.term_id,
            kind="section",
            journal_id=journal,
            section=section,
            course_unit_id=unit,
            group_id=group,
            content_hash=statement.content_hash,
            formed_at=closed.isoformat(),
            formed_by="service:gradebook",
            student_ids=students,
            department_id=department,
            faculty_id=faculty,
        ),
        f"statement/{statement_id}",
        closed,
    )
