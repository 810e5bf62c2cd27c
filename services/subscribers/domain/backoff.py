"""When a failed delivery is tried again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta


def next_attempt(attempts: int, now: datetime, delays: Sequence[float]) -> datetime | None:
    """After the `attempts`-th failed try: when to try again, or None when it goes to dead letters."""
    if attempts > len(delays):
        return None
    return now + timedelta(seconds=delays[attempts - 1])
