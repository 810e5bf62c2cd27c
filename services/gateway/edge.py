"""Input checked at the edge, before any service is asked: ids that must be UUIDs, counts that cannot be
negative, numbers that must be finite, and `null` where a value is required (a mark is cleared with an
explicit "", never by a null). Each problem names its field (`cells[2].column_id`), so the client gets
a 422 it can act on instead of a database error deep inside a service."""

from __future__ import annotations

import math
import uuid
from typing import Any

from google.protobuf.descriptor import FieldDescriptor

# Fields that always hold UUIDs in every service's contract (other *_id fields may hold codes, e.g.
# case ids, chat ids, request ids).
UUID_FIELDS = frozenset(
    {
        "journal_id", "column_id", "student_id", "lesson_id", "group_id", "subgroup_id", "teacher_id",
        "course_unit_id", "department_id", "faculty_id", "university_id", "specialty_id", "dispute_id",
        "statement_id", "person_id", "classroom_id", "control_event_id", "load_id", "substitution_id",
        "academic_year_id", "from_group_id", "to_group_id", "to_subgroup_id", "absent_teacher_id",
        "substitute_id", "journal_ids", "course_unit_ids", "student_ids", "person_ids",
    }
)  # fmt: skip
INTEGERS = (
    FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_SFIXED32, FieldDescriptor.TYPE_SFIXED64,
)  # fmt: skip
FLOATS = (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT)
WELL_KNOWN = "google.protobuf."


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _scalar(field: FieldDescriptor, value: Any, where: str) -> list[tuple[str, str]]:
    if value is None:  # absent for an optional field; elsewhere a null would silently mean "" or 0
        return [] if field.has_presence else [(where, 'must not be null (send "" to clear a value)')]
    if field.type == FieldDescriptor.TYPE_STRING and field.name in UUID_FIELDS:
        if isinstance(value, str) and value and not _is_uuid(value):
            return [(where, "must be a UUID")]
    elif field.type in INTEGERS:
        number = _as_number(value)
        if number is not None and number < 0:
            return [(where, "must not be negative")]
    elif field.type in FLOATS:
        number = _as_number(value)
        if number is not None and not math.isfinite(number):
            return [(where, "must be a finite number")]
    return []


def _as_number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


def violations(data: dict[str, Any], descriptor: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every edge problem of a request body (as JSON data) against its protobuf message."""
    found: list[tuple[str, str]] = []
    for name, value in data.items():
        field = descriptor.fields_by_name.get(name)
        if field is None:
            continue  # unknown fields are the schema's business
        where = f"{prefix}{name}"
        nested = field.message_type if field.type == FieldDescriptor.TYPE_MESSAGE else None
        if nested is not None and (nested.full_name.startswith(WELL_KNOWN) or nested.GetOptions().map_entry):
            continue
        items = list(enumerate(value)) if field.is_repeated and isinstance(value, list) else [(None, value)]
        for index, item in items:
            at = where if index is None else f"{where}[{index}]"
            if nested is not None:
                if item is None:
                    found.append((at, "must not be null"))
                elif isinstance(item, dict):
                    found += violations(item, nested, f"{at}.")
            else:
                found += _scalar(field, item, at)
    return found
