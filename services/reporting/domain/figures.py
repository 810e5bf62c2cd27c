"""Small arithmetic shared by the report figures: rates that never divide by zero, stable rounding."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rate(part: int, whole: int) -> Decimal | None:
    """part/whole as a percentage with one decimal; None when there is nothing to divide."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def text(value: Decimal | None) -> str:
    """A figure for a document or a proto field: empty when undefined."""
    return "" if value is None else format(value, "f")
