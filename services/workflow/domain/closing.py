"""Closing deadlines of control events (KZ-05, KZ-06): when to remind, whether a move is acceptable.

The deadline itself comes from curriculum's academic calendar (the profile's default is 3 days after
the control event; the registrar may set another date). Reminders go out a number of hours before it.
"""

from datetime import datetime, timedelta

from ejournal_platform.errors import FailedPrecondition, InvalidArgument


def reminder_key(hours_before: int, deadline: datetime) -> str:
    """A reminder is sent once per deadline: after a move, teachers are reminded of the new one."""
    return f"{hours_before}h@{deadline.isoformat()}"


def next_reminder(
    deadline: datetime, hours_before: tuple[int, ...], sent: frozenset[str], now: datetime
) -> tuple[int, datetime] | None:
    """The earliest reminder not sent yet whose time is before the deadline; a passed one is due now.

    Of several reminders already due (the deadline moved closer), only the latest-due is sent.
    """
    pending = sorted(
        (
            (deadline - timedelta(hours=h), h)
            for h in set(hours_before)
            if reminder_key(h, deadline) not in sent
        ),
    )
    pending = [(at, h) for at, h in pending if at < deadline and now < deadline]
    if not pending:
        return None
    due = [(at, h) for at, h in pending if at <= now]
    if due:
        at, h = due[-1]
        return h, now
    at, h = pending[0]
    return h, at


def superseded_by_due(
    deadline: datetime, hours_before: tuple[int, ...], chosen: int, now: datetime
) -> list[int]:
    """Reminders due as well when `chosen` is sent now: they are skipped (one reminder is enough)."""
    return [h for h in hours_before if h != chosen and deadline - timedelta(hours=h) <= now]


def check_move(closed: bool, current_revision: int, revision: int, new_deadline: datetime) -> None:
    if new_deadline.tzinfo is None:
        raise InvalidArgument("new_deadline", "needs an offset, e.g. 2026-12-25T18:00:00+05:00")
    if closed:
        raise FailedPrecondition(
            "the sections are already closed; a later deadline cannot reopen them", field="control_event_id"
        )
    if revision <= current_revision:
        raise FailedPrecondition(
            f"revision {revision} is not newer than the deadline's revision {current_revision}",
            field="revision",
        )
