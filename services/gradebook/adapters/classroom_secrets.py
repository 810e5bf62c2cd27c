"""Classroom QR secrets from curriculum's GetClassroomSecret (KG-09), cached in memory until the
ClassroomSecretRotated event says otherwise. Calls carry the gradebook's own service token, issued by
identity (client credentials), because the secret is for service identities only."""

from __future__ import annotations

from ejournal.curriculum.v1 import curriculum_service_pb2 as cpb
from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as cpb_grpc
from ejournal_platform.errors import FailedPrecondition
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.tokens import ServiceIdentity


class CurriculumClassroomSecrets:
    def __init__(self, curriculum_address: str, identity: ServiceIdentity) -> None:
        self._address = curriculum_address
        self._identity = identity
        self._cache: dict[str, bytes] = {}

    async def secret(self, classroom_id: str) -> bytes:
        cached = self._cache.get(classroom_id)
        if cached is not None:
            return cached
        channel = open_channel(self._address)
        try:
            reply = await cpb_grpc.CurriculumServiceStub(channel).GetClassroomSecret(
                cpb.GetClassroomSecretRequest(classroom_id=classroom_id),
                metadata=bearer(await self._identity.token()),
                timeout=5,
            )
        except Exception as error:
            raise FailedPrecondition(f"the classroom's QR secret is not available: {error}") from None
        finally:
            await channel.close()
        secret = bytes(reply.secret)
        self._cache[classroom_id] = secret
        return secret

    def forget(self, classroom_id: str) -> None:
        self._cache.pop(classroom_id, None)


class StaticClassroomSecrets:
    """Fixed secrets (tests, demo data)."""

    def __init__(self, secrets: dict[str, bytes] | None = None) -> None:
        self.secrets = dict(secrets or {})

    async def secret(self, classroom_id: str) -> bytes:
        found = self.secrets.get(classroom_id)
        if found is None:
            raise FailedPrecondition("the classroom has no QR secret", field="classroom_id")
        return found

    def forget(self, classroom_id: str) -> None:
        return None
