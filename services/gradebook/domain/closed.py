"""One refusal for every path into a closed section (KZ-05, KG-06): marks, attendance, check-in codes
and check-ins, disputes; the same key lets the gateway word it in the user's language."""

from __future__ import annotations

from ejournal_platform.errors import FailedPrecondition, Wording

SECTION_CLOSED = "section_closed"


def section_closed(field: str | None = None) -> FailedPrecondition:
    return FailedPrecondition(
        "this part of the journal is closed and read-only (KZ-05); a change needs a reopen (KZ-08, KZ-13)",
        field=field,
        wording=Wording(SECTION_CLOSED),
    )
