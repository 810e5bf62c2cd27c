"""Closed means closed on every path into a section (KZ-05): marks, attendance, check-in codes and
check-ins, disputes, schedule changes reaching the gradebook. Each refusal is the same one, keyed
`section_closed` so the gateway words it in the user's language (services/gateway/i18n.py)."""

from __future__ import annotations

from collections.abc import Awaitable

import grpc
import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.grpc.status import error_info
from services.gradebook.tests.integration.test_closing import close, fill_current
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = [pytest.mark.integration, pytest.mark.rule("KZ-05")]


async def refused_as_closed(call: Awaitable[object]) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_info(refused.value).get("wording") == "section_closed"


async def closed_journal(w: World) -> JournalSetup:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    await close(w, j, "current")
    return j


async def test_marks_attendance_codes_and_disputes_of_a_closed_section_are_refused_alike(w: World) -> None:
    j = await closed_journal(w)
    lesson, student = j.lessons[0], j.students[0]
    await refused_as_closed(w.write(j, [(lesson, student, "99")]))
    attendance = pb.RecordAttendanceRequest(
        journal_id=j.journal_id, lesson_id=lesson, idempotency_key=new_id()
    )
    attendance.entries.add(student_id=student, status="absent")
    await refused_as_closed(w.rpc.RecordAttendance(attendance, metadata=w.teacher(j.teacher_id)))
    await refused_as_closed(
        w.rpc.GetCheckInCode(
            pb.GetCheckInCodeRequest(journal_id=j.journal_id, lesson_id=lesson),
            metadata=w.teacher(j.teacher_id),
        )
    )
    # A dispute on a closed grade could never be accepted (the grade cannot change): refused up front.
    await refused_as_closed(
        w.rpc.OpenDispute(
            pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=lesson, message="мен 80 алдым"),
            metadata=w.student(student),
        )
    )
    # The open midterm section still takes a dispute's grade and marks.
    await w.write(j, [(j.sections["midterm"], student, "66")])


async def test_a_lesson_scheduled_or_cancelled_inside_a_closed_section_does_not_change_it(w: World) -> None:
    j = await closed_journal(w)
    columns = await w.sql("SELECT count(*) FROM columns WHERE journal_id = %s", j.journal_id)
    day = (await w.sql("SELECT date FROM columns WHERE column_id = %s", j.lessons[0]))[0][0]
    lesson_type = (await w.sql("SELECT lesson_type FROM journals WHERE journal_id = %s", j.journal_id))[0][0]
    # An imported lesson dated inside the closed section (the probe: 10 columns became 11).
    await w.apply(
        cur.LessonScheduled(
            lesson_id=new_id(),
            course_unit_id=j.course_unit_id,
            group_id=j.group_id,
            lesson_type=cur.LessonType.Value(f"LESSON_TYPE_{lesson_type.upper()}"),
            date=day.isoformat(),
            teacher_id=j.teacher_id,
            term_id=j.term_id,
            revision=1,
        ),
        cur.LessonCancelled(lesson_id=j.lessons[0]),
    )
    assert await w.sql("SELECT count(*) FROM columns WHERE journal_id = %s", j.journal_id) == columns
    assert await w.sql("SELECT cancelled FROM columns WHERE column_id = %s", j.lessons[0]) == [(False,)]
