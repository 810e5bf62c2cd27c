"""Absences in a row (KG-11: curators use attendance to contact parents): a student's streak in one
journal, counted per lesson, so a lesson recorded twice counts once and a corrected absence is taken
back. Reaching the threshold tells the group's curator and the student's parents, once per streak."""

from __future__ import annotations

from dataclasses import dataclass

ABSENT = "absent"


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
    return Streak(), False
