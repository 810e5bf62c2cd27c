"""KG-11 / KG-08 / KZ-10: weekly journal filling and attendance, and the curators' attendance list with
parents' contacts, checked against an independent count of the events that were published."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import grpc
import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.identity.v1 import events_pb2 as idn
from ejournal.reporting.v1 import reporting_service_pb2 as pb
from services.reporting.tests.demo.university import DemoUniversity
from services.reporting.tests.integration.conftest import KG_UNIVERSITY, KZ_UNIVERSITY, Loaded

pytestmark = pytest.mark.integration

VICE_RECTOR = ("vice_rector", "university", KZ_UNIVERSITY)
KG_VICE_RECTOR = ("vice_rector", "university", KG_UNIVERSITY)
FROM, TO = "2026-09-01", "2026-09-30"


def expected_filling(demo: DemoUniversity) -> dict[str, tuple[int, int, int]]:
    """teacher -> (lessons held, lessons filled, filled on the lesson day), from the raw events."""
    lessons = {
        e.payload.lesson_id: e.payload for e in demo.events if isinstance(e.payload, cur.LessonScheduled)
    }
    first_entry: dict[str, str] = {}
    for e in demo.events:
        if isinstance(e.payload, gb.MarkRecorded) and e.payload.lesson_id in lessons:
            day = e.payload.recorded_at[:10]
            first_entry[e.payload.lesson_id] = min(first_entry.get(e.payload.lesson_id, day), day)
    result: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for lesson_id, lesson in lessons.items():
        row = result[lesson.teacher_id]
        row[0] += 1
        if lesson_id in first_entry:
            row[1] += 1
            row[2] += first_entry[lesson_id] <= lesson.date
    return {k: (v[0], v[1], v[2]) for k, v in result.items()}


@pytest.mark.rule("KG-11", "KG-08", "KZ-10")
async def test_filling_per_teacher_is_what_the_journals_hold(loaded: Loaded) -> None:
    """Each university's vice-rector sees their own university's teachers, none of the other's (issue 18:
    the two demo universities share one reporting database)."""
    s = loaded.served
    request = pb.GetFillingReportRequest(group_by=pb.GROUP_BY_TEACHER, from_date=FROM, to_date=TO)
    other = await s.stub.GetFillingReport(request, metadata=s.as_("kg-vr", KG_VICE_RECTOR))
    assert {row.key for row in other.rows} == set(expected_filling(loaded.kg))
    reply = await s.stub.GetFillingReport(request, metadata=s.as_("vr", VICE_RECTOR))
    got = {row.key: (row.lessons_held, row.lessons_filled, row.lessons_on_time) for row in reply.rows}
    expected = expected_filling(loaded.kz)
    assert got == expected and not set(got) & {row.key for row in other.rows}
    # The demo leaves some lessons unfilled and fills some late, so the figures are not trivial.
    assert any(held > filled for held, filled, _ in got.values())
    assert any(filled > on_time for _, filled, on_time in got.values())
    assert reply.total.lessons_held == sum(v[0] for v in expected.values())
    unfilled = {lesson for row in reply.rows for lesson in row.unfilled_lesson_ids}
    assert len(unfilled) == sum(held - filled for held, filled, _ in expected.values())
    assert all(row.name for row in reply.rows), "teachers are named, not only identified"


@pytest.mark.rule("KG-11", "KG-08")
async def test_weekly_rows_add_up_to_the_period(loaded: Loaded) -> None:
    s = loaded.served
    reply = await s.stub.GetFillingReport(
        pb.GetFillingReportRequest(group_by=pb.GROUP_BY_DEPARTMENT, weekly=True, from_date=FROM, to_date=TO),
        metadata=s.as_("vr", VICE_RECTOR),
    )
    weeks = {row.week_start for row in reply.rows}
    assert weeks == {"2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28"} - {"2026-09-28"}
    assert all(date.fromisoformat(w).weekday() == 0 for w in weeks)
    assert sum(row.lessons_held for row in reply.rows) == reply.total.lessons_held
    assert sum(row.lessons_filled for row in reply.rows) == reply.total.lessons_filled


@pytest.mark.rule("KZ-10")
async def test_a_department_head_sees_their_department_only(loaded: Loaded) -> None:
    s = loaded.served
    journal = next(e.payload for e in loaded.kz.events if isinstance(e.payload, gb.JournalOpened))
    head = ("department_head", "department", journal.department_id)
    mine = await s.stub.GetFillingReport(
        pb.GetFillingReportRequest(
            scope=pb.Scope(department_id=journal.department_id), from_date=FROM, to_date=TO
        ),
        metadata=s.as_("head", head),
    )
    teachers = {
        e.payload.teacher_ids[0]
        for e in loaded.kz.events
        if isinstance(e.payload, gb.JournalOpened) and e.payload.department_id == journal.department_id
    }
    assert {row.key for row in mine.rows} == teachers
    other = next(
        e.payload.department_id
        for e in loaded.kz.events
        if isinstance(e.payload, gb.JournalOpened) and e.payload.department_id != journal.department_id
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await s.stub.GetFillingReport(
            pb.GetFillingReportRequest(scope=pb.Scope(department_id=other), from_date=FROM, to_date=TO),
            metadata=s.as_("head", head),
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as everything:
        await s.stub.GetFillingReport(
            pb.GetFillingReportRequest(from_date=FROM, to_date=TO), metadata=s.as_("head", head)
        )
    assert everything.value.code() == grpc.StatusCode.PERMISSION_DENIED


def absences(demo: DemoUniversity) -> Counter[str]:
    groups = {
        e.payload.journal_id: e.payload.group_id
        for e in demo.events
        if isinstance(e.payload, gb.JournalOpened)
    }
    lessons = {e.payload.lesson_id for e in demo.events if isinstance(e.payload, cur.LessonScheduled)}
    return Counter(
        groups[e.payload.journal_id]
        for e in demo.events
        if isinstance(e.payload, gb.AttendanceRecorded)
        and e.payload.status == "absent"
        and e.payload.lesson_id in lessons
    )


@pytest.mark.rule("KG-11")
async def test_attendance_per_group_counts_every_absence(loaded: Loaded) -> None:
    s = loaded.served
    reply = await s.stub.GetAttendanceReport(
        pb.GetAttendanceReportRequest(group_by=pb.GROUP_BY_GROUP, from_date=FROM, to_date=TO),
        metadata=s.as_("vr", VICE_RECTOR),
    )
    assert {row.key: row.absent for row in reply.rows if row.absent} == dict(absences(loaded.kz))
    for row in reply.rows:
        assert row.present + row.absent == row.records
        assert float(row.attendance_percent) == pytest.approx(100 * row.present / row.records, abs=0.05)


@pytest.mark.rule("KG-11")
async def test_the_curator_gets_the_group_with_parents_to_contact(loaded: Loaded) -> None:
    s = loaded.served
    grant = next(
        e.payload
        for e in loaded.kz.events
        if isinstance(e.payload, idn.RoleGranted) and e.payload.role == "curator"
    )
    group = grant.scope_id
    reply = await s.stub.GetCuratorAttendanceList(
        pb.GetCuratorAttendanceListRequest(group_id=group, from_date=FROM, to_date=TO),
        metadata=s.as_(grant.person_id, ("curator", "group", group)),
    )
    students = {
        e.payload.student_id
        for e in loaded.kz.events
        if isinstance(e.payload, cur.StudentEnrolled) and e.payload.group_id == group
    }
    assert {row.student_id for row in reply.rows} == students
    parents = {
        e.payload.scope_id: e.payload.person_id
        for e in loaded.kz.events
        if isinstance(e.payload, idn.RoleGranted) and e.payload.role == "parent"
    }
    for row in reply.rows:
        assert [p.person_id for p in row.parents] == [parents[row.student_id]]
        assert row.parents[0].full_name.endswith("Гүлнәр") and row.parents[0].login.startswith("p-")
    rates = [float(row.attendance_percent) for row in reply.rows]
    assert rates == sorted(rates), "the students to call come first"
    assert sum(row.absent for row in reply.rows) == absences(loaded.kz)[group]
    low = await s.stub.GetCuratorAttendanceList(
        pb.GetCuratorAttendanceListRequest(group_id=group, below_percent="90", from_date=FROM, to_date=TO),
        metadata=s.as_(grant.person_id, ("curator", "group", group)),
    )
    assert all(float(row.attendance_percent) < 90 for row in low.rows)
    assert len(low.rows) == sum(1 for r in rates if r < 90)
    other = next(g for g in absences(loaded.kz) if g != group)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await s.stub.GetCuratorAttendanceList(
            pb.GetCuratorAttendanceListRequest(group_id=other, from_date=FROM, to_date=TO),
            metadata=s.as_(grant.person_id, ("curator", "group", group)),
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # the dean for curation of the group's faculty reads it too; another faculty's is refused
    faculty = next(
        e.payload.faculty_id
        for e in loaded.kz.events
        if isinstance(e.payload, idn.PersonCreated) and e.payload.group_id == group and e.payload.faculty_id
    )
    deans = await s.stub.GetCuratorAttendanceList(
        pb.GetCuratorAttendanceListRequest(group_id=group, from_date=FROM, to_date=TO),
        metadata=s.as_("dc", ("dean_curation", "faculty", faculty)),
    )
    assert {row.student_id for row in deans.rows} == students
    with pytest.raises(grpc.aio.AioRpcError) as elsewhere:
        await s.stub.GetCuratorAttendanceList(
            pb.GetCuratorAttendanceListRequest(group_id=group, from_date=FROM, to_date=TO),
            metadata=s.as_("dc2", ("dean_curation", "faculty", "another-faculty")),
        )
    assert elsewhere.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_bad_dates_are_named(loaded: Loaded) -> None:
    s = loaded.served
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await s.stub.GetFillingReport(
            pb.GetFillingReportRequest(from_date="2026-13-01"), metadata=s.as_("vr", VICE_RECTOR)
        )
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "from_date" in (bad.value.details() or "")


async def test_event_lag_is_reported_per_consumer(loaded: Loaded) -> None:
    s = loaded.served
    reply = await s.stub.GetEventLag(pb.GetEventLagRequest(), metadata=s.as_("vr", VICE_RECTOR))
    assert reply.pending_events == 0
    gradebook = next(c for c in reply.consumers if c.consumer == "reporting-gradebook")
    assert gradebook.applied_total == gradebook.samples > 0
    assert gradebook.last_event_time


async def test_every_read_model_row_carries_its_university(loaded: Loaded) -> None:
    """Issue 18: the demo's two universities' rows are told apart by their own university_id, filled by
    the database from the structure each row names, whatever order the streams arrived in."""
    r = loaded.r
    for table in ("rm_structure_unit", "rm_course_unit", "rm_teaching_load", "rm_enrollment", "rm_lesson",
                  "rm_journal", "rm_section", "rm_mark", "rm_attendance", "rm_statement"):  # fmt: skip
        assert await r.scalar(f"SELECT count(*) FROM {table} WHERE university_id IS NULL") == 0, table
    journals = await r.scalar("SELECT array_agg(DISTINCT university_id) FROM rm_journal")
    assert isinstance(journals, list)
    assert set(journals) == {loaded.kz.university_id, loaded.kg.university_id}
