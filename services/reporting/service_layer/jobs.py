"""Long reports in the background (StartReport → GetReportJob → DownloadReport).

A job row is queued with the report's parameters and the requester's role grants; a runner in the
service process claims queued jobs (FOR UPDATE SKIP LOCKED, so replicas never run one twice), builds
the report with progress written as it goes, and stores the file in the row. Authorization is checked
when the job is started and again, with the same grants, when it runs. Jobs left running by a process
that died are queued again at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from ejournal_platform.authz import refusal
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from ejournal_platform.logging import get_logger
from services.reporting.adapters import report_jobs_repo
from services.reporting.adapters.queries_filling import Scope
from services.reporting.service_layer.deps import Deps

log = get_logger(__name__)
JOB_NAMESPACE = uuid.UUID("2b0d3c8e-7f61-4a5b-9d1e-5e9d0c3a7b11")
KINDS = (
    "weekly_filling",
    "quality_and_attendance",
    "reopen_analysis",
    "curator_attendance",
    "term_statements",
)
FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class JobRequest:
    kind: str
    format: str
    scope: Scope = field(default_factory=Scope)
    from_date: str = ""
    to_date: str = ""
    academic_year_id: str = ""


@dataclass(frozen=True, kw_only=True)
class StartReport:
    request_id: str  # the idempotency key: the same request starts the same job
    report: JobRequest


@dataclass(frozen=True)
class Built:
    content: bytes
    content_type: str
    filename: str


Progress = Callable[[int, int], Awaitable[None]]
Builder = Callable[[Deps, Principal, JobRequest, Progress], Awaitable[Built]]


def principal_json(principal: Principal) -> dict[str, Any]:
    return {
        "subject": principal.subject,
        "roles": [asdict(g) for g in principal.roles],
        "service": principal.is_service,
    }


def principal_of(data: Mapping[str, Any]) -> Principal:
    roles = tuple(RoleGrant(**g) for g in data.get("roles", []))
    return Principal(subject=str(data["subject"]), roles=roles, is_service=bool(data.get("service")))


def request_of(params: Mapping[str, Any]) -> JobRequest:
    return JobRequest(
        kind=params["kind"],
        format=params["format"],
        scope=Scope(**params.get("scope", {})),
        from_date=params.get("from_date", ""),
        to_date=params.get("to_date", ""),
        academic_year_id=params.get("academic_year_id", ""),
    )


async def start_report(
    deps: Deps,
    principal: Principal,
    cmd: StartReport,
    *,
    check: Callable[[Principal, JobRequest], None],
    wakeup: asyncio.Event | None = None,
) -> Any:
    """Queue the report (`check` refuses now what the runner would refuse later; `wakeup` nudges it)."""
    request_id, request = cmd.request_id, cmd.report
    if request.kind not in KINDS:
        raise InvalidArgument("kind", f"choose one of {', '.join(KINDS)}")
    if request.format not in FORMATS:
        raise InvalidArgument("format", "choose PDF or XLSX")
    if not request_id:
        raise InvalidArgument("request_id", "is required (the idempotency key of this report)")
    check(principal, request)  # refuse now rather than fail in the background
    job_id = str(uuid.uuid5(JOB_NAMESPACE, f"{principal.subject}/{request_id}"))
    params = {**asdict(request), "principal": principal_json(principal)}
    params["scope"] = asdict(request.scope)
    async with deps.unit_of_work() as uow:
        await report_jobs_repo.add_queued(
            uow.session, job_id=job_id, kind=request.kind, params=params, requested_by=principal.subject
        )
        await uow.commit()
    if wakeup is not None:
        wakeup.set()
    return await get_job(deps, principal, job_id)


async def get_job(deps: Deps, principal: Principal, job_id: str) -> Any:
    if not job_id:
        raise InvalidArgument("job_id", "is required")
    async with deps.unit_of_work() as uow:
        row = await report_jobs_repo.find(uow.session, job_id)
    if row is None or (row.requested_by != principal.subject and not principal.is_service):
        # Someone else's job is refused exactly like a missing one.
        raise refusal("report.read")
    return row


async def download(deps: Deps, principal: Principal, job_id: str) -> Built:
    job = await get_job(deps, principal, job_id)
    if job.status != "done":
        raise FailedPrecondition(f"the report is {job.status}, not done yet ({job.progress}/{job.total})")
    async with deps.unit_of_work() as uow:
        content = await report_jobs_repo.content_of(uow.session, job_id)
    return Built(content, job.content_type, job.filename)


class JobRunner:
    def __init__(self, deps: Deps, builders: Mapping[str, Builder]) -> None:
        self._deps = deps
        self._builders = builders
        self.wakeup = asyncio.Event()

    async def requeue_abandoned(self) -> None:
        async with self._deps.unit_of_work() as uow:
            await report_jobs_repo.requeue_running(uow.session)
            await uow.commit()

    async def _claim(self) -> Any:
        async with self._deps.unit_of_work() as uow:
            result = await report_jobs_repo.claim_oldest_queued(uow.session)
            await uow.commit()
            return result

    async def _set(self, job_id: str, **values: Any) -> None:
        async with self._deps.unit_of_work() as uow:
            await report_jobs_repo.set_values(uow.session, job_id, **values)
            await uow.commit()

    async def run_one(self) -> bool:
        job = await self._claim()
        if job is None:
            return False
        request = request_of(job.params)

        async def progress(done: int, total: int) -> None:
            await self._set(job.job_id, progress=done, total=total)

        try:
            built = await self._builders[request.kind](
                self._deps, principal_of(job.params["principal"]), request, progress
            )
        except (PermissionDenied, InvalidArgument, NotFound, FailedPrecondition) as error:
            await self._set(job.job_id, status="failed", error=str(error), finished_at=datetime.now(UTC))
            return True
        except Exception as error:
            log.exception("report job failed", job_id=job.job_id)
            await self._set(job.job_id, status="failed", error=repr(error), finished_at=datetime.now(UTC))
            return True
        await self._set(
            job.job_id,
            status="done",
            content=built.content,
            content_type=built.content_type,
            filename=built.filename,
            finished_at=datetime.now(UTC),
        )
        return True

    async def run(self) -> None:
        await self.requeue_abandoned()
        while True:
            try:
                if await self.run_one():
                    continue
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("report runner cannot reach the database", error=repr(error))
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=2.0)
