"""Loading a journal with what decides access to it (read by adapters/journals_sql.py) and refusing a
caller who may not act on it, without revealing whether it exists."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import require
from ejournal_platform.binary_statements import driver_connection
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from services.gradebook.adapters import journals_sql
from services.gradebook.domain.journal import JournalView

__all__ = [
    "JournalView",
    "authorize",
    "authorized_journal",
    "load_journal",
    "load_journals",
    "parse_id",
    "refusal",
    "roster",
]


def parse_id(value: str, field_name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise InvalidArgument(field_name, f"{value!r} is not an id (UUID)") from None


async def load_journal(
    session: AsyncSession, journal_id: uuid.UUID, day: date, *, for_subject: str | None = None
) -> JournalView:
    """The journal and who may write it on `day`. With `for_subject`, substitutions are looked up only
    if that person is not one of the journal's own teachers (the hot path of a teacher's write)."""
    found = await journals_sql.fetch_journal(await driver_connection(session), journal_id, day, for_subject)
    if found is None:
        raise NotFound(f"journal {journal_id} not found", field="journal_id")
    return found


async def load_journals(session: AsyncSession, journal_ids: list[uuid.UUID], day: date) -> list[JournalView]:
    """Several journals (a page of a list) in a constant number of round trips, in the order asked."""
    return await journals_sql.fetch_journals(await driver_connection(session), journal_ids, day)


def refusal(principal: Principal | None, action: str) -> Exception:
    """What a caller hears about something missing: exactly what they would hear about someone
    else's, so the answer reveals no existence."""
    if principal is None:
        return Unauthenticated("a bearer token is required", field="authorization")
    return PermissionDenied(f"permission denied: {action}")


def authorize(principal: Principal | None, action: str, journal: JournalView | None) -> JournalView:
    """The journal, if the caller may perform `action` on it; a missing one (None) is refused exactly
    like someone else's."""
    if journal is None:
        raise refusal(principal, action)
    require(principal, action, journal.scope())
    return journal


async def authorized_journal(
    session: AsyncSession, principal: Principal | None, action: str, journal_id: uuid.UUID, day: date
) -> JournalView:
    """The journal, if the caller may perform `action` on it; otherwise PermissionDenied (no hint): a
    missing journal is refused exactly like someone else's, so the answer reveals no existence."""
    found = await journals_sql.fetch_journal(
        await driver_connection(session),
        journal_id,
        day,
        principal.subject if principal is not None else None,
    )
    return authorize(principal, action, found)


async def roster(session: AsyncSession, journal: JournalView) -> dict[uuid.UUID, uuid.UUID | None]:
    return await journals_sql.fetch_roster(
        await driver_connection(session), journal.group_id, journal.subgroup_id
    )
