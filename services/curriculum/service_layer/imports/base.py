"""What every importer shares: the import's context (transaction, caller, year, issues) and the way a
use case's refusal of one item becomes issues on that item's rows, inside a savepoint so that the
other items are still checked and the whole import can be rolled back at the end."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import DomainError, ValidationFailed
from services.curriculum.adapters import imports_repo
from services.curriculum.adapters.imports_repo import GroupInfo
from services.curriculum.adapters.spreadsheets import Sheet
from services.curriculum.domain import records as rec
from services.curriculum.domain.imports.messages import MESSAGES, Issue

Progress = Callable[[str, int, int], Awaitable[None]]


@dataclass
class SyncCounts:
    """What an import did (or, in a dry run, would do): rows added, updated, removed; removals refused."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    refused: int = 0


@dataclass
class ImportContext:
    uow: UnitOfWork
    principal: Principal
    year: rec.AcademicYear
    university: rec.University
    now: datetime
    reason: str
    progress: Progress
    issues: list[Issue] = field(default_factory=list)
    # Sync mode (issue 22): rows of the kind, in the file's scope, missing from the file are removed.
    sync: bool = False
    # The order that ends the placements of students missing from a contingent file (number, date).
    sync_order: tuple[str, date] | None = None
    counts: SyncCounts = field(default_factory=lambda: SyncCounts())

    @property
    def session(self) -> Any:
        return self.uow.session


async def groups_of_year(ctx: ImportContext) -> dict[str, GroupInfo]:
    return await imports_repo.groups_of_year(ctx.session, ctx.year.id)


class Importer(Protocol):
    async def prepare(self, ctx: ImportContext, sheets: Sequence[Sheet]) -> int:
        """Read and check every row (issues into ctx); return the number of data rows."""
        ...

    async def apply(self, ctx: ImportContext) -> int:
        """Apply what prepare kept; return how many rows changed something. May add issues.
        In sync mode (only the kinds in runner.SYNC_KINDS) also remove what the file left out."""
        ...


async def attempt(
    ctx: ImportContext,
    sheet: str,
    rows: Sequence[int],
    columns: dict[str, str],
    action: Callable[[], Awaitable[Any]],
) -> Any:
    """Run one item's use case in a savepoint; a refusal becomes issues on its rows (by field name)."""
    try:
        async with ctx.session.begin_nested():
            return await action()
    except ValidationFailed as error:
        for field_name, reason in error.violations:
            row, column = locate(field_name, rows, columns)
            ctx.issues.append(Issue(sheet, row, column, "rejected", {"value": reason}))
    except DomainError as error:
        row, column = locate(error.field or "", rows, columns)
        if error.wording is not None and error.wording.key in MESSAGES:
            # A refusal the service words itself (a closed section): in the registrar's language.
            ctx.issues.append(Issue(sheet, row, column, error.wording.key, dict(error.wording.values)))
        else:
            ctx.issues.append(Issue(sheet, row, column, "rejected", {"value": error.reason}))
    return None


def locate(field_name: str, rows: Sequence[int], columns: dict[str, str]) -> tuple[int, str]:
    """`items[3].date` -> (the 4th row of the item, the date column); `title` -> (first row, its column)."""
    row = rows[0] if rows else 0
    name = field_name
    if field_name.startswith(("items[", "parts[")):
        index = int(field_name[field_name.index("[") + 1 : field_name.index("]")])
        if field_name.startswith("parts["):
            index += 1  # the unit's own row comes first
        row = rows[index] if index < len(rows) else row
        name = field_name.split(".", 1)[1] if "." in field_name else ""
    return row, columns.get(name, name)
