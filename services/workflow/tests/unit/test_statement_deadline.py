"""KZ-15's pure parts: when the statement is due, in which order the alerts go out, who is told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from services.workflow.domain.statement_deadline import (
    JournalDue,
    JournalOutcome,
    alert_notices,
    alert_plan,
    late_notices,
    moved_deadline,
    statement_deadline,
)
from services.workflow.service_layer.control_event_deadlines import statement_deadline_input

pytestmark = pytest.mark.unit
ALMATY = timezone(timedelta(hours=5))


@pytest.mark.rule("KZ-15")
def test_the_statement_is_due_at_the_end_of_the_profiles_day_after_a_final_control_only() -> None:
    closing = datetime(2026, 12, 28, 23, 59, tzinfo=ALMATY)
    due = statement_deadline(date(2026, 12, 25), 3, closing)
    assert due == datetime(2026, 12, 28, 23, 59, tzinfo=ALMATY)
    assert statement_deadline(date(2026, 12, 25), 3, None).tzinfo is UTC
    exam = statement_deadline_input(
        "e", "intermediate_attestation", "cu", "2026-12-25", closing, "d", "f", "kz-medical", 1
    )
    assert exam is not None and exam.deadline == due
    assert (
        statement_deadline_input("e", "midterm", "cu", "2026-12-25", closing, "d", "f", "kz-medical", 1)
        is None
    )
    assert (
        statement_deadline_input("e", "final_attestation", "cu", "2026-12-25", None, "d", "f", "kg-jasu", 1)
        is None
    )


def test_teachers_are_reminded_before_the_head_is_told() -> None:
    assert [(a.kind, a.hours_before) for a in alert_plan((48,), (24,))] == [("remind", 48), ("escalate", 24)]


def test_only_incomplete_journals_are_alerted_and_late_goes_to_teacher_and_head() -> None:
    due = datetime(2026, 12, 28, 23, 59, tzinfo=UTC)
    journals = [JournalDue(JournalOutcome("a", 3), ("t1", "t2")), JournalDue(JournalOutcome("b", 0), ("t3",))]
    assert [n.recipient_id for n in alert_notices("remind", "e", due, "dep", journals)] == ["t1", "t2"]
    [head] = alert_notices("escalate", "e", due, "dep", journals)
    assert (head.recipient_role, head.scope_type, head.scope_id) == ("department_head", "department", "dep")
    assert alert_notices("escalate", "e", due, "dep", journals[1:]) == ()
    told = late_notices("e", due, "dep", journals[0])
    assert [(n.recipient_id, n.recipient_role) for n in told] == [
        ("t1", ""),
        ("t2", ""),
        ("", "department_head"),
    ]


@pytest.mark.rule("KZ-15")
def test_a_moved_closing_carries_the_statement_deadline_past_it_never_before_the_rule() -> None:
    event = date(2026, 12, 25)
    rule = datetime(2026, 12, 28, 23, 59, tzinfo=ALMATY)
    later = datetime(2026, 12, 30, 12, 0, tzinfo=ALMATY)
    assert moved_deadline(event, 3, later) == datetime(2026, 12, 30, 23, 59, tzinfo=ALMATY)
    assert moved_deadline(event, 3, datetime(2026, 12, 26, 18, 0, tzinfo=ALMATY)) == rule
