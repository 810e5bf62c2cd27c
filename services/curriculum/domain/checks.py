"""Field checks shared by the curriculum's rules: each problem is collected as (field, reason) so that a
request with several mistakes is answered with all of them at once, and nothing is changed."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from ejournal_platform.errors import ValidationFailed

TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Violations:
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, reason: str) -> None:
        self.items.append((field, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, message: str = "the request is invalid") -> None:
        if self.items:
            reasons = "; ".join(f"{field}: {reason}" for field, reason in self.items)
            raise ValidationFailed(f"{message}: {reasons}", list(self.items))


def text(value: str, field: str, v: Violations, *, max_length: int = 300) -> str:
    cleaned = value.strip()
    if not cleaned:
        v.add(field, "is required")
    elif len(cleaned) > max_length:
        v.add(field, f"is longer than {max_length} characters")
    return cleaned


def day(value: str, field: str, v: Violations, *, required: bool = True) -> date | None:
    cleaned = value.strip()
    if not cleaned:
        if required:
            v.add(field, "is required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        v.add(field, f"{cleaned!r} is not a date (YYYY-MM-DD)")
        return None


def time_of_day(value: str, field: str, v: Violations, *, required: bool = True) -> time | None:
    cleaned = value.strip()
    if not cleaned:
        if required:
            v.add(field, "is required (HH:MM)")
        return None
    if len(cleaned) == 8 and cleaned.endswith(":00"):  # spreadsheets write 09:00:00
        cleaned = cleaned[:5]
    if len(cleaned) == 4 and cleaned[1] == ":":
        cleaned = "0" + cleaned
    if not TIME_OF_DAY.match(cleaned):
        v.add(field, f"{value.strip()!r} is not a time of day (HH:MM)")
        return None
    return time.fromisoformat(cleaned)


def instant(value: str, field: str, v: Violations, *, required: bool = True) -> datetime | None:
    """An RFC 3339 instant; an offset is required, because a deadline without one is ambiguous."""
    cleaned = value.strip()
    if not cleaned:
        if required:
            v.add(field, "is required (RFC 3339, e.g. 2026-12-25T23:59:00+05:00)")
        return None
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        v.add(field, f"{cleaned!r} is not an instant (RFC 3339)")
        return None
    if parsed.tzinfo is None:
        v.add(field, "needs a UTC offset, e.g. +05:00")
        return None
    return parsed


def credits(value: str, field: str, v: Violations) -> Decimal:
    cleaned = value.strip().replace(",", ".") or "0"
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        v.add(field, f"{value!r} is not a number")
        return Decimal(0)
    if not number.is_finite() or number < 0 or number > 300:
        v.add(field, "must be between 0 and 300")
        return Decimal(0)
    return number


def positive(value: int, field: str, v: Violations, *, maximum: int = 10_000) -> int:
    if not 1 <= value <= maximum:
        v.add(field, f"must be between 1 and {maximum}")
    return value
