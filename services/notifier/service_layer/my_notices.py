"""The portal's view: a person's own notices, read and unread. Nobody reads another person's list."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ejournal_platform.context import Principal
from ejournal_platform.errors import InvalidArgument, PermissionDenied
from ejournal_platform.pagination import Page
from services.notifier.adapters import notices_repo
from services.notifier.service_layer.deps import Deps

MAX_LIMIT = 200


def _person(principal: Principal) -> str:
    if principal.is_service:
        raise PermissionDenied("permission denied: notices are a person's own")
    return principal.subject


async def list_my_notices(
    deps: Deps, principal: Principal, unread_only: bool, page: Page
) -> tuple[Sequence[notices_repo.Notice], int, str]:
    """One page of the caller's notices (newest first), how many are unread, the next page's token."""
    person = _person(principal)
    async with deps.unit_of_work() as uow:
        session = uow.session
        rows = await notices_repo.of_recipient(session, person, unread_only, page)
        shown, next_token = page.cut(rows, key=lambda r: (r.created_at, r.id))
        return shown, await notices_repo.unread_count(session, person), next_token


@dataclass(frozen=True, kw_only=True)
class MarkNoticesRead:
    notice_ids: tuple[str, ...]


async def mark_read(deps: Deps, principal: Principal, cmd: MarkNoticesRead) -> int:
    person = _person(principal)
    ids = []
    for position, text in enumerate(cmd.notice_ids):
        try:
            ids.append(uuid.UUID(text))
        except ValueError:
            raise InvalidArgument(f"notice_ids[{position}]", "is not a notice id") from None
    async with deps.unit_of_work() as uow:
        session = uow.session
        # Only the caller's own notices match: someone else's id marks nothing and reveals nothing.
        result = await notices_repo.mark_read(session, person, ids, deps.clock())
        await uow.commit()
        return result
