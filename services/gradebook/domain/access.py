"""Who may write a journal: the teachers of its teaching load (KG-02, KG-06) and, during a
substitution, the substitute under their own login on behalf of the absent teacher (KZ-07, KG-07)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Substitution:
    absent_teacher_id: str
    substitute_id: str
    starts_on: date
    ends_on: date
    journal_ids: frozenset[str] = field(default_factory=frozenset)
    course_unit_ids: frozenset[str] = field(default_factory=frozenset)

    def covers(self, journal_id: str, course_unit_id: str, day: date) -> bool:
        if not self.starts_on <= day <= self.ends_on:
            return False
        if not self.journal_ids and not self.course_unit_ids:
            return True  # all journals of the absent teacher
        return journal_id in self.journal_ids or course_unit_id in self.course_unit_ids


@dataclass(frozen=True)
class Writers:
    """person id -> the absent teacher they write for (None for the journal's own teachers)."""

    by_person: dict[str, str | None]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.by_person)

    def on_behalf_of(self, person_id: str) -> str | None:
        return self.by_person.get(person_id)


def writers(
    teacher_ids: Iterable[str],
    substitutions: Iterable[Substitution],
    journal_id: str,
    course_unit_id: str,
    day: date,
) -> Writers:
    teachers = set(teacher_ids)
    found: dict[str, str | None] = dict.fromkeys(teachers)
    for sub in substitutions:
        if sub.absent_teacher_id in teachers and sub.covers(journal_id, course_unit_id, day):
            found.setdefault(sub.substitute_id, sub.absent_teacher_id)
    return Writers(found)
