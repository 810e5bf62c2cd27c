"""Retention (KG-12): journals and statements stay live for the profile's retention years after their
term; then they are archived.

Archiving writes one bundle (a zip) holding, per journal, its full rows (journal, sections, marks,
attendance as JSON) and its signed-printout PDF, and per statement, its content exactly as received
(the gradebook's Statement bytes) and its printout — then records each item (kind, id, term end, kept
until, bundle and SHA-256 of the bundle and of the item), marks the items archived and removes the
archived journals' cells from the live read models. Nothing is dropped before the bundle is on disk.
Running it again archives nothing twice (the record is the memory; a rebuild re-marks from it).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.context import Principal
from ejournal_platform.errors import FailedPrecondition
from ejournal_platform.pagination import Page
from services.reporting.adapters import archive_repo
from services.reporting.adapters import queries_documents as q
from services.reporting.adapters.pdf import render_pdf
from services.reporting.domain.retention import Retained, due_for_archive, keep_until
from services.reporting.service_layer.access import allow
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.documents.journal_printout import journal_printout_layout
from services.reporting.service_layer.documents.names import names_of
from services.reporting.service_layer.documents.render import statement_context
from services.reporting.service_layer.documents.statement import (
    record_of,
    statement_layout,
    term_title,
    unit_title,
)


def _json(rows: Any) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row._mapping.items()}
        for row in rows
    ]


async def candidates(session: AsyncSession) -> list[Retained]:
    ends = await archive_repo.term_ends(session)
    items = [
        Retained("journal", row.journal_id, ends[row.term_id], row.profile_code)
        for row in await archive_repo.live_journals(session)
        if row.term_id in ends and row.profile_code
    ]
    profiles = await archive_repo.journal_profiles(session)
    items += [
        Retained("statement", row.statement_id, ends[row.term_id], profiles.get(row.journal_id, ""))
        for row in await archive_repo.live_statements(session)
        if row.term_id in ends and profiles.get(row.journal_id)
    ]
    return items


async def _journal_entry(session: AsyncSession, journal_id: str) -> tuple[dict[str, bytes], str]:
    grid = await q.journal_grid(session, journal_id)
    assert grid is not None
    marks, attendance = await archive_repo.journal_cells(session, journal_id)
    rows = {
        "journal": _json([grid.journal]),
        "sections": _json(grid.sections),
        "marks": _json(marks),
        "attendance": _json(attendance),
    }
    names = await names_of(session, [*grid.students, *grid.journal.teacher_ids], [grid.journal.group_id])
    unit = await q.course_unit(session, grid.journal.course_unit_id)
    term = await q.term(session, grid.journal.term_id)
    layout = journal_printout_layout(grid, names, unit_title(unit), term_title(term))
    files = {
        f"journals/{journal_id}.json": json.dumps(
            rows, ensure_ascii=False, sort_keys=True, indent=1
        ).encode(),
        f"journals/{journal_id}.pdf": render_pdf(layout),
    }
    return files, layout.content_hash


async def _statement_entry(session: AsyncSession, statement_id: str) -> tuple[dict[str, bytes], str]:
    stored = await q.statement(session, statement_id)
    assert stored is not None
    header = json.dumps(
        _json([stored.row])[0] | {"content": None}, ensure_ascii=False, sort_keys=True
    ).encode()
    files = {f"statements/{statement_id}.json": header}
    if stored.content is None:
        return files, hashlib.sha256(header).hexdigest()
    raw = bytes(stored.row.content)
    files[f"statements/{statement_id}.pb"] = raw
    record = record_of(stored.content, await statement_context(session, stored.content))
    files[f"statements/{statement_id}.pdf"] = render_pdf(statement_layout(record))
    return files, hashlib.sha256(raw).hexdigest()


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


@dataclass(frozen=True, kw_only=True)
class RunRetention:
    as_of: date  # what is due for the archive on this day


async def run_retention(deps: Deps, principal: Principal, cmd: RunRetention) -> list[Any]:
    """Archive what is due into the server's archive folder (`deps.archive_dir`) and record it."""
    allow(principal, "report.archive")
    archive_dir = deps.archive_dir
    if archive_dir is None:
        raise FailedPrecondition("retention's archive folder is not configured on this server")
    as_of = cmd.as_of
    async with deps.unit_of_work() as uow:
        session = uow.session
        due = due_for_archive(await candidates(session), as_of)
        if not due:
            return []
        buffer = io.BytesIO()
        hashes: dict[tuple[str, str], str] = {}
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for item in due:
                entry = _journal_entry if item.kind == "journal" else _statement_entry
                files, item_hash = await entry(session, item.id)
                hashes[(item.kind, item.id)] = item_hash
                for name, data in files.items():
                    bundle.writestr(name, data)
            manifest = [{"kind": i.kind, "id": i.id, "sha256": hashes[(i.kind, i.id)]} for i in due]
            bundle.writestr(
                "manifest.json", json.dumps({"as_of": as_of.isoformat(), "items": manifest}, indent=1)
            )
    name = f"archive-{as_of.isoformat()}-{uuid.uuid4().hex[:8]}.zip"
    data = buffer.getvalue()
    await asyncio.to_thread(_write_durably, archive_dir / name, data)
    bundle_sha = hashlib.sha256(data).hexdigest()
    now = datetime.now(UTC)
    records = [
        {
            "archive_id": str(uuid.uuid4()),
            "kind": item.kind,
            "item_id": item.id,
            "profile_code": item.profile_code,
            "term_ends_on": item.term_ends_on,
            "kept_until": keep_until(item),
            "archived_at": now,
            "bundle": name,
            "bundle_sha256": bundle_sha,
            "item_sha256": hashes[(item.kind, item.id)],
            "archived_by": principal.subject,
        }
        for item in due
    ]
    journals = [i.id for i in due if i.kind == "journal"]
    statements = [i.id for i in due if i.kind == "statement"]
    async with deps.unit_of_work() as uow:
        session = uow.session
        await archive_repo.add_records(session, records)
        await archive_repo.mark_archived(session, journals, statements)
        await uow.commit()
    return records


async def reapply_archive_marks(deps: Deps) -> None:
    """After a rebuild the replay brings archived items back: archive them again from the records."""
    async with deps.unit_of_work() as uow:
        session = uow.session
        journals, statements = await archive_repo.archived_items(session)
        await archive_repo.mark_archived(session, journals, statements)
        await uow.commit()


async def list_records(deps: Deps, principal: Principal, item_id: str, page: Page) -> tuple[list[Any], str]:
    """One page of archive records, oldest first, and the next page's token."""
    allow(principal, "report.archive")
    async with deps.unit_of_work() as uow:
        return await archive_repo.records_page(uow.session, item_id, page)
