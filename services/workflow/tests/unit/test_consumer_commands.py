"""The consumers' one event→command helper copies exactly the fields the message and the command share
(repeated ones as tuples), takes what it is given over them, and leaves the rest at the command's
defaults: the same commands the handlers built field by field before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ejournal.curriculum.v1 import events_pb2 as curriculum
from ejournal.gradebook.v1 import events_pb2 as gradebook
from services.workflow.entrypoints.consumers import command
from services.workflow.service_layer.control_event_deadlines import CancelDeadlines, MoveClosingDeadline
from services.workflow.service_layer.journal_facts import LearnJournal, LearnSection

pytestmark = pytest.mark.unit
CLOSED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_a_scheduled_section_copies_the_shared_fields_and_keeps_the_rest_unknown() -> None:
    scheduled = gradebook.SectionScheduled(
        journal_id="j", section="midterm", control_kind="exam", teacher_ids=["t1", "t2"],
        department_id="d", faculty_id="f", profile_code="kz-medical", date="2026-12-10",
    )  # fmt: skip
    assert command(LearnSection, scheduled, event_date=scheduled.date) == LearnSection(
        journal_id="j", section="midterm", control_kind="exam", teacher_ids=("t1", "t2"),
        department_id="d", faculty_id="f", profile_code="kz-medical", event_date="2026-12-10",
    )  # fmt: skip


def test_a_closed_section_takes_the_converted_time_over_the_messages_text() -> None:
    closed = gradebook.SectionClosed(
        journal_id="j", section="midterm", term_id="term", closed_at=CLOSED.isoformat(), closed_by="t1"
    )
    found = command(LearnSection, closed, closed_at=CLOSED)
    assert found.closed_at == CLOSED and found.term_id == "term" and found.closed_by == "t1"
    assert found.profile_code == "" and found.event_date == "" and found.teacher_ids == ()


def test_an_opened_journal_takes_its_names_as_given() -> None:
    opened = gradebook.JournalOpened(journal_id="j", teacher_ids=["t"], title="Anatomy", university_id="u")
    opened.names.group = "G-1"
    found = command(LearnJournal, opened, group_name="G-1", specialty_name="", specialty_code="")
    assert found.teacher_ids == ("t",) and found.title == "Anatomy" and found.university_id == "u"
    assert found.group_name == "G-1" and found.term_id == ""


def test_curriculum_commands_copy_every_field_they_share() -> None:
    moved = curriculum.CalendarDeadlineChanged(control_event_id="e", revision=3, changed_by="r", reason="x")
    assert command(MoveClosingDeadline, moved, new_deadline=CLOSED) == MoveClosingDeadline(
        control_event_id="e", new_deadline=CLOSED, revision=3, changed_by="r", reason="x"
    )
    cancelled = curriculum.ControlEventCancelled(control_event_id="e", reason="moved")
    assert command(CancelDeadlines, cancelled) == CancelDeadlines(control_event_id="e", reason="moved")
