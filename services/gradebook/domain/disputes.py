"""Grade disputes (KG-10): a student reports a wrong grade; the teacher must answer within the
profile's deadline, accepting (the mark is corrected through the normal write path) or rejecting
with a reason. Both sides see the thread."""

from __future__ import annotations

from datetime import datetime, timedelta

OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
DECISIONS = (ACCEPTED, REJECTED)


class DisputeRuleBroken(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def answer_due(opened_at: datetime, answer_days: int) -> datetime:
    return opened_at + timedelta(days=answer_days)


def is_overdue(status: str, due: datetime, now: datetime) -> bool:
    return status == OPEN and now > due


def check_answer(status: str, decision: str, reason: str, corrected_value: str) -> None:
    if status != OPEN:
        raise DisputeRuleBroken("dispute_id", f"the dispute is already {status}")
    if decision not in DECISIONS:
        raise DisputeRuleBroken("decision", f"{decision!r} is not one of: accepted, rejected")
    if decision == REJECTED and not reason.strip():
        raise DisputeRuleBroken("reason", "a rejection needs a reason the student can read")
    if decision == ACCEPTED and not corrected_value.strip():
        raise DisputeRuleBroken("corrected_value", "an acceptance needs the corrected mark")


def check_opening(message: str, current_value: str | None) -> None:
    if not message.strip():
        raise DisputeRuleBroken("message", "say what is wrong with the grade")
    if current_value is None:
        raise DisputeRuleBroken("column_id", "there is no grade in this cell to dispute")
