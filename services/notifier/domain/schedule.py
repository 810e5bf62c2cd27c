"""When a delivery is due: quiet hours, the daily digest at the person's hour, retries with backoff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.notifier.domain.notices import Delivery, Recipient


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:  # an unknown zone in old data must not stop delivery
        return ZoneInfo("UTC")


def in_quiet_hours(hour: int, quiet_from: int, quiet_to: int) -> bool:
    """[from, to) in local hours; it may wrap midnight (22 -> 7); equal bounds mean no quiet hours."""
    if quiet_from == quiet_to:
        return False
    if quiet_from < quiet_to:
        return quiet_from <= hour < quiet_to
    return hour >= quiet_from or hour < quiet_to


def next_local_hour(now: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The next instant (after now, or now itself on the hour) when the local clock shows `hour`:00."""
    local = now.astimezone(zone)
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate < local:
        candidate = (local + timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return candidate.astimezone(now.tzinfo)


def due_at(recipient: Recipient, delivery: Delivery, now: datetime) -> datetime:
    """When to send: the digest hour for a digest, else now, or the end of the quiet hours."""
    zone = _zone(recipient.timezone)
    if delivery is Delivery.DAILY_DIGEST:
        return next_local_hour(now, zone, recipient.digest_hour)
    if in_quiet_hours(now.astimezone(zone).hour, recipient.quiet_from_hour, recipient.quiet_to_hour):
        return next_local_hour(now, zone, recipient.quiet_to_hour)
    return now


def next_attempt(attempts: int, now: datetime, delays: Sequence[float]) -> datetime | None:
    """After `attempts` failed tries: when to try again, or None when it is time to dead-letter."""
    if attempts > len(delays):
        return None
    return now + timedelta(seconds=delays[attempts - 1])
