"""Password policy and the lockout ladder (pure rules; hashing lives in adapters/passwords.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_LENGTH = 10
MAX_LENGTH = 128
# A few passwords people choose anyway; the length and class rules catch most of the rest.
COMMON = frozenset(
    {"password12", "qwerty1234", "1234567890", "0123456789", "qwertyuiop", "password123", "parol12345",
     "йцукенгшщз", "1q2w3e4r5t", "administrator", "ejournal123"}
)  # fmt: skip


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = MIN_LENGTH
    min_classes: int = 3  # of: lower-case, upper-case, digits, other

    def problem(self, password: str, *, login: str = "", names: tuple[str, ...] = ()) -> str | None:
        """Why the password is too weak, or None."""
        if len(password) < self.min_length:
            return f"must be at least {self.min_length} characters"
        if len(password) > MAX_LENGTH:
            return f"must be at most {MAX_LENGTH} characters"
        classes = sum(
            (
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            )
        )
        if classes < self.min_classes:
            return (
                f"must mix at least {self.min_classes} of: lower-case, upper-case, digits, other characters"
            )
        lowered = password.lower()
        if lowered in COMMON:
            return "is too common"
        if login and login.lower() in lowered:
            return "must not contain the login"
        if any(len(name) >= 3 and name.lower() in lowered for name in names):
            return "must not contain the person's name"
        return None


@dataclass(frozen=True)
class LockoutPolicy:
    """After `free_failures` wrong passwords in a row, each further one locks the account for a delay
    that doubles (base, 2x base, 4x base...) up to `max_delay`; a successful login resets the count."""

    free_failures: int = 3
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=30)

    def delay_after(self, failures: int) -> timedelta:
        if failures < self.free_failures:
            return timedelta(0)
        exponent = min(failures - self.free_failures, 20)
        delay: timedelta = self.base_delay * (2**exponent)
        return min(delay, self.max_delay)

    def locked_until(self, failures: int, failed_at: datetime) -> datetime | None:
        delay = self.delay_after(failures)
        return failed_at + delay if delay else None
