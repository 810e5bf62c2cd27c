"""What a notice is: its category, who it is for, and what must be said (pure; no I/O).

A notice is about one event and one recipient; its id is derived from both, so a replayed event
finds its notices already there and nothing is sent twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from services.notifier.domain.wording import Said

NOTICE_NAMESPACE = uuid.UUID("2f7f5b7e-6a0c-4c59-9d47-5b4f0a0f1717")


class Category(StrEnum):
    DEADLINE = "deadline"
    REOPEN_STEP = "reopen_step"
    SANCTION = "sanction"
    DISPUTE = "dispute"
    TASK = "task"
    SECTION_CLOSED = "section_closed"
    ABSENCE = "absence"
    CHECK = "check"


# Legal notices cannot be turned off: the regulations' 2-day deadlines run only if people are told.
LEGAL = frozenset({Category.DEADLINE, Category.REOPEN_STEP, Category.SANCTION})


class Delivery(StrEnum):
    IMMEDIATE = "immediate"
    DAILY_DIGEST = "daily_digest"
    OFF = "off"


@dataclass(frozen=True)
class Recipient:
    person_id: str
    full_name: str = ""
    email: str = ""
    telegram_chat_id: str = ""
    language: str = "ru"
    timezone: str = "Asia/Almaty"
    quiet_from_hour: int = 0
    quiet_to_hour: int = 0
    digest_hour: int = 18
    preferences: Mapping[str, str] = field(default_factory=dict)
    university_id: str = ""

    def delivery_for(self, category: Category) -> Delivery:
        chosen = self.preferences.get(category.value, Delivery.IMMEDIATE.value)
        delivery = Delivery(chosen) if chosen in Delivery.__members__.values() else Delivery.IMMEDIATE
        if delivery is Delivery.OFF and category in LEGAL:
            return Delivery.IMMEDIATE
        return delivery

    def channels(self) -> list[tuple[str, str]]:
        """(channel, address) for every way this person can be reached."""
        found = [("email", self.email)] if self.email else []
        return found + ([("telegram", self.telegram_chat_id)] if self.telegram_chat_id else [])


@dataclass(frozen=True)
class Audience:
    """Who an event's notice goes to: people by id, holders of a role in a scope, students' parents."""

    person_ids: tuple[str, ...] = ()
    role: str = ""
    scope_type: str = ""
    scope_id: str = ""
    parents_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoticeSpec:
    """What one event asks to tell: a template and its values, to be rendered per recipient."""

    template: str
    category: Category
    audience: Audience
    params: Mapping[str, Said] = field(default_factory=dict)
    deadline: datetime | None = None
    link_path: str = ""
    # Who is late (an escalation names them), resolved to names for the message.
    overdue: Audience | None = None
    # Template values that are people: name -> person id, resolved to their full names.
    named: Mapping[str, str] = field(default_factory=dict)
    # Template values that are journals: name -> journal ids, shown by discipline, group, lesson type.
    journals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Distinguishes several specs of one event (e.g. the teacher's and the curator's notice).
    part: str = ""


def notice_id(event_id: str, part: str, person_id: str) -> str:
    return str(uuid.uuid5(NOTICE_NAMESPACE, f"{event_id}|{part}|{person_id}"))
