"""Running an import: read the whole file, check every row, and apply all of it or nothing.

1. read (CSV or XLSX) - an unreadable file is one error;
2. prepare: every row is checked, against the file and the stored data; all problems are collected;
3. apply inside the same transaction; use cases may find more problems (each item in a savepoint);
4. any problem: roll everything back and report every problem with sheet, row, column and reason in
   the user's language; otherwise commit the changes, their events and the import record together.
The same file imported again (same kind, year and content hash) is answered "unchanged" at once; a
different file with the same rows changes nothing either, because every row has a stable id.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ResourceScope, grant_covers, missing_is_refused, refusal
from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument
from services.curriculum.adapters import imports_repo
from services.curriculum.adapters.ids import need_id
from services.curriculum.adapters.lookups import get
from services.curriculum.adapters.models import AcademicYear, University
from services.curriculum.adapters.records import record as record_of
from services.curriculum.adapters.spreadsheets import UnreadableFile, read_file
from services.curriculum.domain import records as rec
from services.curriculum.domain.imports.messages import LANGUAGES, Issue
from services.curriculum.service_layer import audit
from services.curriculum.service_layer.deps import Deps
from services.curriculum.service_layer.imports.base import ImportContext, Importer, SyncCounts
from services.curriculum.service_layer.imports.contingent_import import ContingentImporter
from services.curriculum.service_layer.imports.control_event_import import ControlEventImporter
from services.curriculum.service_layer.imports.curriculum_import import CurriculumImporter
from services.curriculum.service_layer.imports.load_import import TeachingLoadImporter
from services.curriculum.service_layer.imports.schedule_import import LessonPlanImporter, ScheduleImporter

IMPORTERS: dict[str, Callable[[], Importer]] = {
    "contingent": ContingentImporter,
    "curriculum": CurriculumImporter,
    "teaching_load": TeachingLoadImporter,
    "lesson_plan": LessonPlanImporter,
    "schedule": ScheduleImporter,
    "control_events": ControlEventImporter,
}
MAX_ERRORS = 1000
# The kinds a sync import supports (the others are refused with sync set).
SYNC_KINDS = ("contingent", "schedule", "teaching_load", "curriculum", "lesson_plan", "control_events")


@dataclass(frozen=True, kw_only=True)
class RunImport:
    kind: str
    file_name: str
    content: bytes
    academic_year_id: str
    language: str = "ru"
    file_format: str = ""
    dry_run: bool = False
    reason: str = ""
    # Sync mode (issue 22): rows of the kind, in the file's scope, missing from the file are removed.
    sync: bool = False
    # Contingent sync: the expulsion order ending the placements of students the file leaves out.
    sync_order_number: str = ""
    sync_order_date: str = ""


@dataclass
class ImportOutcome:
    import_id: str
    status: str
    rows_total: int = 0
    rows_changed: int = 0
    errors: list[dict[str, str | int]] = field(default_factory=list)
    errors_truncated: bool = False
    # Rows added, updated and removed (or, in a dry run, that would be); removals refused (errors say why).
    counts: SyncCounts = field(default_factory=SyncCounts)


async def _quiet(stage: str, done: int, total: int) -> None:
    return None


def rendered(issues: list[Issue], language: str) -> tuple[list[dict[str, str | int]], bool]:
    ordered = sorted(issues, key=lambda i: (i.sheet, i.row, i.column))
    return [
        {"sheet": i.sheet, "row": i.row, "column": i.column, "code": i.code, "reason": i.reason(language)}
        for i in ordered[:MAX_ERRORS]
    ], len(ordered) > MAX_ERRORS


async def run_import(
    deps: Deps,
    principal: Principal,
    cmd: RunImport,
    *,
    progress: Callable[[str, int, int], Awaitable[None]] = _quiet,
) -> ImportOutcome:
    if cmd.kind not in IMPORTERS:
        raise InvalidArgument("kind", f"{cmd.kind!r} is not one of: {', '.join(IMPORTERS)}")
    language = cmd.language if cmd.language in LANGUAGES else "ru"
    sync_order = sync_order_of(cmd)
    year_id = need_id(cmd.academic_year_id, "academic_year_id")
    digest = hashlib.sha256(cmd.content).hexdigest()
    import_id = uuid.uuid4()

    async def record(uow_session: AsyncSession, status: str, outcome: ImportOutcome) -> None:
        imports_repo.add(
            uow_session,
            id=import_id,
            kind=f"{cmd.kind}:{year_id}",
            file_name=cmd.file_name,
            sha256=digest,
            status=status,
            rows_total=outcome.rows_total,
            rows_changed=outcome.rows_changed,
            errors=outcome.errors,
            errors_truncated=outcome.errors_truncated,
            rows_added=outcome.counts.added,
            rows_updated=outcome.counts.updated,
            rows_removed=outcome.counts.removed,
            removals_refused=outcome.counts.refused,
            sync=cmd.sync,
            language=language,
            created_by=principal.subject,
            created_at=deps.clock(),
            finished_at=deps.clock(),
        )

    async def finish(status: str, outcome: ImportOutcome) -> ImportOutcome:
        outcome.status = status
        async with deps.uow() as uow:
            await record(uow.session, status, outcome)
            await uow.commit()
        return outcome

    await progress("reading", 0, 0)
    try:
        sheets = read_file(cmd.content, cmd.file_name, cmd.file_format)
    except UnreadableFile as error:
        issue = Issue("", 0, "", error.code, {"value": error.detail})
        errors, _ = rendered([issue], language)
        return await finish("rejected", ImportOutcome(str(import_id), "rejected", errors=errors))
    total_rows = sum(len(s.rows) for s in sheets)
    async with deps.uow() as uow:
        s = uow.session
        with missing_is_refused("curriculum.manage"):  # a missing year like another university's
            year = await get(s, AcademicYear, year_id, "academic_year_id", "academic year")
            university = await get(s, University, year.university_id, "academic_year_id", "university")
        # One import of a kind per academic year at a time: they would check against each other's rows.
        await imports_repo.lock(s, f"import:{cmd.kind}:{year_id}")
        same = await imports_repo.applied_before(s, f"{cmd.kind}:{year_id}", digest)
        if same is not None and not cmd.dry_run and not cmd.sync:
            await record(s, "unchanged", ImportOutcome(str(import_id), "unchanged", total_rows))
            await uow.commit()
            return ImportOutcome(str(import_id), "unchanged", total_rows)
        ctx = ImportContext(
            uow, principal, record_of(rec.AcademicYear, year), record_of(rec.University, university),
            deps.clock(), cmd.reason, progress,
            sync=cmd.sync, sync_order=sync_order,
        )  # fmt: skip
        importer = IMPORTERS[cmd.kind]()
        rows_total = await importer.prepare(ctx, sheets)
        await progress("validating", rows_total, rows_total)
        changed = 0
        if not ctx.issues:
            # A dry run applies everything too (removals included) and is rolled back below: its
            # preview is exactly what a real run would apply.
            changed = await importer.apply(ctx)
        if ctx.issues:
            errors, truncated = rendered(ctx.issues, language)
            outcome = ImportOutcome(str(import_id), "rejected", rows_total, 0, errors, truncated, ctx.counts)
        elif cmd.dry_run:
            outcome = ImportOutcome(str(import_id), "validated", rows_total, changed, counts=ctx.counts)
        else:
            changed += ctx.counts.removed
            status = "applied" if changed else "unchanged"
            outcome = ImportOutcome(str(import_id), status, rows_total, changed, counts=ctx.counts)
            await record(s, status, outcome)
            await audit.record(
                s,
                actor=principal.subject,
                action=f"import_{status}",
                entity="import",
                entity_id=import_id,
                reason=cmd.reason,
                after={
                    "kind": cmd.kind,
                    "file_name": cmd.file_name,
                    "rows": rows_total,
                    "changed": changed,
                    "sync": cmd.sync,
                    "added": ctx.counts.added,
                    "updated": ctx.counts.updated,
                    "removed": ctx.counts.removed,
                },
            )
            await uow.commit()
            return outcome
    # Rejected or a dry run: the transaction above was rolled back; only the record stays.
    return await finish(outcome.status, outcome)


def sync_order_of(request: RunImport) -> tuple[str, date] | None:
    """Check the sync fields: sync only for SYNC_KINDS; the contingent's movement order, when given
    (it ends the placements a sync file leaves out, and transfers the students a file puts in another
    group of their course, in either mode)."""
    if request.sync and request.kind not in SYNC_KINDS:
        raise InvalidArgument("sync", f"sync mode is available for: {', '.join(SYNC_KINDS)}")
    if not request.sync and request.kind != "contingent":
        return None
    number, signed = request.sync_order_number.strip(), request.sync_order_date.strip()
    if not number and not signed:
        return None
    if not number:
        raise InvalidArgument("sync_order_number", "name the order that ends the placements")
    try:
        return number, date.fromisoformat(signed)
    except ValueError:
        raise InvalidArgument("sync_order_date", "a date as YYYY-MM-DD") from None


def _year_of(kind: str) -> uuid.UUID | None:
    """The academic year an import's kind names (`schedule:<year id>`)."""
    try:
        return uuid.UUID(kind.rpartition(":")[2])
    except ValueError:
        return None


async def get_import(deps: Deps, principal: Principal, import_id: str) -> rec.Import:
    iid = need_id(import_id, "import_id")
    async with deps.uow() as uow:
        row = await imports_repo.find(uow.session, iid)
        # A missing import is refused like someone else's (issue 13); besides its author, the
        # administrator and the registrar head of its university read it (its kind names the year).
        if row is None:
            raise refusal("curriculum.manage")
        if row.created_by == principal.subject:
            return row
        year_id = _year_of(row.kind)
        university = await imports_repo.university_of_year(uow.session, year_id) if year_id else None
        where = ResourceScope(university_id=str(university)) if university else None
        if where is None or not any(
            g.role in ("administrator", "registrar_head") and grant_covers(g, where) for g in principal.roles
        ):
            raise refusal("curriculum.manage")
        return row
