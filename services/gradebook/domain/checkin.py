"""Rotating QR check-in codes (KG-09), better than a static classroom code.

The teacher's screen shows `<lesson_id>.<window>.<mac>` where window = floor(unix time / 30 s) and
mac = HMAC-SHA256(classroom secret, "ejournal-checkin|<lesson_id>|<window>"), truncated to 20 hex
characters (80 bits). A code proves its holder saw the screen during that window: it expires one
window later, names its lesson (a code of another lesson does not verify for this one), and cannot be
made without the classroom's secret. One check-in per student and lesson is kept by the database.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ROTATE_SECONDS = 30
MAC_HEX_CHARS = 20
# A code stays valid through the window after its own, so a scan at a boundary is not refused.
ACCEPTED_PAST_WINDOWS = 1


class CheckInRefused(ValueError):
    """Why a scanned code is refused; `reason` is one of: malformed, foreign, expired, not_yet_valid."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class CheckInCode:
    text: str
    lesson_id: str
    window: int
    valid_from: datetime
    valid_until: datetime


def window_at(moment: datetime) -> int:
    return math.floor(moment.timestamp() / ROTATE_SECONDS)


def window_start(window: int) -> datetime:
    return datetime.fromtimestamp(window * ROTATE_SECONDS, UTC)


def _mac(secret: bytes, lesson_id: str, window: int) -> str:
    message = f"ejournal-checkin|{lesson_id}|{window}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:MAC_HEX_CHARS]


def issue(secret: bytes, lesson_id: str, now: datetime) -> CheckInCode:
    window = window_at(now)
    start = window_start(window)
    return CheckInCode(
        f"{lesson_id}.{window}.{_mac(secret, lesson_id, window)}",
        lesson_id,
        window,
        start,
        start + timedelta(seconds=ROTATE_SECONDS),
    )


@dataclass(frozen=True)
class ScannedCode:
    lesson_id: str
    window: int
    mac: str


def parse(text: str) -> ScannedCode:
    parts = text.strip().split(".")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) != MAC_HEX_CHARS:
        raise CheckInRefused("malformed", "the scanned code is not an ejournal check-in code")
    try:
        lesson_id = str(uuid.UUID(parts[0]))
    except ValueError:
        raise CheckInRefused("malformed", "the scanned code names no lesson") from None
    return ScannedCode(lesson_id, int(parts[1]), parts[2].lower())


def verify(secret: bytes, scanned: ScannedCode, now: datetime) -> int:
    """The code's window if the code is genuine and current; otherwise CheckInRefused."""
    if not hmac.compare_digest(_mac(secret, scanned.lesson_id, scanned.window), scanned.mac):
        raise CheckInRefused("foreign", "the code was not shown for this lesson in its classroom")
    current = window_at(now)
    if scanned.window > current:
        raise CheckInRefused("not_yet_valid", "the code is not valid yet")
    if scanned.window < current - ACCEPTED_PAST_WINDOWS:
        raise CheckInRefused("expired", "the code has expired; scan the code on the screen now")
    return scanned.window
