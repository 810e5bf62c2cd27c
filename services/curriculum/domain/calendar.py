"""Academic years, terms and the control-event deadlines of the academic calendar (KZ-05, KZ-06).

Deadlines are data the registrar office edits, never constants: the profile only gives the default a
new control event starts with (grade entry by the end of the event's day, closing per the profile's
closing rule, KZ-05: 3 days later; KG-06: no date, the journal closes when the final score is set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from ejournal_regulation.model import ClosingRule
from services.curriculum.domain.checks import Violations

END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class TermDates:
    number: int
    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class CurriculumWindows:
    """KZ-03: loaded May–June, corrected in August; outside these only the registrar, with a reason."""

    load_from: date
    load_until: date
    correction_from: date
    correction_until: date

    @classmethod
    def default_for(cls, year_starts_on: date) -> CurriculumWindows:
        y = year_starts_on.year
        return cls(date(y, 5, 1), date(y, 6, 30), date(y, 8, 1), date(y, 8, 31))

    def open_on(self, day: date) -> bool:
        return (
            self.load_from <= day <= self.load_until or self.correction_from <= day <= self.correction_until
        )


def check_year(starts_on: date | None, ends_on: date | None, terms: list[TermDates], v: Violations) -> None:
    """Terms lie inside the year, are numbered 1..n in date order, and do not overlap."""
    if starts_on and ends_on and ends_on <= starts_on:
        v.add("ends_on", "must be after starts_on")
    if not terms:
        v.add("terms", "an academic year needs at least one term")
    numbers = sorted(t.number for t in terms)
    if numbers != list(range(1, len(terms) + 1)):
        v.add("terms", f"terms must be numbered 1..{len(terms)}, got {numbers}")
    for i, term in enumerate(terms):
        if term.ends_on < term.starts_on:
            v.add(f"terms[{i}].ends_on", "must not be before starts_on")
        if starts_on and ends_on and not (starts_on <= term.starts_on and term.ends_on <= ends_on):
            v.add(f"terms[{i}]", f"term {term.number} lies outside the academic year {starts_on}..{ends_on}")
    ordered = sorted(terms, key=lambda t: t.starts_on)
    for earlier, later in pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            v.add(
                "terms",
                f"term {later.number} ({later.starts_on}..{later.ends_on}) overlaps term {earlier.number} "
                f"({earlier.starts_on}..{earlier.ends_on})",
            )
        elif later.number < earlier.number:
            v.add("terms", f"term {later.number} starts after term {earlier.number}")


def check_years_apart(
    starts_on: date, ends_on: date, others: list[tuple[str, date, date]], v: Violations
) -> None:
    """Two academic years of one university never overlap."""
    for code, other_start, other_end in others:
        if starts_on <= other_end and other_start <= ends_on:
            v.add("starts_on", f"overlaps academic year {code} ({other_start}..{other_end})")


@dataclass(frozen=True)
class Deadlines:
    grade_entry: datetime
    closing: datetime | None


def default_deadlines(event_date: date, closing: ClosingRule, zone: ZoneInfo) -> Deadlines:
    closing_day = closing.closing_deadline(event_date)
    return Deadlines(
        grade_entry=datetime.combine(event_date, END_OF_DAY, zone),
        closing=datetime.combine(closing_day, END_OF_DAY, zone) if closing_day else None,
    )


def check_deadlines(
    event_date: date, deadlines: Deadlines, closing: ClosingRule, zone: ZoneInfo, v: Violations
) -> None:
    """A deadline never precedes its control event; closing never precedes grade entry."""
    event_start = datetime.combine(event_date, time(0, 0), zone)
    if deadlines.grade_entry < event_start:
        v.add("grade_entry_deadline", f"is before its control event on {event_date}")
    if deadlines.closing is not None:
        if closing.rule == "on_final_score_set":
            v.add("closing_deadline", "this profile closes when the final score is set, not on a date")
        if deadlines.closing < event_start:
            v.add("closing_deadline", f"is before its control event on {event_date}")
        elif deadlines.closing < deadlines.grade_entry:
            v.add("closing_deadline", "is before the grade-entry deadline")


def term_of(day: date, terms: list[TermDates]) -> TermDates | None:
    return next((t for t in terms if t.contains(day)), None)


def days_between(first: date, last: date) -> int:
    return (last - first) // timedelta(days=1)
