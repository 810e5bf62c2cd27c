"""Retention of journals and statements (KG-12: kept 5 years, then archived; KZ-16).

A journal and its statements are kept in the live read models for the profile's `retention_years`
after the end of their term; from the day after, they are due for archiving. Archiving never loses
anything: the archive bundle holds every row and a printout, and the archive record says what went
where, with the bundle's hash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ejournal_regulation import get_profile


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Retained:
    kind: str  # "journal" or "statement"
    id: str
    term_ends_on: date
    profile_code: str


def keep_until(item: Retained) -> date:
    """The last day the item stays live."""
    return add_years(item.term_ends_on, get_profile(item.profile_code).retention_years)


def due_for_archive(items: Iterable[Retained], today: date) -> list[Retained]:
    return sorted(
        (item for item in items if today > keep_until(item)), key=lambda i: (i.term_ends_on, i.kind, i.id)
    )
