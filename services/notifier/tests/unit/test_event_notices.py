"""Which events call for which notice, to whom, with what deadline and link (pure translation)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from google.protobuf.message import Message

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.workflow.v1 import events_pb2 as wf
from services.notifier.domain.notices import Audience, Category, NoticeSpec
from services.notifier.domain.wording import Phrase
from services.notifier.service_layer.event_notices import specs_for


def specs(message: Message) -> list[NoticeSpec]:
    return specs_for(message.DESCRIPTOR.full_name, message.SerializeToString())


@pytest.mark.rule("KZ-13")
def test_an_escalation_goes_to_the_vice_rector_naming_the_late_dean() -> None:
    (spec,) = specs(wf.NotificationRequested(
        recipient_role="vice_rector", scope_type="university", what="reopen case overdue (escalated)",
        why="…", deadline="2026-12-04T07:00:00+00:00", kind="reopen_case", about_id="case-1",
        overdue_role="dean", overdue_scope_type="faculty", overdue_scope_id="f1",
    ))  # fmt: skip
    assert spec.category is Category.REOPEN_STEP and spec.link_path == "/api/v1/reopen-cases/case-1"
    assert spec.audience == Audience(role="vice_rector", scope_type="university")
    assert spec.overdue == Audience(role="dean", scope_type="faculty", scope_id="f1")
    assert spec.deadline == datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


def test_a_closing_reminder_is_a_deadline_notice_with_the_unfilled_count() -> None:
    what = "12 cells unfilled; the sections close at the deadline"
    (spec,) = specs(wf.NotificationRequested(recipient_id="t1", kind="closing", what=what))
    assert (spec.template, spec.category, spec.params["cells"]) == (
        "closing_reminder",
        Category.DEADLINE,
        "12",
    )
    assert spec.audience.person_ids == ("t1",) and spec.overdue is None


def test_a_department_measure_goes_to_its_head_and_a_teachers_to_the_teacher() -> None:
    (dept,) = specs(wf.SanctionConfirmed(subject="department", subject_id="d1", measure="warning"))
    assert dept.audience == Audience(role="department_head", scope_type="department", scope_id="d1")
    (teacher,) = specs(wf.SanctionConfirmed(subject="teacher", subject_id="t1", measure="verbal_warning"))
    assert teacher.audience.person_ids == ("t1",) and teacher.params["measure"] == "verbal warning"
    assert teacher.category is Category.SANCTION


def test_a_dispute_goes_to_the_journals_teachers_with_its_answer_deadline() -> None:
    (spec,) = specs(gb.DisputeOpened(journal_id="j1", student_id="s1", teacher_ids=["t1", "t2"],
                                     answer_due_at="2026-12-04T07:00:00+00:00"))  # fmt: skip
    assert spec.audience.person_ids == ("t1", "t2") and spec.named == {"student": "s1"}
    assert spec.deadline is not None and spec.category is Category.DISPUTE
    assert spec.journals == {"journal": ("j1",)}  # named by its discipline, group and lesson type


def test_a_closed_section_names_its_journal() -> None:
    (spec,) = specs(gb.SectionClosed(journal_id="j1", teacher_ids=["t1"], statement_number=7))
    assert spec.journals == {"journal": ("j1",)} and spec.params["number"] == "7"


def test_a_control_event_sent_with_its_kind_and_date_is_named_by_them() -> None:
    values = {"control_event": "ce-1", "control_event_kind": "final_attestation",
              "control_event_on": "2026-12-05", "deadline_at": "2026-12-07T18:59:00+00:00"}  # fmt: skip
    (spec,) = specs(wf.NotificationRequested(recipient_id="t1", kind="statement", values=values,
                                             what_key="x", why_key="y"))  # fmt: skip
    assert spec.params["control_event"] == Phrase("“{kind}, {event_on}”", {
        "kind": Phrase("final attestation"), "event_on": "2026-12-05"})  # fmt: skip
    assert "control_event_kind" not in spec.params and "control_event_on" not in spec.params
    (older,) = specs(wf.NotificationRequested(recipient_id="t1", values={"control_event": "ce-1"}))
    assert older.params["control_event"] == "ce-1"


def test_events_that_need_no_notice_give_none() -> None:
    assert specs(gb.MarkRecorded(journal_id="j1")) == []
