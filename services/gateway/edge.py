"""Input checked at the edge, before any service is asked: ids that must be UUIDs, counts that cannot be
negative, numbers that must be finite, and `null` where a value is required (a mark is cleared with an
explicit "", never by a null). Each problem names its field (`cells[2].column_id`), so the client gets
a 422 it can act on instead of a database error deep inside a service."""

from __future__ import annotations

import math
import re
import uuid
from typing import Any, NamedTuple

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


# The canonical form (what every client sends); anything else is left to uuid.UUID, which also takes
# braces, "urn:uuid:" and unhyphenated ids.
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_uuid(value: str) -> bool:
    if _CANONICAL_UUID.fullmatch(value):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


NULL_REFUSED = 'must not be null (send "" to clear a value)'


def _scalar_problem(field: FieldDescriptor, value: Any) -> str | None:
    if value is None:  # absent for an optional field; elsewhere a null would silently mean "" or 0
        return None if field.has_presence else NULL_REFUSED
    if field.type == FieldDescriptor.TYPE_STRING and field.name in UUID_FIELDS:
        if isinstance(value, str) and value and not _is_uuid(value):
            return "must be a UUID"
    elif field.type in INTEGERS:
        number = _as_number(value)
        if number is not None and number < 0:
            return "must not be negative"
    elif field.type in FLOATS:
        number = _as_number(value)
        if number is not None and not math.isfinite(number):
            return "must be a finite number"
    return None


def _as_number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


class _Step(NamedTuple):
    """What the walk does with one field of a message: look into a nested message, check a scalar,
    or (`checked` false: an optional field no value of which is refused) accept any value."""

    field: FieldDescriptor
    nested: Any  # the nested message's descriptor, or None for a scalar
    checked: bool  # a scalar whose value can be refused (a UUID field, a number, or not optional)


# One plan per message type, made on first use: the walk then does a dict lookup per field instead of
# asking the descriptor what the field is, for every cell of every save (issue 19).
_PLANS: dict[str, dict[str, _Step]] = {}


def _plan(descriptor: Any) -> dict[str, _Step]:
    plan = _PLANS.get(descriptor.full_name)
    if plan is not None:
        return plan
    plan = {}
    for field in descriptor.fields:
        nested = field.message_type if field.type == FieldDescriptor.TYPE_MESSAGE else None
        if nested is not None and (nested.full_name.startswith(WELL_KNOWN) or nested.GetOptions().map_entry):
            continue  # the schema's business
        checked = nested is None and (
            not field.has_presence
            or (field.type == FieldDescriptor.TYPE_STRING and field.name in UUID_FIELDS)
            or field.type in INTEGERS
            or field.type in FLOATS
        )
        plan[field.name] = _Step(field, nested, checked)
    _PLANS[descriptor.full_name] = plan
    return plan


def violations(data: dict[str, Any], descriptor: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every edge problem of a request body (as JSON data) against its protobuf message."""
    found: list[tuple[str, str]] = []
    plan = _plan(descriptor)
    for name, value in data.items():
        step = plan.get(name)
        if step is None:
            continue  # unknown fields are the schema's business, as are maps and well-known types
        items = enumerate(value) if step.field.is_repeated and isinstance(value, list) else ((None, value),)
        for index, item in items:
            if step.nested is not None:
                if item is None:
                    found.append((_where(prefix, name, index), "must not be null"))
                elif isinstance(item, dict):
                    found += violations(item, step.nested, f"{_where(prefix, name, index)}.")
            elif step.checked and (problem := _scalar_problem(step.field, item)) is not None:
                found.append((_where(prefix, name, index), problem))
    return found


def _where(prefix: str, name: str, index: int | None) -> str:
    """A field's place in the body as the client reads it (`cells[2].column_id`), made only when needed."""
    return f"{prefix}{name}" if index is None else f"{prefix}{name}[{index}]"
