"""Recipients and their contacts from identity, asked with the notifier's own service identity."""

from __future__ import annotations

from typing import Protocol

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.grpc.client import bearer, open_channel
from services.notifier.domain.notices import Audience, Recipient


class TokenSource(Protocol):
    async def token(self) -> str: ...


class Directory(Protocol):
    async def recipients(self, audience: Audience) -> list[Recipient]: ...

    async def link_telegram(self, code: str, chat_id: str) -> str: ...


def recipient_from(r: pb.Recipient) -> Recipient:
    return Recipient(
        person_id=r.person_id,
        full_name=r.full_name,
        email=r.email,
        telegram_chat_id=r.telegram_chat_id,
        language=r.language,
        timezone=r.timezone,
        quiet_from_hour=r.quiet_from_hour,
        quiet_to_hour=r.quiet_to_hour,
        digest_hour=r.digest_hour,
        preferences={p.category: p.delivery for p in r.preferences},
        university_id=r.university_id,
    )


class IdentityDirectory:
    def __init__(self, identity_address: str, tokens: TokenSource) -> None:
        self._stub = pb_grpc.IdentityServiceStub(open_channel(identity_address))
        self._tokens = tokens

    async def recipients(self, audience: Audience) -> list[Recipient]:
        request = pb.ResolveRecipientsRequest(
            person_ids=list(audience.person_ids),
            role=audience.role,
            scope_type=audience.scope_type,
            scope_id=audience.scope_id,
            parents_of_student_ids=list(audience.parents_of),
        )
        reply = await self._stub.ResolveRecipients(
            request, metadata=bearer(await self._tokens.token()), timeout=10
        )
        return [recipient_from(r) for r in reply.recipients]

    async def link_telegram(self, code: str, chat_id: str) -> str:
        request = pb.LinkTelegramRequest(code=code, chat_id=chat_id)
        reply = await self._stub.LinkTelegram(
            request, metadata=bearer(await self._tokens.token()), timeout=10
        )
        return str(reply.person_id)
