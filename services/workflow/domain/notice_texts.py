"""What the workflow's notices say, as catalog keys: English with `{name}` placeholders.

A notice carries its key and its values, and the notifier says it in each recipient's language from
its catalogs (services/notifier/locale); the English text is also sent for subscribers that read prose.
A value named `*_at` is an RFC 3339 instant and one named `*_on` an ISO date (the notifier shows both
in the recipient's zone and language); one named `*_person` is a person id (shown as the full name);
`journal` is a journal id and `journals` journal ids joined by ", " (each shown by its discipline, group
and lesson type); `control_event` is a control event's id, sent with `control_event_kind` (current,
midterm, intermediate_attestation, final_attestation) and `control_event_on` (its ISO date), by which the
notifier names it.
tests/contract/test_notice_texts.py fails while a key here lacks a ru, kk or ky translation with the
same placeholders.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

# Reopen case (KZ-08, KZ-13): the subjects.
VISA_REQUESTED = {role: f"visa requested ({role})" for role in ("department_head", "dean_curation", "dean")}
COUNCIL_DECISION_NEEDED = "council decision needed"
CASE_OVERDUE = "reopen case overdue"
CASE_OVERDUE_ESCALATED = "reopen case overdue (escalated)"
REOPEN_THE_JOURNAL = "reopen the journal"
REOPEN_APPROVED = "reopen approved"
JOURNAL_REOPENED = "journal reopened: correct it and form the individual statement"
RECLOSED_LATE = "the section re-closed at the deadline; lateness recorded"
CORRECTION_LATE = "correction late: section re-closed"
CASE_ENDED = {action: f"reopen case {action}" for action in ("rejected", "withdrawn")}
CONFIRM_MEASURE = "confirm the disciplinary measure"
# Reopen case: the details.
ABOUT_CASE = "journal {journal}, section {section}, teacher {teacher_person}"
REOPEN_REQUEST = "reopen request: " + ABOUT_CASE
ALL_VISAS_GIVEN = "all visas given: " + ABOUT_CASE
COUNCIL_WAS_DUE = "the council's decision was due {due_at}: " + ABOUT_CASE
COUNCIL_APPROVED = "the council approved: " + ABOUT_CASE
COUNCIL_APPROVED_TEACHER = "the dean's council approved; the registrar reopens next"
NO_CORRECTION_BY = "no correction by {due_at}: " + ABOUT_CASE
# Text written by a person (a rejection's reason, a measure's description): passed on as it is.
AS_WRITTEN = "{detail}"

# Closing deadline (KZ-05).
CELLS_UNFILLED_BEFORE_CLOSING = "{cells} cells unfilled; the sections close at the deadline"
CONTROL_EVENT_CLOSES = "control event {control_event} closes {deadline_at} (KZ-05)"

# Statement deadline (KZ-15).
STATEMENT_DUE = "the statement of control event {control_event} is due {deadline_at} (KZ-15)"
FILL_FOR_STATEMENT = "{cells} cells unfilled in journal {journal}; fill them so the statement can be formed"
JOURNALS_INCOMPLETE = "{count} journals still incomplete before the statement deadline: {journals}"
STATEMENT_LATE = "statement not formed by the deadline: {cells} cells unfilled in journal {journal}"

# Daily (KZ-09) and weekly (KG-08) checks.
LESSON_DAY_UNGRADED = "lesson day without grades"
NO_GRADES_ON_DAY = (
    "journal {journal}: no current-control grades on {lesson_on}; "
    "a unit of {days} days is graded every day (KZ-09)"
)
WEEKLY_FINDINGS = "weekly journal check: findings"
WEEK_OF_JOURNAL = "week of {week_on}, journal {journal}: {findings}"
WEEKLY_CHECK = "weekly journal check (KG-08)"
WEEK_SUMMARY = "week of {week_on}: {checked} journals checked, {flagged} with findings"
# The weekly check's findings, listed at WEEK_OF_JOURNAL's {findings} (each said in the reader's language).
LESSONS_WITHOUT_MARKS = "{empty} of {lessons} lessons without marks"
CELLS_EMPTY = "{empty} of {cells} cells empty"
NO_ATTENDANCE = "no attendance recorded"

# Monthly backup (KZ-16).
BACKUP_FAILED = "the monthly backup failed"
BACKUP_ERROR = "{failed_at}: {error}"


def every_key() -> list[str]:
    """Every key above (the contract test checks each against the notifier's catalogs)."""
    keys: list[str] = []
    for name, value in globals().items():
        if name.isupper():
            keys += list(value.values()) if isinstance(value, dict) else [value]
    return keys


def english(key: str, values: Mapping[str, str]) -> str:
    """The text in English, placeholders filled; a placeholder without a value stays as written."""
    fields = {name for _, name, _, _ in string.Formatter().parse(key) if name}
    return key.format_map({name: values.get(name, f"{{{name}}}") for name in fields})
