"""Input checked at the edge, before any service is asked: ids that must be UUIDs, counts that cannot be
negative, numbers that must be finite, and `null` where a value is required (a mark is cleared with an
explicit "", never by a null). Each problem names its field (`cells[2].column_id`), so the client gets
a 422 it can act on instead of a database error deep inside a service."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable
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


def _checker(field: FieldDescriptor) -> Callable[[Any], str | None] | None:
    """The check of one scalar field's values, chosen once per field (None: any value is accepted):
    `null` where a value is required, a UUID field's text, a number's sign or finiteness."""
    optional = field.has_presence
    null = None if optional else NULL_REFUSED  # absent for an optional field; elsewhere "" or 0 in silence
    if field.type == FieldDescriptor.TYPE_STRING and field.name in UUID_FIELDS:

        def uuid_problem(value: Any) -> str | None:
            if value is None:
                return null
            if isinstance(value, str) and value and not _is_uuid(value):
                return "must be a UUID"
            return None

        return uuid_problem
    if field.type in INTEGERS:

        def integer_problem(value: Any) -> str | None:
            if value is None:
                return null
            number = _as_number(value)
            return "must not be negative" if number is not None and number < 0 else None

        return integer_problem
    if field.type in FLOATS:

        def float_problem(value: Any) -> str | None:
            if value is None:
                return null
            number = _as_number(value)
            return "must be a finite number" if number is not None and not math.isfinite(number) else None

        return float_problem
    if optional:
        return None

    def null_problem(value: Any) -> str | None:
        return NULL_REFUSED if value is None else None

    return null_problem


def _as_number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


class _Step(NamedTuple):
    """What the walk does with one field of a message: look into a nested message (its plan), or check
    a scalar (`check`; None: an optional field no value of which is refused, any value accepted)."""

    nested: dict[str, _Step] | None
    check: Callable[[Any], str | None] | None
    repeated: bool


# One plan per message type, made on first use: the walk then does a dict lookup per field and calls
# the field's own check, instead of asking the descriptor what the field is, for every cell of every
# save (issue 19).
_PLANS: dict[str, dict[str, _Step]] = {}


def _plan(descriptor: Any) -> dict[str, _Step]:
    plan = _PLANS.get(descriptor.full_name)
    if plan is not None:
        return plan
    plan = _PLANS[descriptor.full_name] = {}  # before the fields: a recursive message finds itself
    for field in descriptor.fields:
        nested = field.message_type if field.type == FieldDescriptor.TYPE_MESSAGE else None
        if nested is not None and (nested.full_name.startswith(WELL_KNOWN) or nested.GetOptions().map_entry):
            continue  # the schema's business
        if nested is not None:
            plan[field.name] = _Step(_plan(nested), None, field.is_repeated)
        else:
            plan[field.name] = _Step(None, _checker(field), field.is_repeated)
    return plan


def violations(data: dict[str, Any], descriptor: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every edge problem of a request body (as JSON data) against its protobuf message."""
    found: list[tuple[str, str]] = []
    _walk(data, _plan(descriptor), prefix, found)
    return found


def _walk(data: dict[str, Any], plan: dict[str, _Step], prefix: str, found: list[tuple[str, str]]) -> None:
    for name, value in data.items():
        step = plan.get(name)
        if step is None:
            continue  # unknown fields are the schema's business, as are maps and well-known types
        nested, check = step.nested, step.check
        if nested is None and check is None:
            continue
        items = enumerate(value) if step.repeated and isinstance(value, list) else ((None, value),)
        for index, item in items:
            if nested is not None:
                if item is None:
                    found.append((_where(prefix, name, index), "must not be null"))
                elif isinstance(item, dict):
                    _walk(item, nested, f"{_where(prefix, name, index)}.", found)
            elif check is not None and (problem := check(item)) is not None:
                found.append((_where(prefix, name, index), problem))


def _where(prefix: str, name: str, index: int | None) -> str:
    """A field's place in the body as the client reads it (`cells[2].column_id`), made only when needed."""
    return f"{prefix}{name}" if index is None else f"{prefix}{name}[{index}]"
