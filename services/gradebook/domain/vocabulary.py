"""The gradebook's words for curriculum enums, and its own small vocabularies (as stored and sent)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Final

LESSON_TYPES: Final = ("lecture", "practical", "seminar", "laboratory", "clinical", "self_study")
CONTROL_KINDS: Final = ("current", "midterm", "intermediate_attestation", "final_attestation")
COURSE_UNIT_KINDS: Final = ("discipline", "integrated_discipline", "block", "module", "modular_discipline")
ATTENDANCE_STATUSES: Final = ("present", "absent", "late", "excused")

# Column kinds of a journal grid.
LESSON, CONTROL, SELF_STUDY = "lesson", "control", "self_study"

# Where an attendance record came from.
BY_TEACHER, BY_CHECK_IN, BY_OVERRIDE = "teacher", "check_in", "override"

# Statement series (numbered gaplessly per series and term).
SECTION_SERIES, INDIVIDUAL_SERIES, INTEGRATED_SERIES = "section", "individual", "integrated"

# Which journal's exam column counts when several journals of one course unit carry it (integrated
# totals): the journal of the lesson type listed first.
EXAM_JOURNAL_PREFERENCE: Final = ("practical", "clinical", "seminar", "laboratory", "lecture", "self_study")

_JOURNAL_NAMESPACE = uuid.UUID("6b1f7a52-3c1e-4d0a-9a57-0c3f1d2e9b10")


def enum_word(enum_name: str, prefix: str) -> str:
    """LESSON_TYPE_PRACTICAL -> practical; the curriculum's enum value names as the gradebook's words."""
    return enum_name.removeprefix(prefix).lower() if enum_name.startswith(prefix) else ""


def journal_id_for(
    term_id: str, course_unit_id: str, group_id: str, subgroup_id: str | None, lesson_type: str
) -> uuid.UUID:
    """The journal's id follows from its key, so creating it from a teaching load is idempotent and any
    service can name the journal of (term, course unit, group/subgroup, lesson type) without asking."""
    key = "|".join((term_id, course_unit_id, group_id, subgroup_id or "", lesson_type))
    return uuid.uuid5(_JOURNAL_NAMESPACE, key)


def exam_preference(lesson_type: str) -> int:
    try:
        return EXAM_JOURNAL_PREFERENCE.index(lesson_type)
    except ValueError:
        return len(EXAM_JOURNAL_PREFERENCE)


def optional_uuid(value: str) -> uuid.UUID | None:
    """An event's id field: empty means none (proto3 strings have no null)."""
    return uuid.UUID(value) if value else None


def event_date(value: str) -> date:
    """An event's ISO date field."""
    return date.fromisoformat(value)
