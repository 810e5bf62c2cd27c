"""Refuse a lesson that double-books a teacher, group, subgroup or classroom, naming both lessons.

One query per lesson over the same day's overlapping lessons that share its teacher, group or room
(indexed by group and date, teacher and date); the domain (domain/schedule.py) decides which
overlap is a conflict. Imports reach this through apply_lesson, so a file's row is refused the same way.
"""

from __future__ import annotations

from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import FailedPrecondition
from services.curriculum.adapters import schedule_repo
from services.curriculum.domain.schedule import Booking, conflict_message, double_booked


async def refuse_double_booking(uow: UnitOfWork, new: Booking, *, substitution: bool = False) -> list[str]:
    """Raise on the first conflict; return the lessons whose teacher conflict the substitution excused
    (the caller audits them with the substitution's reference)."""
    excused: list[str] = []
    for other in await schedule_repo.overlapping(uow.session, new):
        field = double_booked(new, other, substitution=substitution)
        if field is not None:
            raise FailedPrecondition(conflict_message(field, new, other), field=field)
        if substitution and double_booked(new, other) is not None:
            excused.append(other.lesson_id)
    return excused
