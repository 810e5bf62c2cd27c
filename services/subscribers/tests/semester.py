"""A scripted semester's events, as curriculum, gradebook and workflow publish them, for two
universities: structure, journals, lessons, marks and attendance, closing with its statement, a
reopen case. Deterministic in shape, fresh ids each time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from google.protobuf.message import Message

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.workflow.v1 import events_pb2 as wf


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class University:
    university_id: str = field(default_factory=new_id)
    faculty_id: str = field(default_factory=new_id)
    department_id: str = field(default_factory=new_id)
    specialty_id: str = field(default_factory=new_id)
    group_id: str = field(default_factory=new_id)
    journals: list[str] = field(default_factory=lambda: [new_id(), new_id()])
    students: list[str] = field(default_factory=lambda: [new_id() for _ in range(3)])


def structure(u: University) -> list[tuple[str, Message]]:
    at = "2026-09-01T00:00:00+00:00"
    return [
        (
            f"university/{u.university_id}",
            cur.StructureUnitDefined(
                unit_id=u.university_id, kind="university", code="U", title="U", defined_at=at
            ),
        ),
        (
            f"faculty/{u.faculty_id}",
            cur.StructureUnitDefined(
                unit_id=u.faculty_id, kind="faculty", code="F", parent_id=u.university_id, defined_at=at
            ),
        ),
        (
            f"department/{u.department_id}",
            cur.StructureUnitDefined(
                unit_id=u.department_id, kind="department", code="D", parent_id=u.faculty_id, defined_at=at
            ),
        ),
        (
            f"specialty/{u.specialty_id}",
            cur.StructureUnitDefined(
                unit_id=u.specialty_id, kind="specialty", code="S", parent_id=u.faculty_id, defined_at=at
            ),
        ),
        (
            f"group/{u.group_id}",
            cur.StructureUnitDefined(
                unit_id=u.group_id, kind="group", code="G-1", parent_id=u.specialty_id, defined_at=at
            ),
        ),
    ]


def journal_life(u: University, journal_id: str, lessons: int) -> list[tuple[str, Message]]:
    """One journal's semester, in the order gradebook and workflow publish it."""
    subject = f"journal/{journal_id}"
    section, statement = new_id(), new_id()
    events: list[tuple[str, Message]] = [
        (
            subject,
            gb.JournalOpened(
                journal_id=journal_id,
                group_id=u.group_id,
                department_id=u.department_id,
                faculty_id=u.faculty_id,
                teacher_ids=[new_id()],
                profile_code="kz-medical",
            ),
        ),
        (
            subject,
            gb.SectionScheduled(
                journal_id=journal_id, section=section, control_kind="current", group_id=u.group_id
            ),
        ),
    ]
    version = 0
    for lesson in range(lessons):
        lesson_id = new_id()
        events.append((f"group/{u.group_id}", cur.LessonScheduled(lesson_id=lesson_id, group_id=u.group_id)))
        for student in u.students:
            version += 1
            value = str(60 + (lesson * 7 + version) % 40)
            events.append(
                (
                    subject,
                    gb.MarkRecorded(
                        journal_id=journal_id,
                        lesson_id=lesson_id,
                        student_id=student,
                        value=value,
                        version=version,
                        section=section,
                    ),
                )
            )
            events.append(
                (
                    subject,
                    gb.AttendanceRecorded(
                        journal_id=journal_id,
                        lesson_id=lesson_id,
                        student_id=student,
                        status="present",
                        version=version,
                    ),
                )
            )
    events += [
        (
            subject,
            gb.SectionClosed(
                journal_id=journal_id,
                section=section,
                control_kind="current",
                statement_id=statement,
                group_id=u.group_id,
            ),
        ),
        (
            f"statement/{statement}",
            gb.StatementFormed(
                statement_id=statement,
                journal_id=journal_id,
                section=section,
                number=1,
                kind="section",
                group_id=u.group_id,
                student_ids=sorted(u.students),
            ),
        ),
    ]
    case = new_id()
    for seq, action in enumerate(("submitted", "visa_department_head", "completed"), start=1):
        events.append(
            (
                f"reopen_case/{case}",
                wf.ReopenCaseStepRecorded(
                    case_id=case,
                    journal_id=journal_id,
                    section=section,
                    department_id=u.department_id,
                    faculty_id=u.faculty_id,
                    seq=seq,
                    action=action,
                    reason="a wrong date",
                ),
            )
        )
    return events


def semester(u: University, lessons: int = 4) -> list[tuple[str, Message]]:
    """Structure first in the script; the consumers still see it in any order across streams."""
    events = structure(u)
    for journal_id in u.journals:
        events += journal_life(u, journal_id, lessons)
    return events
