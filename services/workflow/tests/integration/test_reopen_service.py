"""The reopen procedure through the gRPC API on the Temporal dev server: update-based human steps with
real tokens, their validators (role, scope, self-approval, order), task lists, history, notifications.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest

from deploy.local.servers import TemporalDevServer
from ejournal.gradebook.v1 import events_pb2 as gradebook_events
from ejournal.workflow.v1 import events_pb2 as ev
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal_platform.grpc.status import field_violations
from services.workflow.domain.actors import Actor, Grant
from services.workflow.processes.reopen.messages import CaseOutcome
from services.workflow.tests.harness import Harness, explanation_pb, running_service
from services.workflow.tests.support import DEPARTMENT, FACULTY, TERM

pytestmark = pytest.mark.integration


@pytest.fixture
async def service(databases: Any, temporal_dev: TemporalDevServer) -> AsyncIterator[Harness]:
    async with running_service(databases.fresh("workflow"), temporal_dev.address) as harness:
        yield harness


async def refused(call: Any, code: grpc.StatusCode) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    return caught.value


async def case_of(h: Harness, case_id: str, actor: Actor | None = None) -> pb.ReopenCase:
    reply = await h.stub.GetCase(
        pb.GetCaseRequest(case_id=case_id), metadata=h.auth(actor or h.people.registrar)
    )
    case: pb.ReopenCase = reply.case
    return case


async def tasks_of(h: Harness, actor: Actor) -> list[tuple[str, str]]:
    reply = await h.stub.ListTasks(pb.ListTasksRequest(), metadata=h.auth(actor))
    return [(t.case_id, t.action) for t in reply.tasks]


async def visa(
    h: Harness, case_id: str, actor: Actor, role: str, approve: bool = True, comment: str = ""
) -> Any:
    return h.stub.AddVisa(
        pb.AddVisaRequest(case_id=case_id, role=role, approve=approve, comment=comment),
        metadata=h.auth(actor),
    )


@pytest.mark.rule("KZ-08", "KZ-13")
async def test_procedure_through_the_api_with_task_lists_history_and_notices(service: Harness) -> None:
    h, p = service, service.people
    case = await h.submit("midterm-1")
    assert case.step == "review" and list(case.waiting_for) == ["department_head", "dean_curation", "dean"]
    deadline = datetime.fromisoformat(case.deadline)
    assert deadline - datetime.fromisoformat(case.received_at) == timedelta(
        days=2
    )  # KZ-13.2 from the profile

    # Each visa holder finds the case in their list, and it leaves the list once they signed.
    for actor, role in (
        (p.department_head, "department_head"),
        (p.dean_curation, "dean_curation"),
        (p.dean, "dean"),
    ):
        assert (case.case_id, f"visa_{role}") in await tasks_of(h, actor)
        await (await visa(h, case.case_id, actor, role))
        assert (case.case_id, f"visa_{role}") not in await tasks_of(h, actor)
    assert (case.case_id, "council_decision") in await tasks_of(h, p.dean)
    assert await tasks_of(h, p.registrar) == []

    reply = await h.stub.DecideCouncil(
        pb.DecideCouncilRequest(case_id=case.case_id, approve=True, protocol="№ 12, 21.11.2026"),
        metadata=h.auth(p.dean),
    )
    assert reply.case.step == "approved"
    assert (case.case_id, "reopen") in await tasks_of(h, p.registrar)
    assert (case.case_id, "reopen") not in await tasks_of(h, p.inspector)  # KZ-13.3: senior or head only

    reply = await h.stub.ReopenJournal(
        pb.ReopenJournalRequest(case_id=case.case_id), metadata=h.auth(p.registrar)
    )
    assert reply.case.step == "correcting" and reply.case.grant_id == f"grant-{case.case_id}"
    grant = h.gradebook.grants[case.case_id]
    assert grant.teacher_id == p.teacher.person_id and grant.section == "midterm-1"
    assert grant.expires_at == datetime.fromisoformat(reply.case.deadline)  # 2 days after re-access
    assert [a for _, a in await tasks_of(h, p.teacher)] == ["correct"]

    reply = await h.stub.SubmitCorrection(
        pb.SubmitCorrectionRequest(case_id=case.case_id, note="баға түзетілді"), metadata=h.auth(p.teacher)
    )
    assert reply.case.step == "completed" and not reply.case.correction_late
    assert h.gradebook.ended[case.case_id].reason == "corrected by the teacher"
    assert await tasks_of(h, p.teacher) == []

    final = await case_of(h, case.case_id, p.teacher)
    who = {e.action: e.actor_id for e in final.history}
    assert who["visa_department_head"] == p.department_head.person_id
    assert who["council_decision"] == p.dean.person_id
    assert who["reopen_requested"] == p.registrar.person_id
    assert who["correction_submitted"] == p.teacher.person_id
    assert [e.seq for e in final.history] == list(range(1, len(final.history) + 1))
    assert final.explanation.discipline == "Ішкі аурулар пропедевтикасы"  # letters kept exactly

    steps = await h.outbox(ev.ReopenCaseStepRecorded)
    assert [s.action for s in steps] == [e.action for e in final.history]  # one event per step, once
    assert {s.reason for s in steps} == {final.explanation.reason}  # the reason in its own field (issue 20)
    notices = await h.notifications()
    assert {(n.recipient_role, n.scope_id) for n in notices if n.what.startswith("visa requested")} == {
        ("department_head", DEPARTMENT),
        ("dean_curation", FACULTY),
        ("dean", FACULTY),
    }
    assert any(n.recipient_id == p.teacher.person_id and n.deadline for n in notices if "reopened" in n.what)


@pytest.mark.rule("KZ-08")
async def test_wrong_visas_are_refused_with_clear_errors_and_change_nothing(service: Harness) -> None:
    h, p = service, service.people
    case = await h.submit("midterm-2")
    before = await case_of(h, case.case_id)

    error = await refused(
        await visa(h, case.case_id, p.other_dean, "dean"), grpc.StatusCode.PERMISSION_DENIED
    )
    # Another faculty's dean is refused exactly like anyone asking about a case that does not exist
    # (issue 13: a refusal never reveals existence).
    missing = await refused(
        await visa(h, str(uuid.uuid4()), p.other_dean, "dean"), grpc.StatusCode.PERMISSION_DENIED
    )
    assert error.details() == missing.details() == "permission denied: reopen.endorse"
    await refused(await visa(h, case.case_id, p.dean, "department_head"), grpc.StatusCode.PERMISSION_DENIED)
    # The teacher is also a department head: still nobody approves their own request.
    teacher_as_head = Actor(
        p.teacher.person_id, (*p.teacher.grants, Grant("department_head", "department", DEPARTMENT))
    )
    error = await refused(
        await visa(h, case.case_id, teacher_as_head, "department_head"), grpc.StatusCode.PERMISSION_DENIED
    )
    assert "own request" in error.details()
    error = await refused(await visa(h, case.case_id, p.dean, "rector"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_violations(error)[0][0] == "role"
    error = await refused(
        await visa(h, case.case_id, p.department_head, "department_head", approve=False),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert field_violations(error) == [("comment", "say why the visa is refused")]
    # The council cannot approve without the visas, and a registrar cannot reopen before approval.
    error = await refused(
        h.stub.DecideCouncil(
            pb.DecideCouncilRequest(case_id=case.case_id, approve=True, protocol="№1"),
            metadata=h.auth(p.dean),
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert "visas missing: department_head, dean_curation, dean" in error.details()
    await refused(
        h.stub.ReopenJournal(pb.ReopenJournalRequest(case_id=case.case_id), metadata=h.auth(p.registrar)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    await refused(
        h.stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=h.auth(p.other_dean)),
        grpc.StatusCode.PERMISSION_DENIED,
    )

    after = await case_of(h, case.case_id)
    assert after == before  # nothing recorded, nothing changed
    await (await visa(h, case.case_id, p.department_head, "department_head"))
    error = await refused(
        await visa(h, case.case_id, p.department_head, "department_head"), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert "already given" in error.details()
    assert len((await case_of(h, case.case_id)).history) == len(before.history) + 1


@pytest.mark.rule("KZ-13")
async def test_a_decision_after_the_case_ended_is_refused(service: Harness) -> None:
    h, p = service, service.people
    case = await h.submit("midterm-3")
    reply = await h.stub.DecideCouncil(
        pb.DecideCouncilRequest(
            case_id=case.case_id, approve=False, protocol="№ 3", reason="себеп жеткіліксіз"
        ),
        metadata=h.auth(p.dean),
    )
    assert reply.case.step == "rejected"
    handle = h.client.get_workflow_handle(f"reopen-{case.case_id}", result_type=CaseOutcome)
    outcome = await handle.result()
    assert outcome.step == "rejected"

    error = await refused(
        h.stub.DecideCouncil(
            pb.DecideCouncilRequest(case_id=case.case_id, approve=True, protocol="№ 4"),
            metadata=h.auth(p.dean),
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert "has ended (rejected" in error.details() and "себеп жеткіліксіз" in error.details()
    await refused(
        await visa(h, case.case_id, p.dean_curation, "dean_curation"), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert (await case_of(h, case.case_id)).step == "rejected"
    notices = await h.notifications()
    assert any(n.recipient_id == p.teacher.person_id and "rejected" in n.what for n in notices)
    # A new case of the same section may be opened once the earlier one ended.
    again = await h.submit("midterm-3")
    assert again.case_id != case.case_id and again.step == "review"


@pytest.mark.rule("KZ-13")
async def test_late_explanation_is_refused_with_its_due_date_unless_admitted(service: Harness) -> None:
    h, p = service, service.people
    closed_at = datetime.now(UTC) - timedelta(days=2, hours=1)
    journal, section = await h.close_section("midterm-4", closed_at=closed_at)
    request = pb.SubmitExplanationRequest(
        request_id="r-1", journal_id=journal, section=section, explanation=explanation_pb()
    )
    error = await refused(
        h.stub.SubmitExplanation(request, metadata=h.auth(p.teacher)), grpc.StatusCode.FAILED_PRECONDITION
    )
    due = (closed_at + timedelta(days=2)).isoformat()
    assert due in error.details() and field_violations(error) == [("explanation", f"due by {due}")]
    assert await h.scalar("SELECT count(*) FROM reopen_cases") == 0

    admit = pb.AdmitLateExplanationRequest(
        journal_id=journal, section=section, teacher_id=p.teacher.person_id, reason="науқас болды (анықтама)"
    )
    await refused(
        h.stub.AdmitLateExplanation(admit, metadata=h.auth(p.registrar)), grpc.StatusCode.PERMISSION_DENIED
    )
    await h.stub.AdmitLateExplanation(admit, metadata=h.auth(p.registrar_head))

    case = (await h.stub.SubmitExplanation(request, metadata=h.auth(p.teacher))).case
    assert case.late_admission.admitted_by == p.registrar_head.person_id
    assert [e.action for e in case.history] == ["submitted", "admitted_late"]
    again = (await h.stub.SubmitExplanation(request, metadata=h.auth(p.teacher))).case  # a retry: same case
    assert again.case_id == case.case_id
    assert await h.scalar("SELECT count(*) FROM reopen_cases") == 1


async def test_bad_explanations_and_strangers_are_refused(service: Harness) -> None:
    h, p = service, service.people
    journal, section = await h.close_section("midterm-5")
    bad = explanation_pb()
    bad.reason = " "
    bad.wrong_date = "10.11.2026"
    request = pb.SubmitExplanationRequest(
        request_id="r", journal_id=journal, section=section, explanation=bad
    )
    error = await refused(
        h.stub.SubmitExplanation(request, metadata=h.auth(p.teacher)), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert {f for f, _ in field_violations(error)} == {"explanation.reason", "explanation.wrong_date"}
    request.explanation.CopyFrom(explanation_pb())
    await refused(
        h.stub.SubmitExplanation(request, metadata=h.auth(p.dean)), grpc.StatusCode.PERMISSION_DENIED
    )
    open_section = pb.SubmitExplanationRequest(
        request_id="r2", journal_id=journal, section="not-closed", explanation=explanation_pb()
    )
    await refused(
        h.stub.SubmitExplanation(open_section, metadata=h.auth(p.teacher)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    first = (await h.stub.SubmitExplanation(request, metadata=h.auth(p.teacher))).case
    second = pb.SubmitExplanationRequest(
        request_id="other", journal_id=journal, section=section, explanation=explanation_pb()
    )
    error = await refused(
        h.stub.SubmitExplanation(second, metadata=h.auth(p.teacher)), grpc.StatusCode.ALREADY_EXISTS
    )
    assert first.case_id in error.details()
    await refused(
        h.stub.GetCase(pb.GetCaseRequest(case_id="nope"), metadata=h.auth(p.dean)),
        grpc.StatusCode.PERMISSION_DENIED,  # like another faculty's case (issue 13)
    )


@pytest.mark.rule("KZ-13")
async def test_withdrawn_case_ends_with_its_reason(service: Harness) -> None:
    h, p = service, service.people
    case = await h.submit("midterm-6")
    await refused(
        h.stub.WithdrawCase(
            pb.WithdrawCaseRequest(case_id=case.case_id, reason="x"), metadata=h.auth(p.dean)
        ),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    reply = await h.stub.WithdrawCase(
        pb.WithdrawCaseRequest(case_id=case.case_id, reason="қате табылмады"), metadata=h.auth(p.teacher)
    )
    assert reply.case.step == "withdrawn" and "қате табылмады" in reply.case.end_reason
    assert h.gradebook.grant_calls == 0


@pytest.mark.rule("KZ-13")
async def test_an_explanation_is_checked_against_its_journal(service: Harness) -> None:
    """Issue 13: the explanation names the journal's own group, its specialty (code or name) and a
    date inside the closed section (after the previous control event, up to this one); a journal that
    is not the teacher's is refused like one that does not exist."""
    h, p = service, service.people
    journal, teacher = f"journal-names-{p.suffix}", p.teacher.person_id
    await h.gradebook_event(
        gradebook_events.JournalOpened(
            journal_id=journal, term_id=TERM, course_unit_id="cu-1", group_id="g-1", teacher_ids=[teacher],
            department_id=DEPARTMENT, faculty_id=FACULTY, profile_code="kz-medical", title="Ішкі аурулар",
            names=gradebook_events.StructureNames(
                group="ЖМ-21-003", specialty="Жалпы медицина", specialty_code="6B10101"
            ),
        )
    )  # fmt: skip
    for section, day in (("current-n", "2026-10-15"), ("midterm-n", "2026-11-20")):
        await h.gradebook_event(
            gradebook_events.SectionScheduled(
                journal_id=journal, section=section, control_kind="midterm", date=day, teacher_ids=[teacher],
                department_id=DEPARTMENT, faculty_id=FACULTY, profile_code="kz-medical",
            )
        )  # fmt: skip
    await h.gradebook_event(
        gradebook_events.SectionClosed(
            journal_id=journal, section="midterm-n", control_event_id="midterm-n", teacher_ids=[teacher],
            closed_at=datetime.now(UTC).isoformat(), department_id=DEPARTMENT, faculty_id=FACULTY,
            term_id=TERM, control_kind="midterm", closed_by="service:workflow",
        )
    )  # fmt: skip

    def asking(**changes: str) -> pb.SubmitExplanationRequest:
        form = explanation_pb()
        for name, value in changes.items():
            setattr(form, name, value)
        return pb.SubmitExplanationRequest(
            request_id=str(uuid.uuid4()), journal_id=journal, section="midterm-n", explanation=form
        )

    for changes, field in (
        ({"group": "ЖМ-21-004"}, "explanation.group"),
        ({"specialty": "Фармация"}, "explanation.specialty"),
        ({"specialty": "6B10106"}, "explanation.specialty"),
        ({"wrong_date": "2026-10-15"}, "explanation.wrong_date"),  # the previous section's last day
        ({"wrong_date": "2026-11-21"}, "explanation.wrong_date"),  # after the section
    ):
        error = await refused(
            h.stub.SubmitExplanation(asking(**changes), metadata=h.auth(p.teacher)),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert [f for f, _ in field_violations(error)] == [field]
    # Another journal, and one that does not exist: the same refusal.
    other, _ = await h.close_section(
        "midterm-o", journal_id=f"journal-other-{p.suffix}", teachers=("someone",)
    )
    answers = []
    for target in (other, f"journal-missing-{p.suffix}"):
        request = asking()
        request.journal_id = target
        error = await refused(
            h.stub.SubmitExplanation(request, metadata=h.auth(p.teacher)), grpc.StatusCode.PERMISSION_DENIED
        )
        answers.append(error.details())
    assert answers[0] == answers[1] == "permission denied: reopen.request"
    # The group written with other spacing and case, the specialty by its code (by its name elsewhere),
    # and a date inside the section: accepted.
    case = (
        await h.stub.SubmitExplanation(
            asking(group=" жм-21-003 ", specialty=" 6b10101", wrong_date="2026-11-10"),
            metadata=h.auth(p.teacher),
        )
    ).case
    assert case.journal_id == journal


async def test_a_teacher_lists_their_own_cases_open_and_ended_and_nobody_elses(service: Harness) -> None:
    h, p = service, service.people
    first = await h.submit("midterm-7")
    second = await h.submit("midterm-8")
    await h.stub.WithdrawCase(
        pb.WithdrawCaseRequest(case_id=first.case_id, reason="қате табылмады"), metadata=h.auth(p.teacher)
    )
    mine = await h.stub.ListMyCases(pb.ListMyCasesRequest(), metadata=h.auth(p.teacher))
    listed = {c.case_id: c for c in mine.cases}
    assert set(listed) == {first.case_id, second.case_id}
    assert listed[first.case_id].step == "withdrawn" and listed[second.case_id].step == "review"
    assert listed[second.case_id].explanation.reason and not listed[second.case_id].history
    # a dean who reviews these cases has no case of their own: the list is theirs only
    assert not (await h.stub.ListMyCases(pb.ListMyCasesRequest(), metadata=h.auth(p.dean))).cases
    await refused(h.stub.ListMyCases(pb.ListMyCasesRequest()), grpc.StatusCode.UNAUTHENTICATED)
