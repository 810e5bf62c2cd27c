"""QR check-in (KG-09): a rotating code; the student's own login; expired, replayed, foreign and
not-enrolled scans refused; one check-in per student and lesson; the teacher's override needs a reason;
a scan only inside the profile's window around the lesson's start, late after its threshold."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import grpc
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.grpc.status import error_info
from services.gateway.i18n import worded
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = [pytest.mark.integration, pytest.mark.rule("KG-09")]


ZONES = {"kg-jasu": ZoneInfo("Asia/Bishkek"), "kz-medical": ZoneInfo("Asia/Almaty")}


def at_lesson(w: World, j: JournalSetup, profile: str, minutes_after_start: float, index: int = 0) -> None:
    """Set the clock to a moment relative to lesson `index`'s start (the world's lessons start at 09:00
    local time, one a day from `lessons + 2` days ago)."""
    day = date.today() - timedelta(days=len(j.lessons) + 2) + timedelta(days=index)
    start = datetime.combine(day, time(9, 0), ZONES[profile])
    w.clock.offset = start + timedelta(minutes=minutes_after_start) - datetime.now(UTC)


async def code_for(w: World, j: JournalSetup, lesson: str) -> str:
    reply = await w.rpc.GetCheckInCode(
        pb.GetCheckInCodeRequest(journal_id=j.journal_id, lesson_id=lesson), metadata=w.teacher(j.teacher_id)
    )
    assert reply.rotate_every_seconds == 30
    return str(reply.code)


async def scan(w: World, j: JournalSetup, student: str, code: str) -> pb.CheckInResponse:
    done: pb.CheckInResponse = await w.rpc.CheckIn(
        pb.CheckInRequest(code=code), metadata=w.student(student, j.group_id)
    )
    return done


async def refused(w: World, j: JournalSetup, student: str, code: str) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await scan(w, j, student, code)
    return error.value


async def test_a_scan_records_attendance_with_the_time_once(w: World) -> None:
    j = await w.journal("kg-jasu", students=2)
    at_lesson(w, j, "kg-jasu", 1)
    lesson = j.lessons[0]
    code = await code_for(w, j, lesson)
    done = await scan(w, j, j.students[0], code)
    assert (done.journal_id, done.lesson_id, done.student_id) == (j.journal_id, lesson, j.students[0])
    assert done.checked_in_at
    grid = await w.rpc.GetJournalGrid(
        pb.GetJournalGridRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    assert [(a.student_id, a.status, a.source, a.checked_in_at) for a in grid.attendance] == [
        (j.students[0], "present", "check_in", done.checked_in_at)
    ]
    again = await refused(w, j, j.students[0], code)
    assert again.code() == grpc.StatusCode.ALREADY_EXISTS
    # The code is shared by the room: a classmate's scan counts for them.
    await scan(w, j, j.students[1], code)


async def test_the_code_rotates_and_an_old_one_expires(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    at_lesson(w, j, "kg-jasu", 1)
    lesson = j.lessons[0]
    first = await code_for(w, j, lesson)
    w.clock.offset += timedelta(seconds=30)
    assert await code_for(w, j, lesson) != first
    w.clock.offset += timedelta(seconds=31)
    expired = await refused(w, j, j.students[0], first)
    assert expired.code() == grpc.StatusCode.FAILED_PRECONDITION and "expired" in (expired.details() or "")


async def test_a_forged_or_foreign_lesson_code_is_refused(w: World) -> None:
    j = await w.journal("kg-jasu", students=1, lessons=2)
    at_lesson(w, j, "kg-jasu", 1)
    code = await code_for(w, j, j.lessons[0])
    _lesson, window, mac = code.split(".")
    foreign = f"{j.lessons[1]}.{window}.{mac}"  # the code of lesson 1 presented for lesson 2
    error = await refused(w, j, j.students[0], foreign)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    forged = f"{j.lessons[0]}.{window}.{'0' * 20}"
    assert (await refused(w, j, j.students[0], forged)).code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (await refused(w, j, j.students[0], "not a code")).code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_a_student_not_enrolled_in_the_group_is_refused(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    at_lesson(w, j, "kg-jasu", 1)
    code = await code_for(w, j, j.lessons[0])
    outsider = new_id()
    error = await refused(w, j, outsider, code)
    assert error.code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.PERMISSION_DENIED)
    # A teacher cannot check in for a student: check-in is under the student's own login.
    with pytest.raises(grpc.aio.AioRpcError) as teacher:
        await w.rpc.CheckIn(pb.CheckInRequest(code=code), metadata=w.teacher(j.teacher_id))
    assert teacher.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_the_teacher_overrides_a_check_in_only_with_a_reason(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    at_lesson(w, j, "kg-jasu", 1)
    lesson = j.lessons[0]
    await scan(w, j, j.students[0], await code_for(w, j, lesson))
    request = pb.RecordAttendanceRequest(journal_id=j.journal_id, lesson_id=lesson, idempotency_key=new_id())
    request.entries.add(student_id=j.students[0], status="absent")
    with pytest.raises(grpc.aio.AioRpcError) as no_reason:
        await w.rpc.RecordAttendance(request, metadata=w.teacher(j.teacher_id))
    assert no_reason.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    request.reason = "left after the roll call"
    request.idempotency_key = new_id()
    done = await w.rpc.RecordAttendance(request, metadata=w.teacher(j.teacher_id))
    assert [(e.status, e.source, e.version) for e in done.entries] == [("absent", "override", 2)]
    history = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id, column_id=lesson), metadata=w.teacher(j.teacher_id)
    )
    assert [(e.kind, e.old_value, e.new_value, e.author_id) for e in history.entries] == [
        ("attendance", "", "present", j.students[0]),
        ("attendance", "present", "absent", j.teacher_id),
    ]


async def test_a_scan_outside_the_window_is_refused_naming_the_window_in_the_users_language(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    lesson = j.lessons[0]
    for minutes in (-11, 31):  # kg-jasu: 10 minutes before the 09:00 start to 30 after it
        at_lesson(w, j, "kg-jasu", minutes)
        error = await refused(w, j, j.students[0], await code_for(w, j, lesson))
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "08:50" in (error.details() or "") and "09:30" in (error.details() or "")
        info = error_info(error)
        assert (
            worded(info, "kk")
            == f"Бұл сабаққа белгілену {info['wording.date']} күні 08:50–09:30 аралығында ашық"
        )
        assert worded(info, "ru") == f"Отметка на это занятие открыта {info['wording.date']} с 08:50 до 09:30"
    at_lesson(w, j, "kg-jasu", -9)  # inside: accepted
    assert (await scan(w, j, j.students[0], await code_for(w, j, lesson))).status == "present"


async def test_a_late_scan_is_recorded_late_where_the_profile_says_so(w: World) -> None:
    kg = await w.journal("kg-jasu", students=2)
    at_lesson(w, kg, "kg-jasu", 9)
    assert (await scan(w, kg, kg.students[0], await code_for(w, kg, kg.lessons[0]))).status == "present"
    at_lesson(w, kg, "kg-jasu", 11)  # more than 10 minutes after the start
    assert (await scan(w, kg, kg.students[1], await code_for(w, kg, kg.lessons[0]))).status == "late"
    grid = await w.rpc.GetJournalGrid(
        pb.GetJournalGridRequest(journal_id=kg.journal_id), metadata=w.teacher(kg.teacher_id)
    )
    assert sorted((a.student_id, a.status) for a in grid.attendance) == sorted(
        [(kg.students[0], "present"), (kg.students[1], "late")]
    )
    # kz-medical's profile has no lateness mark: the same scan is present.
    kz = await w.journal("kz-medical", students=1)
    at_lesson(w, kz, "kz-medical", 15)
    assert (await scan(w, kz, kz.students[0], await code_for(w, kz, kz.lessons[0]))).status == "present"


async def test_the_teacher_overrides_a_late_outcome_with_a_reason(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    lesson = j.lessons[0]
    at_lesson(w, j, "kg-jasu", 20)
    assert (await scan(w, j, j.students[0], await code_for(w, j, lesson))).status == "late"
    request = pb.RecordAttendanceRequest(
        journal_id=j.journal_id,
        lesson_id=lesson,
        idempotency_key=new_id(),
        reason="the bus was late (excused)",
    )
    request.entries.add(student_id=j.students[0], status="present")
    done = await w.rpc.RecordAttendance(request, metadata=w.teacher(j.teacher_id))
    assert [(e.status, e.source) for e in done.entries] == [("present", "override")]
