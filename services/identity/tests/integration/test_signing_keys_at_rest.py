"""Issue 13: identity's token signing keys are encrypted at rest with a passphrase from the settings;
the database (or a backup of it) holds no usable key, and a key stored plain before is encrypted when
the key ring loads."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal_platform.db import UnitOfWork
from ejournal_platform.grpc.client import bearer
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.tokens import SigningKey, TokenVerifier, issue_access_token
from services.identity.adapters import tables
from services.identity.service_layer.keys import KeyRing
from services.identity.tests.harness import SIGNING_KEY_PASSPHRASE, Identity

pytestmark = pytest.mark.integration

ENCRYPTED = b"-----BEGIN ENCRYPTED PRIVATE KEY-----"


async def stored(identity: Identity) -> dict[str, bytes]:
    async with identity.engine.connect() as conn:
        rows = await conn.execute(text("SELECT kid, private_pem FROM signing_keys"))
        return {row.kid: bytes(row.private_pem) for row in rows}


def ring(identity: Identity, passphrase: bytes) -> KeyRing:
    sessions = async_sessionmaker(identity.engine, expire_on_commit=False)
    return KeyRing(
        lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)),
        publish_retired_for=identity.deps.tokens.access_ttl,
        clock=identity.clock,
        passphrase=passphrase,
    )


async def test_signing_keys_are_stored_encrypted_and_need_the_passphrase(identity: Identity) -> None:
    admin = bearer(await identity.token("kz.admin"))
    await identity.stub.RotateSigningKey(pb.RotateSigningKeyRequest(), metadata=admin)
    keys = await stored(identity)
    assert len(keys) == 2 and all(pem.startswith(ENCRYPTED) for pem in keys.values())
    assert all(b"PRIVATE KEY-----\nMC4CAQAw" not in pem for pem in keys.values())  # no plain PKCS#8 body
    with pytest.raises(RuntimeError, match="PASSPHRASE"):
        await ring(identity, b"").load()
    with pytest.raises(ValueError):
        await ring(identity, b"not-the-passphrase").load()
    assert await stored(identity) == keys  # a failed load changes nothing


async def test_a_key_stored_plain_is_encrypted_when_the_ring_loads(identity: Identity) -> None:
    legacy = SigningKey.generate("legacy-plain")
    async with identity.engine.begin() as conn:
        await conn.execute(text("UPDATE signing_keys SET retired_at = now()"))
        await conn.execute(
            text("INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (:k, :p, now())"),
            {"k": legacy.kid, "p": legacy.to_pem()},
        )
    loaded = ring(identity, SIGNING_KEY_PASSPHRASE)
    await loaded.load()
    assert (await stored(identity))[legacy.kid].startswith(ENCRYPTED)
    assert loaded.signing_key.kid == legacy.kid
    # The same key still signs: a token it signed verifies against the published set.
    token = issue_access_token(
        loaded.signing_key, subject="p", roles=(), session_id="s", ttl=identity.deps.tokens.access_ttl
    )
    assert TokenVerifier(loaded.jwks()).verify(token).subject == "p"
    assert legacy.public_jwk() in loaded.jwks()["keys"]
