"""What every report use case shares: the period, the scope check, names of keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from services.reporting.adapters.queries_filling import Scope
from services.reporting.service_layer.access import allow, caller_units


def parse_day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def of(cls, from_date: str, to_date: str, default_days: int = 7) -> Period:
        end = parse_day(to_date, "to_date") or today()
        start = parse_day(from_date, "from_date") or end - timedelta(days=default_days - 1)
        if start > end:
            raise InvalidArgument("from_date", f"{start} is after to_date {end}")
        return cls(start, end)

    @property
    def held_end(self) -> date:
        """Lessons after today have not taken place: they are neither filled nor unfilled."""
        return min(self.end, today())


def authorize_scope(principal: Principal, scope: Scope, action: str = "report.read") -> Scope:
    """The caller must reach the scope asked for: a dean their faculty, a head their department, a
    curator their group, a teacher their own journals (scope.teacher_id = themselves). Returns the
    scope limited to the caller's universities (issue 18): read it, not the one asked for."""
    allow(
        principal,
        action,
        faculty_id=scope.faculty_id,
        department_id=scope.department_id,
        group_id=scope.group_id,
        assignees=(scope.teacher_id,) if scope.teacher_id else (),
    )
    return replace(scope, units=caller_units(principal))


def key_name(key: str, people: Mapping[str, str], units: Mapping[str, str]) -> str:
    """A row's name: a person's (identity's events) or a structure unit's (curriculum's events)."""
    return people.get(key) or units.get(key) or ""
