"""The contingent (KZ-15): students are placed in groups (and subgroups) by orders, with history.

A placement is an interval [valid_from, valid_until) of one student in one group/subgroup. Enrollment
opens one, a transfer closes one and opens another on the same day, an expulsion closes one. History is
never rewritten: an order may not take effect before the student's latest placement began.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.curriculum.domain.checks import Violations


@dataclass(frozen=True)
class GroupRef:
    group_id: str
    code: str
    academic_year_id: str
    course_number: int


@dataclass(frozen=True)
class Placement:
    group: GroupRef
    subgroup_id: str | None
    valid_from: date
    valid_until: date | None

    def open_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    def same_course(self, other: GroupRef) -> bool:
        return (self.group.academic_year_id, self.group.course_number) == (
            other.academic_year_id,
            other.course_number,
        )


@dataclass(frozen=True, slots=True)
class GroupMember:
    """A student in a group on a date, as ListGroupMembers answers: since when, by which order."""

    student_id: str
    subgroup_id: str | None
    since: date
    order_number: str
    order_date: date
    student_name: str


def check_enrollment(placements: list[Placement], target: GroupRef, effective: date, v: Violations) -> None:
    """One student is in at most one group of a course at a time."""
    for p in placements:
        if not p.same_course(target):
            continue
        if p.valid_until is None or p.valid_until > effective:
            v.add(
                "group_id",
                f"the student is already in group {p.group.code} of course {target.course_number} "
                f"from {p.valid_from}; a change of group needs a transfer order",
            )
            return


def current_placement(
    placements: list[Placement], effective: date, from_group_id: str | None, v: Violations
) -> Placement | None:
    """The placement a transfer or expulsion ends: open on its effective date, and the latest one."""
    candidates = [
        p for p in placements if p.open_on(effective) or (p.valid_until is None and p.valid_from > effective)
    ]
    if from_group_id:
        candidates = [p for p in candidates if p.group.group_id == from_group_id]
    if not candidates:
        v.add(
            "student_id",
            f"the student is in no group on {effective}"
            + (" matching from_group_id" if from_group_id else ""),
        )
        return None
    if len(candidates) > 1:
        v.add("from_group_id", "the student is in several groups on that date; name the one to leave")
        return None
    placement = candidates[0]
    if effective <= placement.valid_from:
        v.add(
            "effective_date",
            f"must be after {placement.valid_from}, when the student's placement in group "
            f"{placement.group.code} began (history is not rewritten)",
        )
        return None
    if placement.valid_until is not None:
        v.add(
            "effective_date",
            f"the student already left group {placement.group.code} on {placement.valid_until}",
        )
        return None
    return placement


def check_transfer(
    current: Placement,
    target: GroupRef,
    target_subgroup_id: str | None,
    others: list[Placement],
    v: Violations,
) -> None:
    if current.group.group_id == target.group_id and current.subgroup_id == target_subgroup_id:
        v.add("to_group_id", f"the student is already in group {target.code} (and that subgroup)")
    if current.group.group_id != target.group_id:
        rest = [p for p in others if p is not current]
        check_enrollment(rest, target, current.valid_from, v)
