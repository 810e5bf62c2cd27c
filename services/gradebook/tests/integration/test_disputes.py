"""Grade disputes (KG-10): the student reports a wrong grade, the teacher must answer within the
profile's deadline (accept and correct through the normal path, or reject with a reason); both sides
see the thread."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import World, new_id

pytestmark = [pytest.mark.integration, pytest.mark.rule("KG-10")]


async def test_a_dispute_is_answered_by_rejection_with_a_reason_and_both_see_the_thread(w: World) -> None:
    j = await w.journal("kg-jasu", students=2)
    student, lesson = j.students[0], j.lessons[0]
    await w.write(j, [(lesson, student, "3")])
    me = w.student(student)
    opened = (
        await w.rpc.OpenDispute(
            pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=lesson, message="Мен 4 алдым"),
            metadata=me,
        )
    ).dispute
    assert (opened.status, opened.disputed_value, opened.overdue) == ("open", "3", False)
    teacher = w.teacher(j.teacher_id)
    listed = await w.rpc.ListDisputes(pb.ListDisputesRequest(journal_id=j.journal_id), metadata=teacher)
    assert [d.dispute_id for d in listed.disputes] == [opened.dispute_id]
    with pytest.raises(grpc.aio.AioRpcError) as no_reason:
        await w.rpc.AnswerDispute(
            pb.AnswerDisputeRequest(dispute_id=opened.dispute_id, decision="rejected"), metadata=teacher
        )
    assert no_reason.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.aio.AioRpcError) as stranger:
        await w.rpc.AnswerDispute(
            pb.AnswerDisputeRequest(dispute_id=opened.dispute_id, decision="rejected", reason="no"),
            metadata=w.teacher(new_id()),
        )
    assert stranger.value.code() == grpc.StatusCode.PERMISSION_DENIED
    answered = (
        await w.rpc.AnswerDispute(
            pb.AnswerDisputeRequest(
                dispute_id=opened.dispute_id, decision="rejected", reason="жауап толық емес"
            ),
            metadata=teacher,
        )
    ).dispute
    assert answered.status == "rejected"
    mine = await w.rpc.ListDisputes(pb.ListDisputesRequest(), metadata=me)
    assert [(m.author_role, m.text) for m in mine.disputes[0].thread] == [
        ("student", "Мен 4 алдым"),
        ("teacher", "жауап толық емес"),
    ]
    # Another student sees nothing of it.
    other = await w.rpc.ListDisputes(pb.ListDisputesRequest(), metadata=w.student(j.students[1]))
    assert list(other.disputes) == []


async def test_an_accepted_dispute_corrects_the_mark_through_the_write_path(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    student, lesson = j.students[0], j.lessons[0]
    await w.write(j, [(lesson, student, "3")])
    opened = (
        await w.rpc.OpenDispute(
            pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=lesson, message="4 болу керек"),
            metadata=w.student(student),
        )
    ).dispute
    with pytest.raises(grpc.aio.AioRpcError) as off_scale:
        await w.rpc.AnswerDispute(
            pb.AnswerDisputeRequest(dispute_id=opened.dispute_id, decision="accepted", corrected_value="4.5"),
            metadata=w.teacher(j.teacher_id),
        )
    assert off_scale.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    accepted = (
        await w.rpc.AnswerDispute(
            pb.AnswerDisputeRequest(dispute_id=opened.dispute_id, decision="accepted", corrected_value="4"),
            metadata=w.teacher(j.teacher_id),
        )
    ).dispute
    assert (accepted.status, accepted.corrected_value) == ("accepted", "4")
    history = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id, column_id=lesson, student_id=student),
        metadata=w.teacher(j.teacher_id),
    )
    assert (history.entries[-1].old_value, history.entries[-1].new_value) == ("3", "4")
    assert opened.dispute_id in history.entries[-1].reason


async def test_an_unanswered_dispute_becomes_overdue_after_the_profiles_deadline(w: World) -> None:
    j = await w.journal("kg-jasu", students=1)
    await w.write(j, [(j.lessons[0], j.students[0], "2")])
    opened = (
        await w.rpc.OpenDispute(
            pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=j.lessons[0], message="қате"),
            metadata=w.student(j.students[0]),
        )
    ).dispute
    assert not opened.overdue
    w.clock.offset += timedelta(days=3, minutes=1)  # kg-jasu: disputes.answer_days = 3
    late = await w.rpc.ListDisputes(
        pb.ListDisputesRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    assert late.disputes[0].overdue
    # A second dispute on the same grade while one is open is refused.
    with pytest.raises(grpc.aio.AioRpcError) as twice:
        await w.rpc.OpenDispute(
            pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=j.lessons[0], message="again"),
            metadata=w.student(j.students[0]),
        )
    assert twice.value.code() == grpc.StatusCode.ALREADY_EXISTS


async def test_students_and_parents_see_their_own_results_only(w: World) -> None:
    j = await w.journal("kg-jasu", students=2)
    child, classmate = j.students
    await w.write(j, [(j.lessons[0], child, "5"), (j.lessons[0], classmate, "2")])
    parent = w.parent(new_id(), child)
    results = await w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=child), metadata=parent)
    assert [m.value for m in results.journals[0].marks if m.column_id == j.lessons[0]] == ["5"]
    assert results.journals[0].totals.current_control == "5.00"
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=classmate), metadata=parent)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    own = await w.rpc.GetStudentResults(
        pb.GetStudentResultsRequest(), metadata=w.student(classmate, j.group_id)
    )
    assert own.student_id == classmate
    with pytest.raises(grpc.aio.AioRpcError):
        await w.rpc.GetStudentResults(
            pb.GetStudentResultsRequest(student_id=child), metadata=w.student(classmate, j.group_id)
        )
