"""A journal's section (a control event's part of it) as the gradebook's events state it: the one field
list that the use case takes as its command (service_layer/journal_facts.LearnSection) and the store
upserts (adapters/section_store.upsert_section)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class SectionFacts:
    """A section scheduled or closed; empty fields are unknown to that event and keep what was known."""

    journal_id: str
    section: str
    control_kind: str = ""
    teacher_ids: tuple[str, ...] = ()
    department_id: str = ""
    faculty_id: str = ""
    term_id: str = ""
    profile_code: str = ""
    event_date: str = ""
    closed_at: datetime | None = None
    closed_by: str = ""
