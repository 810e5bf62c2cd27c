"""Absences in a row (KG-11: curators use attendance to contact parents): a student's streak in one
journal, counted per lesson, so a lesson recorded twice counts once and a corrected absence is taken
back. Reaching the threshold tells the group's curator and the student's parents, once per streak.

Both attendance records and marks count: a mark whose meaning on the journal's scale is "absent"
(`н/б` KZ-12, `нб` KG-05) is an absence, any other mark is presence, and a cleared mark only takes
back an absence it had counted."""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_regulation import RegulationProfile
from ejournal_regulation.scales import MarkRejected

ABSENT = "absent"
PRESENT = "present"
CLEARED = ""  # says nothing about presence: only an absence counted for that lesson is taken back


@dataclass(frozen=True)
class Streak:
    lessons: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        return len(self.lessons)


def after(streak: Streak, lesson_id: str, status: str, threshold: int) -> tuple[Streak, bool]:
    """The streak after one attendance record, and whether it has just reached the threshold."""
    if status == ABSENT:
        if lesson_id in streak.lessons:
            return streak, False
        longer = Streak((*streak.lessons, lesson_id))
        return longer, longer.length == threshold
    if lesson_id in streak.lessons:  # a counted absence corrected: take that lesson back
        return Streak(tuple(lesson for lesson in streak.lessons if lesson != lesson_id)), False
    return (streak if status == CLEARED else Streak()), False


def status_of_mark(value: str, profile: RegulationProfile) -> str:
    """A mark as attendance: its meaning on the profile's scale (`н/б`, `нб` mean absent)."""
    if not value:
        return CLEARED
    try:
        meaning = profile.scale.parse(value).meaning
    except MarkRejected:  # not on this scale (the gradebook would have refused it): say nothing
        return CLEARED
    return ABSENT if meaning == ABSENT else PRESENT
