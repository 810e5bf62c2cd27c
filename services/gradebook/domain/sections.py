"""Which section a column belongs to: the part of the journal up to and including a control event.

A lesson belongs to the first control event on or after its date (ties: current, midterm,
intermediate attestation, final attestation); a control event's own column belongs to its section.
Lessons after the last control event belong to no section until one is scheduled. A column of a
closed section never moves (the database refuses it too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.gradebook.domain.vocabulary import CONTROL_KINDS


@dataclass(frozen=True)
class SectionSpan:
    section_id: str
    control_kind: str
    date: date
    closed: bool


def ordered(sections: Sequence[SectionSpan]) -> list[SectionSpan]:
    def rank(s: SectionSpan) -> tuple[date, int, str]:
        kind = CONTROL_KINDS.index(s.control_kind) if s.control_kind in CONTROL_KINDS else len(CONTROL_KINDS)
        return (s.date, kind, s.section_id)

    return sorted(sections, key=rank)


def section_for(column_date: date, sections: Sequence[SectionSpan]) -> str | None:
    """The section of a lesson on `column_date` (sections given in `ordered` order)."""
    for span in sections:
        if span.date >= column_date:
            return span.section_id
    return None
