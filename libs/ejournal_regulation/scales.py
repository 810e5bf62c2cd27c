"""Grading scales of the regulation profiles: which marks exist and what each one means.

Two kinds: `points` (kz-medical: 0–100 with letters and GPA, plus `н/б`; KZ-12) and `marks`
(kg-jasu: `5 4 3 2 нб`; KG-05). A mark is data: `н/б` and `нб` are values with a meaning ("absent"),
never numbers and never "no mark yet" (that is the absence of a mark).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

MarkMeaning = Literal["grade", "absent", "present_unprepared"]
MARK_MEANINGS: tuple[MarkMeaning, ...] = ("grade", "absent", "present_unprepared")


class MarkRejected(ValueError):
    """The text is not a mark of this scale; `allowed` describes what is."""

    def __init__(self, text: str, allowed: str) -> None:
        super().__init__(f"{text!r} is not on the scale; allowed: {allowed}")
        self.text = text
        self.allowed = allowed


@dataclass(frozen=True)
class Mark:
    """A mark as entered: its text exactly, what it means, and the number it counts as (if any)."""

    text: str
    meaning: MarkMeaning
    value: Decimal | None


@dataclass(frozen=True)
class LetterGrade:
    letter: str
    min_points: int
    max_points: int
    gpa: Decimal
    traditional: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SpecialMark:
    mark: str
    meaning: MarkMeaning
    counts_as: Decimal | None


@dataclass(frozen=True)
class PointsScale:
    """Whole points min..max; a letter and GPA per band; special marks such as `н/б`."""

    min_points: int
    max_points: int
    special_marks: tuple[SpecialMark, ...]
    zero_meaning: MarkMeaning
    passing_points: int
    letters: tuple[LetterGrade, ...]
    kind: Literal["points"] = "points"

    def describe(self) -> str:
        specials = ", ".join(m.mark for m in self.special_marks)
        return (
            f"{specials}, {self.min_points}..{self.max_points}"
            if specials
            else (f"{self.min_points}..{self.max_points}")
        )

    def parse(self, text: str) -> Mark:
        stripped = text.strip()
        for special in self.special_marks:
            if stripped == special.mark:
                return Mark(special.mark, special.meaning, special.counts_as)
        if not stripped.isdigit() or (len(stripped) > 1 and stripped.startswith("0")):
            raise MarkRejected(text, self.describe())
        points = int(stripped)
        if not self.min_points <= points <= self.max_points:
            raise MarkRejected(text, self.describe())
        meaning: MarkMeaning = self.zero_meaning if points == 0 else "grade"
        return Mark(str(points), meaning, Decimal(points))

    def letter_for(self, points: Decimal | int) -> LetterGrade:
        """The band of a (possibly fractional, already rounded) result in points."""
        for band in self.letters:
            # Bands are whole points; a fractional result belongs to the band of its whole part.
            if band.min_points <= points < band.max_points + 1:
                return band
        raise MarkRejected(str(points), self.describe())

    @property
    def pass_threshold(self) -> Decimal:
        """The lowest value that passes (KZ-12: 50 points)."""
        return Decimal(self.passing_points)

    def is_passing(self, value: Decimal) -> bool:
        return value >= self.pass_threshold


@dataclass(frozen=True)
class ScaleMark:
    mark: str
    meaning: MarkMeaning
    value: Decimal | None
    traditional: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MarksScale:
    """A closed list of marks (KG-05: `5 4 3 2 нб`)."""

    marks: tuple[ScaleMark, ...]
    passing_value: Decimal
    kind: Literal["marks"] = "marks"

    def describe(self) -> str:
        return ", ".join(m.mark for m in self.marks)

    def parse(self, text: str) -> Mark:
        stripped = text.strip()
        for mark in self.marks:
            if stripped == mark.mark:
                return Mark(mark.mark, mark.meaning, mark.value)
        raise MarkRejected(text, self.describe())

    @property
    def pass_threshold(self) -> Decimal:
        """The lowest mark value that passes (KG-05: 3)."""
        return self.passing_value

    def is_passing(self, value: Decimal) -> bool:
        return value >= self.pass_threshold


Scale = PointsScale | MarksScale


def to_decimal(value: object) -> Decimal | None:
    """A number from YAML (int, str "0.6") as Decimal; floats go through str to avoid binary noise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str | float):
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None
