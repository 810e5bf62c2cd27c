"""Texts to be said in the reader's language: a catalog key with its values (pure; no I/O).

A value of a notice is plain text, a `Phrase` (a key whose values may be phrases themselves) or
`Phrases` (a list joined by a separator). The renderer says each in the recipient's language when it
renders the notice: the weekly check's findings, and a journal named by its discipline, group and
lesson type rather than by its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Phrase:
    key: str
    values: Mapping[str, Said] = field(default_factory=dict)


@dataclass(frozen=True)
class Phrases:
    items: tuple[Said, ...]
    separator: str = "; "


Said = str | Phrase | Phrases

# A journal's name, by which of its parts are known (the discipline always is, or the id is shown).
JOURNAL_TITLES = {
    (True, True): "“{discipline}” ({group}, {lesson_type})",
    (True, False): "“{discipline}” ({group})",
    (False, True): "“{discipline}” ({lesson_type})",
    (False, False): "“{discipline}”",
}
# The gradebook's lesson types (JournalOpened.lesson_type) as catalog keys.
LESSON_TYPES = {
    "lecture": "lecture",
    "practical": "practical",
    "seminar": "seminar",
    "laboratory": "laboratory",
    "clinical": "clinical",
    "self_study": "self-study",
}


# A control event's name, by which of its kind and date are known (the id is shown without either).
CONTROL_EVENT_TITLES = {
    (True, True): "“{kind}, {event_on}”",
    (True, False): "“{kind}”",
    (False, True): "“{event_on}”",
}
# The curriculum's control event kinds (the workflow's `control_event_kind` value) as catalog keys.
CONTROL_EVENT_KINDS = {
    "current": "current control",
    "midterm": "midterm control",
    "intermediate_attestation": "intermediate attestation",
    "final_attestation": "final attestation",
}


def every_key() -> list[str]:
    """The catalog keys this module says (the rendering tests check each is translated)."""
    return [
        *JOURNAL_TITLES.values(),
        *LESSON_TYPES.values(),
        *CONTROL_EVENT_TITLES.values(),
        *CONTROL_EVENT_KINDS.values(),
    ]


def control_event_title(control_event_id: str, kind: str, event_on: str) -> Said:
    """The control event as a reader knows it ("“рубежный контроль, 5 декабря 2026”"); its id while
    neither its kind nor its date came with the notice (an event raised before the workflow sent them).
    `event_on` is an ISO date: the renderer shows it in the reader's language."""
    if not kind and not event_on:
        return control_event_id
    values: dict[str, Said] = {}
    if kind:
        values["kind"] = Phrase(CONTROL_EVENT_KINDS.get(kind, kind))
    if event_on:
        values["event_on"] = event_on
    return Phrase(CONTROL_EVENT_TITLES[(bool(kind), bool(event_on))], values)


@dataclass(frozen=True)
class JournalNames:
    """What the notifier knows of a journal from its JournalOpened."""

    journal_id: str
    discipline: str = ""
    group: str = ""
    lesson_type: str = ""


def journal_title(journal: JournalNames) -> Said:
    """The journal as a reader knows it ("“ЖМ-21-01 Ішкі аурулар” (ЖМ-21-01, дәріс)"); its id while
    nothing is known of it (a journal opened before the notifier kept names)."""
    if not journal.discipline:
        return journal.journal_id
    values: dict[str, Said] = {"discipline": journal.discipline}
    if journal.group:
        values["group"] = journal.group
    if journal.lesson_type:
        values["lesson_type"] = Phrase(LESSON_TYPES.get(journal.lesson_type, journal.lesson_type))
    return Phrase(JOURNAL_TITLES[(bool(journal.group), bool(journal.lesson_type))], values)


def journal_list(journals: list[JournalNames]) -> Phrases:
    return Phrases(tuple(journal_title(j) for j in journals), ", ")
