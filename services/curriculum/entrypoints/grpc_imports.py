"""RPCs of imports: a server stream of progress messages ending with the result."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from ejournal.curriculum.v1 import curriculum_service_pb2 as pb
from ejournal_platform.authz import authenticated
from services.curriculum.entrypoints.rpc_base import Context, Rpcs
from services.curriculum.service_layer.imports.base import SyncCounts
from services.curriculum.service_layer.imports.runner import (
    ImportOutcome,
    RunImport,
    get_import,
    run_import,
)

KINDS = {
    pb.IMPORT_KIND_CONTINGENT: "contingent",
    pb.IMPORT_KIND_CURRICULUM: "curriculum",
    pb.IMPORT_KIND_TEACHING_LOAD: "teaching_load",
    pb.IMPORT_KIND_LESSON_PLAN: "lesson_plan",
    pb.IMPORT_KIND_SCHEDULE: "schedule",
    pb.IMPORT_KIND_CONTROL_EVENTS: "control_events",
}
FORMATS = {pb.FILE_FORMAT_CSV: "csv", pb.FILE_FORMAT_XLSX: "xlsx"}


def result_pb(o: ImportOutcome) -> pb.ImportResult:
    return pb.ImportResult(
        import_id=o.import_id,
        status=o.status,
        rows_total=o.rows_total,
        rows_changed=o.rows_changed,
        errors=[
            pb.ImportError(
                sheet=str(e["sheet"]),
                row=int(e["row"]),
                column=str(e["column"]),
                code=str(e["code"]),
                reason=str(e["reason"]),
            )
            for e in o.errors
        ],
        errors_truncated=o.errors_truncated,
        rows_added=o.counts.added,
        rows_updated=o.counts.updated,
        rows_removed=o.counts.removed,
        removals_refused=o.counts.refused,
    )


class ImportRpcs(Rpcs):
    async def ImportFile(
        self, request: pb.ImportFileRequest, context: Context
    ) -> AsyncIterator[pb.ImportFileResponse]:
        updates: asyncio.Queue[pb.ImportProgress] = asyncio.Queue()

        async def progress(stage: str, done: int, total: int) -> None:
            updates.put_nowait(pb.ImportProgress(stage=stage, rows_done=done, rows_total=total))

        job = asyncio.create_task(
            run_import(
                self.deps,
                authenticated(),
                RunImport(
                    kind=KINDS.get(request.kind, "unspecified"),
                    file_name=request.file_name,
                    content=request.content,
                    academic_year_id=request.academic_year_id,
                    language=request.language or "ru",
                    file_format=FORMATS.get(request.format, ""),
                    dry_run=request.dry_run,
                    reason=request.reason,
                    sync=request.sync,
                    sync_order_number=request.sync_order_number,
                    sync_order_date=request.sync_order_date,
                ),
                progress=progress,
            )
        )
        try:
            while not job.done() or not updates.empty():
                getter = asyncio.ensure_future(updates.get())
                await asyncio.wait({job, getter}, return_when=asyncio.FIRST_COMPLETED)
                if getter.done():
                    yield pb.ImportFileResponse(progress=getter.result())
                else:
                    getter.cancel()
            yield pb.ImportFileResponse(result=result_pb(job.result()))
        finally:
            if not job.done():
                job.cancel()

    async def GetImport(self, request: pb.GetImportRequest, context: Context) -> pb.GetImportResponse:
        row = await get_import(self.deps, authenticated(), request.import_id)
        counts = SyncCounts(row.rows_added, row.rows_updated, row.rows_removed, row.removals_refused)
        outcome = ImportOutcome(
            str(row.id), row.status, row.rows_total, row.rows_changed, row.errors, row.errors_truncated,
            counts,
        )  # fmt: skip
        return pb.GetImportResponse(
            result=result_pb(outcome),
            kind=row.kind.split(":")[0],
            file_name=row.file_name,
            created_by=row.created_by,
            created_at=row.created_at.isoformat(),
            sync=row.sync,
        )
