"""KZ-15: statements per discipline are formed within a profile-set number of days after the final
control. Which events start the deadline, when it falls, and what each journal's outcome is on the day.

The teacher is reminded first, the department head is told later (escalation); on the deadline a
complete journal gets its statement formed by the process itself, an incomplete one is recorded late.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.workflow.domain import notice_texts as say
from services.workflow.domain.notices import Notice

# The control events after which a statement per discipline is due ("final control").
FINAL_CONTROL_KINDS = ("intermediate_attestation", "final_attestation")

END_OF_DAY = time(23, 59)


def is_final_control(kind: str) -> bool:
    return kind in FINAL_CONTROL_KINDS


def statement_deadline(event_date: date, days: int, like: datetime | None) -> datetime:
    """The end of the deadline's day, `days` after the event, in the zone of `like` (the event's
    closing deadline, which curriculum computed in the university's zone), or UTC without one."""
    zone = like.tzinfo if like is not None and like.tzinfo is not None else UTC
    return datetime.combine(event_date + timedelta(days=days), END_OF_DAY, zone)


def moved_deadline(event_date: date, days: int, closing_deadline: datetime) -> datetime:
    """The statement deadline after the registrar moved the closing deadline (KZ-06): still `days`
    after the final control, but never before the end of the new closing day. The process forms a
    statement by closing its section, which must not undercut the registrar's extension."""
    rule = statement_deadline(event_date, days, closing_deadline)
    closing_day = closing_deadline.astimezone(rule.tzinfo).date()
    return max(rule, datetime.combine(closing_day, END_OF_DAY, rule.tzinfo))


@dataclass(frozen=True)
class Alert:
    """One notice before the deadline: to the teachers ("remind") or their department head ("escalate")."""

    kind: str
    hours_before: int

    def at(self, deadline: datetime) -> datetime:
        return deadline - timedelta(hours=self.hours_before)


def alert_plan(remind_hours: tuple[int, ...], escalate_hours: tuple[int, ...]) -> tuple[Alert, ...]:
    """Every alert, earliest first (more hours before the deadline comes first)."""
    alerts = [Alert("remind", h) for h in remind_hours] + [Alert("escalate", h) for h in escalate_hours]
    return tuple(sorted(alerts, key=lambda a: (-a.hours_before, a.kind)))


@dataclass(frozen=True)
class JournalOutcome:
    """What happened to one journal of the event on the deadline: its statement formed, or late."""

    journal_id: str
    unfilled_cells: int

    @property
    def complete(self) -> bool:
        return self.unfilled_cells == 0


@dataclass(frozen=True)
class JournalDue:
    """A journal of the event with its outcome so far and its teachers (who are told first)."""

    outcome: JournalOutcome
    teacher_ids: tuple[str, ...]


@dataclass(frozen=True)
class EventNames:
    """What names a control event to a reader: its kind and ISO date (the notifier says both)."""

    kind: str = ""
    date: str = ""


def _due(control_event_id: str, deadline: datetime, names: EventNames) -> dict[str, str]:
    return {
        "control_event": control_event_id,
        "control_event_kind": names.kind,
        "control_event_on": names.date,
        "deadline_at": deadline.isoformat(),
    }


def _to_head(
    what: str, deadline: datetime | None, department_id: str, about: str, values: dict[str, str]
) -> Notice:
    return Notice(
        what, say.STATEMENT_DUE, deadline, "", "department_head", "department", department_id, about,
        values=values,
    )  # fmt: skip


def alert_notices(
    kind: str,
    control_event_id: str,
    deadline: datetime,
    department_id: str,
    journals: list[JournalDue],
    names: EventNames = EventNames(),
) -> tuple[Notice, ...]:
    """A reminder to each teacher of an incomplete journal, or one escalation to their department head."""
    incomplete = [j for j in journals if not j.outcome.complete]
    due = _due(control_event_id, deadline, names)
    if kind == "remind":
        return tuple(
            Notice(
                say.FILL_FOR_STATEMENT,
                say.STATEMENT_DUE,
                deadline,
                teacher,
                case_id=control_event_id,
                values={
                    **due,
                    "cells": str(j.outcome.unfilled_cells),
                    "journal": j.outcome.journal_id,
                },
            )
            for j in incomplete
            for teacher in j.teacher_ids
        )
    if not incomplete:
        return ()
    ids = ", ".join(j.outcome.journal_id for j in incomplete)
    values = {**due, "count": str(len(incomplete)), "journals": ids}
    return (_to_head(say.JOURNALS_INCOMPLETE, deadline, department_id, control_event_id, values),)


def late_notices(
    control_event_id: str,
    deadline: datetime,
    department_id: str,
    journal: JournalDue,
    names: EventNames = EventNames(),
) -> tuple[Notice, ...]:
    """The lateness of an incomplete journal, told to its teachers and their department head."""
    values = {
        **_due(control_event_id, deadline, names),
        "cells": str(journal.outcome.unfilled_cells),
        "journal": journal.outcome.journal_id,
    }
    what = say.STATEMENT_LATE
    to_teachers = tuple(
        Notice(what, say.STATEMENT_DUE, None, t, case_id=control_event_id, values=values)
        for t in journal.teacher_ids
    )
    return (*to_teachers, _to_head(what, None, department_id, control_event_id, values))
