"""What a mark in the journal means for the reports, read through its regulation profile.

A mark is data (`н/б`, `нб`, `0`, `5`, `87`): the profile says whether it is a grade, an absence or
"present but unprepared" (KZ-12), what number it counts as, what passes and what counts as "good"
for the education-quality figure (the share of results the profile calls good or excellent).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from ejournal_regulation import RegulationProfile, get_profile
from ejournal_regulation.scales import MarkRejected, MarksScale, PointsScale

Meaning = Literal["grade", "absent", "present_unprepared", "unreadable"]

# Traditional names of the grades that count towards "quality" (хорошо / отлично), as in the profiles.
GOOD_TRADITIONAL = frozenset({"отлично", "хорошо"})


@dataclass(frozen=True)
class MarkReading:
    text: str
    meaning: Meaning
    value: Decimal | None

    @property
    def is_absence(self) -> bool:
        return self.meaning == "absent"


def read_mark(profile_code: str, text: str) -> MarkReading:
    """The meaning of a mark; a text the profile does not know is kept but counts as nothing."""
    try:
        mark = get_profile(profile_code).scale.parse(text)
    except (MarkRejected, KeyError):
        return MarkReading(text, "unreadable", None)
    return MarkReading(mark.text, mark.meaning, mark.value)


@dataclass(frozen=True)
class ScaleFacts:
    """The numbers of a profile's scale that the reports and the forecast need."""

    minimum: Decimal
    maximum: Decimal
    passing: Decimal
    good: Decimal  # lowest value the profile calls good (хорошо) or better


@cache
def scale_facts(profile_code: str) -> ScaleFacts:
    return facts_of(get_profile(profile_code))


def facts_of(profile: RegulationProfile) -> ScaleFacts:
    scale = profile.scale
    if isinstance(scale, PointsScale):
        good = [band.min_points for band in scale.letters if band.traditional.get("ru") in GOOD_TRADITIONAL]
        return ScaleFacts(
            Decimal(scale.min_points),
            Decimal(scale.max_points),
            scale.pass_threshold,
            Decimal(min(good)) if good else scale.pass_threshold,
        )
    assert isinstance(scale, MarksScale)
    values = [m.value for m in scale.marks if m.value is not None]
    good_values = [
        m.value for m in scale.marks if m.value is not None and m.traditional.get("ru") in GOOD_TRADITIONAL
    ]
    return ScaleFacts(
        min(values),
        max(values),
        scale.pass_threshold,
        min(good_values) if good_values else scale.pass_threshold,
    )
