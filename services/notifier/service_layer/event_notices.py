"""Which events call for a notice, and what each one says: event payload -> NoticeSpecs (pure).

Subjects consumed: `ejournal.workflow.v1.NotificationRequested` (reopen steps, closing reminders, daily
and weekly checks, escalations), `SanctionConfirmed`, and the gradebook's `DisputeOpened` and
`SectionClosed`. Absences in a row need state and are handled in `absences.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from google.protobuf.message import Message

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.workflow.v1 import events_pb2 as wf
from services.notifier.domain.notices import Audience, Category, NoticeSpec
from services.notifier.domain.wording import Phrase, Phrases, Said, control_event_title

CATEGORY_OF_KIND = {
    "reopen_case": Category.REOPEN_STEP,
    "closing": Category.DEADLINE,
    "fill_check": Category.CHECK,
    "weekly_check": Category.CHECK,
}
UNFILLED = re.compile(r"^(\d+) cells unfilled")
MEASURES = {"verbal_warning": "verbal warning", "warning": "warning", "reprimand": "reprimand"}
MY_TASKS = "/api/v1/my/tasks"
# Values that are journal ids: one, or several joined by ", " (notice_texts.py in the workflow).
JOURNAL_VALUES = ("journal", "journals")
# A control event's kind and date, sent beside its id (`control_event`): the id is then shown as both.
CONTROL_EVENT_DETAILS = ("control_event_kind", "control_event_on")


def journal_ids(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def instant(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def notification_requested(e: wf.NotificationRequested) -> list[NoticeSpec]:
    audience = Audience(
        person_ids=(e.recipient_id,) if e.recipient_id else (),
        role=e.recipient_role if not e.recipient_id else "",
        scope_type=e.scope_type,
        scope_id=e.scope_id,
    )
    category = CATEGORY_OF_KIND.get(e.kind, Category.TASK)
    link = f"/api/v1/reopen-cases/{e.about_id}" if e.kind == "reopen_case" and e.about_id else MY_TASKS
    unfilled = UNFILLED.match(e.what)
    # Values naming people are shown as their names, journals by their titles; the rest are the
    # texts' placeholders. A list of findings is said item by item in the reader's language.
    people = {name: pid for name, pid in e.values.items() if name.endswith("_person")}
    journals = {name: journal_ids(e.values[name]) for name in JOURNAL_VALUES if e.values.get(name)}
    values: dict[str, Said] = {
        name: v for name, v in e.values.items() if name not in people and name not in CONTROL_EVENT_DETAILS
    }
    if "control_event" in e.values:
        values["control_event"] = control_event_title(
            e.values["control_event"],
            e.values.get("control_event_kind", ""),
            e.values.get("control_event_on", ""),
        )
    if e.findings:
        values["findings"] = Phrases(tuple(Phrase(f.key, dict(f.values)) for f in e.findings))
    if e.kind == "closing" and unfilled:
        template, params = "closing_reminder", {"cells": unfilled.group(1)}
    else:
        # An older event has prose only: its English is then the key (catalog entries for the fixed ones).
        template, params = "notification", {**values, "what": e.what_key or e.what, "why": e.why_key or e.why}
    overdue = Audience(tuple(e.overdue_person_ids), e.overdue_role, e.overdue_scope_type, e.overdue_scope_id)
    late = overdue if overdue.person_ids or overdue.role else None
    deadline = instant(e.deadline)
    return [NoticeSpec(template, category, audience, params, deadline, link, overdue=late, named=people,
                       journals=journals)]  # fmt: skip


def dispute_opened(e: gb.DisputeOpened) -> list[NoticeSpec]:
    return [
        NoticeSpec(
            "dispute_opened",
            Category.DISPUTE,
            Audience(person_ids=tuple(e.teacher_ids)),
            {"value": e.disputed_value},
            instant(e.answer_due_at),
            f"/api/v1/disputes?journal_id={e.journal_id}",
            named={"student": e.student_id},
            journals={"journal": (e.journal_id,)},
        )
    ]


def section_closed(e: gb.SectionClosed) -> list[NoticeSpec]:
    return [
        NoticeSpec(
            "section_closed",
            Category.SECTION_CLOSED,
            Audience(person_ids=tuple(e.teacher_ids)),
            {"number": str(e.statement_number)},
            None,
            f"/api/v1/journals/{e.journal_id}/statements",
            journals={"journal": (e.journal_id,)},
        )
    ]


def sanction_confirmed(e: wf.SanctionConfirmed) -> list[NoticeSpec]:
    if e.subject == "department":  # a department's measure goes to its head
        audience = Audience(role="department_head", scope_type="department", scope_id=e.subject_id)
    else:
        audience = Audience(person_ids=(e.subject_id,))
    params = {"measure": MEASURES.get(e.measure, e.measure), "reference": e.reference}
    return [NoticeSpec("sanction_confirmed", Category.SANCTION, audience, params, None, "/api/v1/my/notices")]


Translate = Callable[[Message], list[NoticeSpec]]
# event type -> (payload class, its notices)
NOTICES: dict[str, tuple[type[Message], Translate]] = {
    wf.NotificationRequested.DESCRIPTOR.full_name: (wf.NotificationRequested, notification_requested),  # type: ignore[dict-item]
    wf.SanctionConfirmed.DESCRIPTOR.full_name: (wf.SanctionConfirmed, sanction_confirmed),  # type: ignore[dict-item]
    gb.DisputeOpened.DESCRIPTOR.full_name: (gb.DisputeOpened, dispute_opened),  # type: ignore[dict-item]
    gb.SectionClosed.DESCRIPTOR.full_name: (gb.SectionClosed, section_closed),  # type: ignore[dict-item]
}


def specs_for(event_type: str, data: bytes) -> list[NoticeSpec]:
    known = NOTICES.get(event_type)
    if known is None:
        return []
    payload_class, translate = known
    payload = payload_class()
    payload.ParseFromString(data)
    return translate(payload)
