"""The reopen case's rules without any server (KZ-08, KZ-13)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ejournal_platform.errors import FailedPrecondition, InvalidArgument, PermissionDenied, ValidationFailed
from services.workflow.domain.actors import Actor, Grant
from services.workflow.domain.notices import notices_for
from services.workflow.domain.reopen_case import ReopenCase, Step
from services.workflow.domain.reopen_facts import LateAdmission, check_explanation_in_time, explanation_due
from services.workflow.domain.tasks import actions_for
from services.workflow.tests.support import DEPARTMENT, FACULTY, People, explanation, facts, terms

pytestmark = pytest.mark.unit
T0 = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)


def new_case(people: People) -> ReopenCase:
    return ReopenCase.receive(facts(people, closed_at=T0), explanation(), terms(), T0 + timedelta(hours=5))


def approved(people: People) -> ReopenCase:
    case = new_case(people)
    at = T0 + timedelta(days=1)
    case.add_visa(people.department_head, "department_head", True, "", at)
    case.add_visa(people.dean_curation, "dean_curation", True, "", at)
    case.add_visa(people.dean, "dean", True, "", at)
    case.decide(people.dean, True, "№1", "", at)
    return case


@pytest.mark.rule("KZ-13")
def test_explanation_window_is_two_days_from_closing_from_the_profile() -> None:
    t = terms()
    assert explanation_due(T0, t) == T0 + timedelta(days=2)
    check_explanation_in_time(T0 + timedelta(days=2), T0, t, None)  # the last moment is in time
    with pytest.raises(FailedPrecondition) as caught:
        check_explanation_in_time(T0 + timedelta(days=2, seconds=1), T0, t, None)
    assert "due by 2026-11-22T13:00:00+00:00" in caught.value.message
    check_explanation_in_time(T0 + timedelta(days=9), T0, t, LateAdmission("head", T0, "ауырды"))


def test_explanation_form_names_every_missing_field() -> None:
    bad = explanation("")
    bad = type(bad)(" ", (), 0, bad.group, "", "10.11.2026", "")
    with pytest.raises(ValidationFailed) as caught:
        bad.validate()
    assert {f for f, _ in caught.value.violations} == {
        "explanation.discipline",
        "explanation.lesson_types",
        "explanation.course",
        "explanation.specialty",
        "explanation.wrong_date",
        "explanation.reason",
    }


@pytest.mark.rule("KZ-08")
def test_visas_need_the_right_role_in_the_case_scope_and_never_the_requester() -> None:
    p = People()
    case = new_case(p)
    at = T0 + timedelta(hours=6)
    with pytest.raises(PermissionDenied):
        case.check_visa(p.other_dean, "dean", True, "")
    with pytest.raises(PermissionDenied):
        case.check_visa(
            Actor("x", (Grant("department_head", "department", "other-dep"),)), "department_head", True, ""
        )
    self_head = Actor(p.teacher.person_id, (Grant("department_head", "department", DEPARTMENT),))
    with pytest.raises(PermissionDenied, match="own request"):
        case.check_visa(self_head, "department_head", True, "")
    with pytest.raises(InvalidArgument):
        case.check_visa(p.dean, "vice_rector", True, "")
    both = Actor(
        "dean-and-curation", (Grant("dean", "faculty", FACULTY), Grant("dean_curation", "faculty", FACULTY))
    )
    case.add_visa(both, "dean", True, "", at)
    with pytest.raises(FailedPrecondition, match="its own person"):
        case.check_visa(both, "dean_curation", True, "")
    with pytest.raises(FailedPrecondition, match="already given"):
        case.check_visa(p.dean, "dean", True, "")
    assert case.missing_visas() == ("department_head", "dean_curation")
    assert [e.action for e in case.history] == ["submitted", "visa_dean"]


@pytest.mark.rule("KZ-08", "KZ-13")
def test_the_council_approves_only_with_all_visas_and_a_refused_visa_rejects() -> None:
    p = People()
    case = new_case(p)
    at = T0 + timedelta(hours=6)
    with pytest.raises(FailedPrecondition, match="visas missing"):
        case.check_decision(p.dean, True, "№1", "")
    with pytest.raises(PermissionDenied):
        case.check_decision(p.dean_curation, True, "№1", "")
    with pytest.raises(InvalidArgument):
        case.check_decision(p.dean, False, "№1", "")
    case.add_visa(p.department_head, "department_head", False, "себебі жоқ", at)
    assert case.step == Step.REJECTED and "department_head refused" in case.end_reason
    with pytest.raises(FailedPrecondition, match="has ended"):
        case.check_decision(p.dean, False, "№1", "x")


@pytest.mark.rule("KZ-13")
def test_an_overdue_review_is_escalated_and_stays_undecided() -> None:
    p = People()
    case = new_case(p)
    late = case.review_due + timedelta(seconds=1)
    assert case.overdue(late)
    case.mark_review_overdue(late)
    assert case.step == Step.REVIEW and case.decision is None and case.review_overdue
    escalated = notices_for(case, case.history[-1])
    assert {(n.recipient_role, n.scope_type) for n in escalated} == {
        ("dean", "faculty"),
        ("vice_rector", "university"),
    }
    # Both name who is late (the dean of the case's faculty), so the escalation can say who it is.
    assert {n.overdue_role for n in escalated} == {("dean", "faculty", case.facts.faculty_id)}


@pytest.mark.rule("KZ-13")
def test_only_the_registrar_reopens_and_only_the_teacher_corrects_within_two_days() -> None:
    p = People()
    case = approved(p)
    with pytest.raises(PermissionDenied):
        case.check_reopen(p.inspector)
    with pytest.raises(PermissionDenied):
        case.check_reopen(p.dean)
    at = T0 + timedelta(days=3)
    case.start_reopening(p.registrar, at)
    case.granted("g-1", at)
    assert case.correction_due == at + timedelta(days=2)
    with pytest.raises(PermissionDenied):
        case.check_correction(p.department_head, "")
    case.correction_deadline_passed(at + timedelta(days=2))
    with pytest.raises(FailedPrecondition):
        case.check_correction(p.teacher, "")  # re-closing: too late to correct
    case.reclose(at + timedelta(days=2), "st-1")
    assert case.step == Step.COMPLETED and case.correction_late


def test_withdrawal_only_by_the_teacher_before_reopening() -> None:
    p = People()
    case = approved(p)
    with pytest.raises(PermissionDenied):
        case.check_withdraw(p.dean, "x")
    with pytest.raises(InvalidArgument):
        case.check_withdraw(p.teacher, " ")
    case.start_reopening(p.registrar, T0 + timedelta(days=2))
    with pytest.raises(FailedPrecondition, match="before the journal is reopened"):
        case.check_withdraw(p.teacher, "x")


def test_task_actions_follow_who_the_case_waits_for() -> None:
    p = People()
    case = new_case(p)
    kwargs = {
        "teacher_id": p.teacher.person_id,
        "department_id": DEPARTMENT,
        "faculty_id": FACULTY,
        "waiting_for": case.waiting_for(),
    }
    assert actions_for(p.department_head, **kwargs) == ("visa_department_head",)  # type: ignore[arg-type]
    assert actions_for(p.dean, **kwargs) == ("visa_dean",)  # type: ignore[arg-type]
    assert actions_for(p.other_dean, **kwargs) == ()  # type: ignore[arg-type]
    assert actions_for(p.teacher, **kwargs) == ()  # type: ignore[arg-type]
    case = approved(p)
    kwargs["waiting_for"] = case.waiting_for()
    assert actions_for(p.registrar_head, **kwargs) == ("reopen",)  # type: ignore[arg-type]
    assert actions_for(p.inspector, **kwargs) == ()  # type: ignore[arg-type]


@pytest.mark.rule("KZ-08")
def test_a_notice_to_a_university_role_goes_to_the_cases_own_university() -> None:
    """Issue 18: an empty university scope reaches that role in every university the deployment holds,
    so the escalation to the vice-rector names the case's university."""
    p = People()
    received = ReopenCase.receive(
        replace(facts(p, closed_at=T0), university_id="u-1"), explanation(), terms(), T0 + timedelta(hours=5)
    )
    late = received.review_due + timedelta(seconds=1)
    received.mark_review_overdue(late)
    escalated = notices_for(received, received.history[-1])
    assert [(n.recipient_role, n.scope_id) for n in escalated if n.scope_type == "university"] == [
        ("vice_rector", "u-1")
    ]
