"""The notifier's gRPC servicer (the portal's API): translation only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ejournal.notifier.v1 import notifier_service_pb2 as pb
from ejournal.notifier.v1 import notifier_service_pb2_grpc as pb_grpc
from ejournal_platform.authz import authenticated
from ejournal_platform.errors import InvalidArgument
from ejournal_platform.pagination import page_request
from services.notifier.service_layer import my_notices
from services.notifier.service_layer.deps import Deps

Ctx = Any


def _instant(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def notice_to_pb(row: Any) -> pb.Notice:
    return pb.Notice(
        notice_id=str(row.id), category=row.category, subject=row.subject, body=row.body, link=row.link,
        deadline=_instant(row.deadline), created_at=_instant(row.created_at), read=row.read_at is not None,
    )  # fmt: skip


class NotifierServicer(pb_grpc.NotifierServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def ListMyNotices(self, request: pb.ListMyNoticesRequest, context: Ctx) -> pb.ListMyNoticesResponse:
        if request.limit < 0:
            raise InvalidArgument("limit", "must not be negative")
        # `limit` is the older name of `page_size` (kept for clients that send it).
        size = request.page_size or min(request.limit, my_notices.MAX_LIMIT)
        page = page_request(size, request.page_token, [request.unread_only])
        rows, unread, next_token = await my_notices.list_my_notices(
            self._deps, authenticated(), request.unread_only, page
        )
        return pb.ListMyNoticesResponse(
            notices=[notice_to_pb(r) for r in rows], unread=unread, next_page_token=next_token
        )

    async def MarkNoticesRead(
        self, request: pb.MarkNoticesReadRequest, context: Ctx
    ) -> pb.MarkNoticesReadResponse:
        cmd = my_notices.MarkNoticesRead(notice_ids=tuple(request.notice_ids))
        marked = await my_notices.mark_read(self._deps, authenticated(), cmd)
        return pb.MarkNoticesReadResponse(marked=marked)
