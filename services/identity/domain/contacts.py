"""A person's contacts and how they want to be told things (issue 17).

Legal notices — deadlines, reopen steps, sanctions — cannot be turned off: the regulations' deadlines
(2 days for an explanation, for the council, for a correction) only run fairly if people are told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ejournal_platform.errors import ValidationFailed
from services.identity.domain.people import EMAIL_PATTERN, LANGUAGES

LEGAL_CATEGORIES = ("deadline", "reopen_step", "sanction")
CATEGORIES = (*LEGAL_CATEGORIES, "dispute", "task", "section_closed", "absence", "check")
DELIVERIES = ("immediate", "daily_digest", "off")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")
DEFAULT_TIMEZONE = "Asia/Almaty"
# Until a person chooses, deadlines are shown in their university's time zone.
PROFILE_TIMEZONES = {"kz-medical": "Asia/Almaty", "kg-jasu": "Asia/Bishkek"}
DEFAULT_DIGEST_HOUR = 18


@dataclass(frozen=True)
class Contacts:
    person_id: str
    email: str = ""
    phone: str = ""
    telegram_chat_id: str = ""
    language: str = "ru"
    timezone: str = DEFAULT_TIMEZONE
    quiet_from_hour: int = 0
    quiet_to_hour: int = 0
    digest_hour: int = DEFAULT_DIGEST_HOUR
    preferences: dict[str, str] = field(default_factory=dict)
    version: int = 0


def _valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in available_timezones() or name == "UTC"


def validate_contacts(proposed: Contacts) -> Contacts:
    """The proposed contacts, trimmed, or ValidationFailed naming every wrong field."""
    problems: list[tuple[str, str]] = []
    email, phone = proposed.email.strip(), proposed.phone.strip()
    if email and not EMAIL_PATTERN.match(email):
        problems.append(("email", "is not an e-mail address"))
    if phone and not PHONE_PATTERN.match(phone):
        problems.append(("phone", "is not a phone number"))
    if proposed.language not in LANGUAGES:
        problems.append(("language", f"must be one of {', '.join(LANGUAGES)}"))
    if not _valid_timezone(proposed.timezone):
        problems.append(("timezone", "is not an IANA time zone such as Asia/Almaty"))
    for name in ("quiet_from_hour", "quiet_to_hour", "digest_hour"):
        if not 0 <= getattr(proposed, name) <= 23:
            problems.append((name, "must be an hour from 0 to 23"))
    for category, delivery in proposed.preferences.items():
        if category not in CATEGORIES:
            problems.append((f"preferences.{category}", f"unknown category; known: {', '.join(CATEGORIES)}"))
        elif delivery not in DELIVERIES:
            problems.append((f"preferences.{category}", f"must be one of {', '.join(DELIVERIES)}"))
        elif delivery == "off" and category in LEGAL_CATEGORIES:
            problems.append((f"preferences.{category}", "legal notices cannot be turned off"))
    if problems:
        raise ValidationFailed("the contacts cannot be saved", problems)
    return Contacts(
        person_id=proposed.person_id,
        email=email,
        phone=phone,
        telegram_chat_id=proposed.telegram_chat_id,
        language=proposed.language,
        timezone=proposed.timezone,
        quiet_from_hour=proposed.quiet_from_hour,
        quiet_to_hour=proposed.quiet_to_hour,
        digest_hour=proposed.digest_hour,
        preferences=dict(sorted(proposed.preferences.items())),
        version=proposed.version,
    )
