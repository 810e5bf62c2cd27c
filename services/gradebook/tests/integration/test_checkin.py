"""QR check-in (KG-09): a rotating code; the student's own login; expired, replayed, foreign and
not-enrolled scans refused; one check-in per student and lesson; the teacher's override needs a reason."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = [pytest.mark.integration, pytest.mark.rule("KG-09")]


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
    lesson = j.lessons[0]
    first = await code_for(w, j, lesson)
    w.clock.offset += timedelta(seconds=30)
    assert await code_for(w, j, lesson) != first
    w.clock.offset += timedelta(seconds=31)
    expired = await refused(w, j, j.students[0], first)
    assert expired.code() == grpc.StatusCode.FAILED_PRECONDITION and "expired" in (expired.details() or "")


async def test_a_forged_or_foreign_lesson_code_is_refused(w: World) -> None:
    j = await w.journal("kg-jasu", students=1, lessons=2)
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
