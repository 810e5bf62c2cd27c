"""Substitutions (KZ-07, KG-07): a department head appoints a colleague to fill an absent teacher's
journals for a date range, on a department meeting decision. The substitute writes under their own
login; the journals record them as author and the absent teacher as the one substituted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ejournal_platform.errors import FailedPrecondition, ValidationFailed
from services.identity.domain.profiles import IdentityProfile
from services.identity.domain.roles import parse_day


@dataclass(frozen=True)
class DecisionReference:
    protocol_number: str
    protocol_date: date | None


@dataclass(frozen=True)
class Substitution:
    id: str
    absent_teacher_id: str
    substitute_id: str
    department_id: str
    journal_ids: tuple[str, ...]
    course_unit_ids: tuple[str, ...]
    starts_on: date
    ends_on: date
    decision: DecisionReference
    reason: str
    appointed_by: str
    ended_on: date | None = None
    end_reason: str = ""
    university_id: str = ""
    faculty_id: str = ""

    @property
    def last_day(self) -> date:
        return self.ended_on if self.ended_on is not None else self.ends_on

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.last_day


@dataclass(frozen=True)
class SubstitutionRequest:
    absent_teacher_id: str
    substitute_id: str
    department_id: str
    journal_ids: tuple[str, ...]
    course_unit_ids: tuple[str, ...]
    starts_on: date
    ends_on: date
    decision: DecisionReference
    reason: str


def validate_substitution(
    *,
    absent_teacher_id: str,
    substitute_id: str,
    department_id: str,
    journal_ids: list[str],
    course_unit_ids: list[str],
    starts_on: str,
    ends_on: str,
    protocol_number: str,
    protocol_date: str,
    reason: str,
    profile: IdentityProfile,
) -> SubstitutionRequest:
    problems: list[tuple[str, str]] = []
    for field, value in (
        ("absent_teacher_id", absent_teacher_id),
        ("substitute_id", substitute_id),
        ("department_id", department_id),
    ):
        if not value.strip():
            problems.append((field, "is required"))
    if absent_teacher_id and absent_teacher_id == substitute_id:
        problems.append(("substitute_id", "must be another teacher than the absent one"))
    journals = tuple(dict.fromkeys(j.strip() for j in journal_ids if j.strip()))
    units = tuple(dict.fromkeys(u.strip() for u in course_unit_ids if u.strip()))
    if not journals and not units:
        problems.append(("journal_ids", "name the journals or course units the substitute fills"))
    start = parse_day(starts_on, "starts_on", problems)
    end = parse_day(ends_on, "ends_on", problems)
    if starts_on == "":
        problems.append(("starts_on", "is required"))
    if ends_on == "":
        problems.append(("ends_on", "is required"))
    if start and end and end < start:
        problems.append(("ends_on", "is before starts_on"))
    decided_on = parse_day(protocol_date, "decision.protocol_date", problems)
    number = protocol_number.strip()
    if profile.substitution_needs_decision_reference:
        if not number:
            problems.append(
                ("decision.protocol_number", "the department meeting protocol number is required (KZ-07)")
            )
        if not protocol_date:
            problems.append(("decision.protocol_date", "the department meeting date is required (KZ-07)"))
    if decided_on and start and decided_on > start:
        problems.append(("decision.protocol_date", "the decision cannot postdate the substitution's start"))
    if problems:
        raise ValidationFailed("the substitute cannot be appointed", problems)
    assert start is not None and end is not None
    return SubstitutionRequest(
        absent_teacher_id.strip(),
        substitute_id.strip(),
        department_id.strip(),
        journals,
        units,
        start,
        end,
        DecisionReference(number, decided_on),
        reason.strip(),
    )


def end_day(substitution: Substitution, today: date) -> date:
    """The last day an ended substitution was in force: yesterday, or never if it had not started."""
    if substitution.ended_on is not None:
        raise FailedPrecondition("the substitution has already ended", field="substitution_id")
    if today > substitution.ends_on:
        raise FailedPrecondition("the substitution is already over", field="substitution_id")
    # Ending takes effect at once: the last day in force is yesterday (before the start: never in force).
    return max(today, substitution.starts_on) - timedelta(days=1)
