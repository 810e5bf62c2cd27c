"""What the workflow asks of the gradebook (its port) and the one adapter that calls it over gRPC.

Every call is idempotent on the gradebook's side (GrantReopen and EndReopen by case id, CloseSection by
idempotency key), so an activity retried after a worker died repeats it safely. Calls carry the
workflow's service identity, never a user's token: they happen on nobody's behalf.
"""

from __future__ import annotations

from typing import Protocol

import grpc

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.pagination import MAX_PAGE_SIZE
from services.workflow.adapters.service_token import TokenSource
from services.workflow.processes.closing.messages import CloseSectionsInput, CloseSectionsResult
from services.workflow.processes.monitoring.messages import (
    FillStatus,
    FillStatusInput,
    JournalFill,
    LessonDayFill,
    WeekFill,
)
from services.workflow.processes.reopen.messages import (
    EndReopenInput,
    EndReopenResult,
    GrantInput,
    GrantResult,
)


class GradebookPort(Protocol):
    async def grant_reopen(self, request: GrantInput) -> GrantResult: ...

    async def end_reopen(self, request: EndReopenInput) -> EndReopenResult: ...

    async def close_sections(self, request: CloseSectionsInput) -> CloseSectionsResult: ...

    async def fill_status(self, request: FillStatusInput) -> FillStatus: ...


class GrpcGradebook:
    def __init__(self, address: str, token: TokenSource, *, timeout: float = 20.0) -> None:
        self._address = address
        self._token = token
        self._timeout = timeout
        self._channel: grpc.aio.Channel | None = None

    def _stub(self) -> pb_grpc.GradebookServiceStub:
        if self._channel is None:  # made lazily, inside the worker's event loop
            self._channel = open_channel(self._address)
        return pb_grpc.GradebookServiceStub(self._channel)

    async def grant_reopen(self, request: GrantInput) -> GrantResult:
        reply = await self._stub().GrantReopen(
            pb.GrantReopenRequest(
                case_id=request.case_id,
                teacher_id=request.teacher_id,
                journal_id=request.journal_id,
                section=request.section,
                expires_at=request.expires_at.isoformat(),
                reason=request.reason,
            ),
            metadata=bearer(await self._token.token()),
            timeout=self._timeout,
        )
        return GrantResult(reply.grant_id)

    async def end_reopen(self, request: EndReopenInput) -> EndReopenResult:
        reply = await self._stub().EndReopen(
            pb.EndReopenRequest(case_id=request.case_id, reason="expired" if request.late else "submitted"),
            metadata=bearer(await self._token.token()),
            timeout=self._timeout,
        )
        return EndReopenResult(reply.individual_statement_id)

    async def close_sections(self, request: CloseSectionsInput) -> CloseSectionsResult:
        reply = await self._stub().CloseSection(
            pb.CloseSectionRequest(
                journal_id=request.journal_id,  # empty: every journal that has this control event's section
                section=request.control_event_id,
                reason=request.reason,
                idempotency_key=request.idempotency_key,
            ),
            metadata=bearer(await self._token.token()),
            timeout=self._timeout,
        )
        return CloseSectionsResult(sum(1 for c in reply.closed if not c.already_closed))

    async def fill_status(self, request: FillStatusInput) -> FillStatus:
        """Every matching journal: the list is paginated, so this walks it to the end."""
        found: list[JournalFill] = []
        token = ""
        while True:
            reply = await self._stub().GetFillStatus(
                pb.GetFillStatusRequest(
                    journal_id=request.journal_id,
                    teacher_id=request.teacher_id,
                    department_id=request.department_id,
                    from_date=request.from_date,
                    to_date=request.to_date,
                    page_size=MAX_PAGE_SIZE,
                    page_token=token,
                ),
                metadata=bearer(await self._token.token()),
                timeout=self._timeout,
            )
            found += [_journal(j) for j in reply.journals]
            token = reply.next_page_token
            if not token:
                return FillStatus(tuple(found))

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()


def _journal(j: pb.JournalFill) -> JournalFill:
    return JournalFill(
        journal_id=j.journal_id,
        teacher_ids=tuple(j.teacher_ids),
        department_id=j.department_id,
        faculty_id=j.faculty_id,
        course_unit_id=j.course_unit_id,
        unit_days=j.unit_days,
        days=tuple(
            LessonDayFill(
                d.date, len(d.lesson_ids), d.has_marks, d.students, d.marks, d.attendance_records, d.absent
            )
            for d in j.days
        ),
        weeks=tuple(
            WeekFill(
                w.week_start,
                w.lessons,
                w.lessons_with_marks,
                w.expected_cells,
                w.filled_cells,
                w.attendance_records,
                w.present,
                w.absent,
            )
            for w in j.weeks
        ),
    )
