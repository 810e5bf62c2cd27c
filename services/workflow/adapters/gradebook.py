"""What the workflow asks of the gradebook (its port) and the one adapter that calls it over gRPC.

Every call is idempotent on the gradebook's side (GrantReopen by case id, CloseSection by idempotency
key, EndReopen by case id), so an activity retried after a worker died repeats it safely.
"""

from __future__ import annotations

from typing import Protocol

from services.workflow.closing.messages import CloseSectionsInput, CloseSectionsResult, Unfilled, UnfilledInput
from services.workflow.monitoring.messages import FillStatus, FillStatusInput
from services.workflow.reopen.messages import EndReopenInput, EndReopenResult, GrantInput, GrantResult


class GradebookPort(Protocol):
    async def grant_reopen(self, request: GrantInput) -> GrantResult: ...

    async def end_reopen(self, request: EndReopenInput) -> EndReopenResult: ...

    async def close_sections(self, request: CloseSectionsInput) -> CloseSectionsResult: ...

    async def unfilled(self, request: UnfilledInput) -> Unfilled: ...

    async def fill_status(self, request: FillStatusInput) -> FillStatus: ...
