"""The key ring: identity's Ed25519 signing keys, shared by its replicas through the database.

The newest unretired key signs. A rotation adds a key and retires the others; a retired key stays in
the published key set until every token it signed has expired (access TTL + leeway), so a service
that caches the set keeps verifying while it refetches on the new kid.

Private keys are stored encrypted (PKCS#8, a passphrase from EJOURNAL_IDENTITY_SIGNING_KEY_PASSPHRASE,
i.e. the environment or a Secret): a copy of the database or a backup holds no usable key. A key
found stored plain (written before this) is encrypted in place when the ring loads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ejournal_platform.context import Principal
from ejournal_platform.db import UnitOfWork
from ejournal_platform.tokens import (
    DEFAULT_LEEWAY_SECONDS,
    SigningKey,
    TokenVerifier,
    UnknownSigningKey,
    jwks_document,
)
from services.identity.adapters import sessions_repo
from services.identity.adapters.locks import lock_signing_keys

PLAIN_PEM = b"-----BEGIN PRIVATE KEY-----"


class KeyRing:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        publish_retired_for: timedelta,
        clock: Callable[[], datetime],
        passphrase: bytes = b"",
    ) -> None:
        self._unit_of_work = unit_of_work
        self._passphrase = passphrase
        self._publish_retired_for = publish_retired_for
        self._clock = clock
        self._signing: SigningKey | None = None
        self._published: list[dict[str, str]] = []
        self._verifier = TokenVerifier({"keys": []})
        self._reload_lock = asyncio.Lock()
        self._last_reload = datetime.min

    @property
    def signing_key(self) -> SigningKey:
        if self._signing is None:
            raise RuntimeError("the key ring is not loaded")
        return self._signing

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return jwks_document(self._published)

    def _secret(self) -> bytes:
        if not self._passphrase:
            raise RuntimeError(
                "EJOURNAL_IDENTITY_SIGNING_KEY_PASSPHRASE is not set: signing keys are never stored plain"
            )
        return self._passphrase

    def _key(self, row: Any) -> SigningKey:
        return SigningKey.from_pem(row.kid, bytes(row.private_pem), self._secret())

    async def load(self) -> None:
        """Read the keys; create the first one if there is none; encrypt any stored plain."""
        secret = self._secret()
        async with self._unit_of_work() as uow:
            session = uow.session
            await lock_signing_keys(session)
            rows = await sessions_repo.load_keys(session)
            for row in rows:
                if bytes(row.private_pem).startswith(PLAIN_PEM):
                    plain = SigningKey.from_pem(row.kid, bytes(row.private_pem))
                    await sessions_repo.replace_key_pem(session, row.kid, plain.to_pem(secret))
            if not any(row.retired_at is None for row in rows):
                key = SigningKey.generate()
                await sessions_repo.add_key(session, key.kid, key.to_pem(secret), self._clock())
            rows = await sessions_repo.load_keys(session)
            await uow.commit()
        self._apply(rows)

    def _apply(self, rows: list[Any]) -> None:
        now = self._clock()
        active = [row for row in rows if row.retired_at is None]
        newest = max(active, key=lambda row: row.created_at)
        self._signing = self._key(newest)
        published = []
        for row in rows:
            if row.retired_at is None or now - row.retired_at < self._publish_retired_for:
                published.append(self._key(row).public_jwk())
        self._published = published
        self._verifier = TokenVerifier(self.jwks())
        self._last_reload = now.replace(tzinfo=None)

    async def rotate(self) -> str:
        key = SigningKey.generate()
        async with self._unit_of_work() as uow:
            session = uow.session
            await lock_signing_keys(session)
            now = self._clock()
            await sessions_repo.add_key(session, key.kid, key.to_pem(self._secret()), now)
            await sessions_repo.retire_keys_except(session, key.kid, now)
            rows = await sessions_repo.load_keys(session)
            await uow.commit()
        self._apply(rows)
        return key.kid

    async def authenticate(self, token: str) -> Principal:
        """identity's own Authenticator: verify with the ring; reload once if another replica rotated."""
        try:
            return self._verifier.verify(token)
        except UnknownSigningKey:
            async with self._reload_lock:
                if self._clock().replace(tzinfo=None) - self._last_reload > timedelta(seconds=2):
                    async with self._unit_of_work() as uow:
                        self._apply(await sessions_repo.load_keys(uow.session))
            return self._verifier.verify(token)


def retired_key_window(access_ttl: timedelta) -> timedelta:
    return access_ttl + timedelta(seconds=DEFAULT_LEEWAY_SECONDS) + timedelta(minutes=1)
