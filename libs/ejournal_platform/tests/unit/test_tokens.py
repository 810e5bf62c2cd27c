"""Access tokens: format, local verification, and key-set caching with rotation (fetch over gRPC)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.context import RoleGrant
from ejournal_platform.errors import Unauthenticated
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.testing.tokens import TestTokens
from ejournal_platform.tokens import (
    AUDIENCE,
    ISSUER,
    JwtAuthenticator,
    KeySetUnavailable,
    SigningKey,
    TokenVerifier,
    UnknownSigningKey,
    issue_access_token,
    jwks_document,
)

pytestmark = pytest.mark.unit

DEAN = ("dean", "faculty", "f1")


def test_token_carries_the_agreed_claims_and_header() -> None:
    keys = TestTokens()
    token = keys.token("person-1", DEAN)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"] == keys.key.kid
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == "person-1" and claims["iss"] == ISSUER and claims["aud"] == AUDIENCE
    assert claims["roles"] == [{"role": "dean", "scope_type": "faculty", "scope_id": "f1"}]
    assert {"sid", "iat", "exp"} <= set(claims)
    principal = keys.verifier().verify(token)
    assert principal.subject == "person-1" and principal.roles == (RoleGrant(*DEAN),)
    assert principal.token == token and not principal.is_service


def test_expired_tampered_and_foreign_tokens_are_refused() -> None:
    keys = TestTokens()
    verifier = keys.verifier()
    expired = issue_access_token(
        keys.key, subject="p", roles=[], session_id="s", ttl=timedelta(minutes=1),
        now=datetime.now(UTC) - timedelta(minutes=10),
    )  # fmt: skip
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(expired)
    head, body, signature = keys.token("p", DEAN).split(".")
    claims = json.loads(jwt.utils.base64url_decode(body))
    claims["roles"] = [{"role": "administrator", "scope_type": "university", "scope_id": "u1"}]
    forged_body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(Unauthenticated, match="signature"):
        verifier.verify(f"{head}.{forged_body}.{signature}")
    other = SigningKey.generate(keys.key.kid)  # same kid, different key: an impostor
    with pytest.raises(Unauthenticated, match="signature"):
        verifier.verify(issue_access_token(other, subject="p", roles=[], session_id="s", ttl=timedelta(1)))
    with pytest.raises(UnknownSigningKey):
        verifier.verify(TestTokens(SigningKey.generate("k2")).token("p"))
    with pytest.raises(Unauthenticated, match="malformed"):
        verifier.verify("not-a-token")
    secret = "a-shared-secret-long-enough-for-hs256!"
    hs = jwt.encode({"sub": "p"}, secret, algorithm="HS256", headers={"kid": keys.key.kid})
    with pytest.raises(Unauthenticated):
        verifier.verify(hs)  # an HMAC token with a known kid is not ours


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_remembered_only_until_it_expires() -> None:
    keys = TestTokens()
    token = issue_access_token(keys.key, subject="p", roles=[], session_id="s", ttl=timedelta(minutes=5))
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    clock = FakeClock()
    clock.now = expires - 60
    verifier = TokenVerifier(keys.jwks(), leeway=5, clock=clock)
    first = verifier.verify(token)
    assert verifier.verify(token) is first  # answered from memory: no second parse and signature check
    clock.now = expires + 4.9  # within the leeway, as the check itself allows
    assert verifier.verify(token) is first
    clock.now = expires + 5
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(token)  # remembering never extends a token's life
    with pytest.raises(Unauthenticated, match="expired"):
        TokenVerifier(keys.jwks(), leeway=5, clock=clock).verify(token)  # nor does a fresh verifier


def test_the_verified_tokens_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ejournal_platform.tokens.VERIFIED_TOKENS_KEPT", 3)
    keys = TestTokens()
    verifier = keys.verifier()
    tokens = [keys.token(f"p{i}") for i in range(5)]
    principals = [verifier.verify(t) for t in tokens]
    assert verifier.verify(tokens[-1]) is principals[-1]  # the newest is remembered
    assert verifier.verify(tokens[0]) is not principals[0]  # the oldest was forgotten: checked again
    assert verifier.verify(tokens[0]).subject == "p0"


async def test_authenticator_caches_and_refetches_on_an_unknown_kid() -> None:
    old, new = SigningKey.generate("old"), SigningKey.generate("new")
    published = [old]
    calls = 0

    async def fetch() -> str:
        nonlocal calls
        calls += 1
        return json.dumps(jwks_document(k.public_jwk() for k in published))

    clock = FakeClock()
    auth = JwtAuthenticator(fetch, max_age=600, min_refetch_interval=2, clock=clock)
    for _ in range(5):
        await auth.authenticate(TestTokens(old).token("p"))
    assert calls == 1  # one fetch, then local verification only
    published.append(new)  # identity rotates: the new key is published, then used
    clock.now = 3
    assert (await auth.authenticate(TestTokens(new).token("p"))).subject == "p"
    assert calls == 2
    stranger = TestTokens(SigningKey.generate("forged"))
    clock.now = 6
    with pytest.raises(UnknownSigningKey):
        await auth.authenticate(stranger.token("p"))
    with pytest.raises(UnknownSigningKey):
        await auth.authenticate(stranger.token("p"))
    assert calls == 3  # unknown kids refetch at most once per min_refetch_interval
    published.remove(old)
    clock.now = 700  # the cache ages out: the retired key drops out of the set
    with pytest.raises(UnknownSigningKey):
        await auth.authenticate(TestTokens(old).token("p"))


async def test_authenticator_without_any_key_set_is_unavailable() -> None:
    async def fetch() -> str:
        raise ConnectionError("identity is down")

    with pytest.raises(KeySetUnavailable):
        await JwtAuthenticator(fetch).authenticate(TestTokens().token("p"))


class KeySetOnly(pb_grpc.IdentityServiceServicer):
    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = keys

    async def GetKeySet(self, request: pb.GetKeySetRequest, context: object) -> pb.GetKeySetResponse:
        return pb.GetKeySetResponse(jwks_json=json.dumps(jwks_document(k.public_jwk() for k in self.keys)))

    async def ListRevokedSessions(
        self, request: pb.ListRevokedSessionsRequest, context: object
    ) -> pb.ListRevokedSessionsResponse:
        reply = pb.ListRevokedSessionsResponse(keep_seconds=305)
        reply.as_of.GetCurrentTime()
        return reply


@pytest.fixture
async def identity_stub() -> AsyncIterator[tuple[str, KeySetOnly]]:
    servicer = KeySetOnly([SigningKey.generate("k1")])  # type: ignore[abstract]  # the two public calls only
    name = "ejournal.identity.v1.IdentityService"
    public = {f"/{name}/GetKeySet", f"/{name}/ListRevokedSessions"}
    server = GrpcServer(TestTokens().verifier_authenticator(), public)
    server.add(pb_grpc.add_IdentityServiceServicer_to_server, servicer, name)
    port = await server.start("127.0.0.1", 0)
    yield f"127.0.0.1:{port}", servicer
    await server.stop(0)


async def test_authenticator_fetches_the_key_set_over_grpc(identity_stub: tuple[str, KeySetOnly]) -> None:
    address, servicer = identity_stub
    auth = JwtAuthenticator(address)
    principal = await auth.authenticate(TestTokens(servicer.keys[0]).token("p", DEAN))
    assert principal.roles == (RoleGrant(*DEAN),)
    rotated = SigningKey.generate("k2")
    servicer.keys.append(rotated)
    auth_clock_skip = JwtAuthenticator(address, min_refetch_interval=0)
    assert (await auth_clock_skip.authenticate(TestTokens(rotated).token("q"))).subject == "q"


def test_static_verifier_accepts_json_text() -> None:
    keys = TestTokens()
    assert TokenVerifier(json.dumps(keys.jwks())).kids == {keys.key.kid}
