"""Access tokens: the one JWT format that identity signs and every service verifies locally.

Format (JWS, EdDSA over Ed25519, header `kid` naming the signing key):
    sub    the person's id (or "service:<name>" for a service identity)
    roles  [{"role": "dean", "scope_type": "faculty", "scope_id": "<faculty id>"}, ...]
           only the grants valid when the token was issued
    sid    the login session (refresh-token family) the token belongs to
    iat, exp, iss = "ejournal-identity", aud = "ejournal"

Services verify against a key set (JWKS) fetched from identity's public `GetKeySet` RPC and cached,
and refuse a token whose session has ended (ejournal_platform.revocation, within about a second);
a token signed with a key the cache does not know triggers one refetch (rate-limited), so identity can
rotate keys without downtime: it publishes the new key, signs with it, and keeps the old public key
in the set until the last token signed with it has expired.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import DomainError, Unauthenticated
from ejournal_platform.grpc.client import CHANNEL_OPTIONS
from ejournal_platform.logging import get_logger
from ejournal_platform.revocation import RevokedSessions, grpc_revocation_fetcher

log = get_logger(__name__)

ISSUER = "ejournal-identity"
AUDIENCE = "ejournal"
ALGORITHM = "EdDSA"
SERVICE_SUBJECT_PREFIX = "service:"
# Clock difference tolerated between identity and a verifying service.
DEFAULT_LEEWAY_SECONDS = 5.0


class KeySetUnavailable(DomainError):
    """No key set could be fetched from identity yet: the caller may retry."""

    code_name = "UNAVAILABLE"


class UnknownSigningKey(Unauthenticated):
    """The token names a key (kid) the verifier's key set does not hold."""


# -- signing (identity, and tests that need tokens) -------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair with its key id."""

    kid: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, kid: str | None = None) -> SigningKey:
        return cls(kid or uuid.uuid4().hex[:16], Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, kid: str, pem: bytes, passphrase: bytes | None = None) -> SigningKey:
        """The key from PKCS#8 PEM, encrypted with `passphrase` (or plain, without one)."""
        key = serialization.load_pem_private_key(pem, password=passphrase)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be an Ed25519 private key")
        return cls(kid, key)

    def to_pem(self, passphrase: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted with `passphrase` when given (how identity stores its keys)."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def public_jwk(self) -> dict[str, str]:
        return public_jwk(self.kid, self.private_key.public_key())


def public_jwk(kid: str, public_key: Ed25519PublicKey) -> dict[str, str]:
    jwk: dict[str, str] = OKPAlgorithm.to_jwk(public_key, as_dict=True)
    return {**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM}


def jwks_document(jwks: Iterable[Mapping[str, str]]) -> dict[str, list[dict[str, str]]]:
    return {"keys": [dict(jwk) for jwk in jwks]}


def role_claims(roles: Iterable[RoleGrant]) -> list[dict[str, str]]:
    return [{"role": g.role, "scope_type": g.scope_type, "scope_id": g.scope_id} for g in roles]


def issue_access_token(
    key: SigningKey,
    *,
    subject: str,
    roles: Sequence[RoleGrant],
    session_id: str,
    ttl: timedelta,
    now: datetime | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": subject,
        "roles": role_claims(roles),
        "sid": session_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})


# -- verification (every service) ------------------------------------------------------------------


def _roles_from(claims: Mapping[str, Any]) -> tuple[RoleGrant, ...]:
    raw = claims.get("roles")
    if not isinstance(raw, list):
        raise Unauthenticated("token has no roles claim", field="authorization")
    grants = []
    for item in raw:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("role", "scope_type", "scope_id")
        ):
            raise Unauthenticated("token has a malformed role", field="authorization")
        grants.append(RoleGrant(item["role"], item["scope_type"], item["scope_id"]))
    return tuple(grants)


def principal_from_claims(claims: dict[str, Any], token: str) -> Principal:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("token has no subject", field="authorization")
    return Principal(
        subject=subject,
        roles=_roles_from(claims),
        is_service=subject.startswith(SERVICE_SUBJECT_PREFIX),
        token=token,
        claims=claims,
    )


# Tokens a verifier remembers having verified (issue 19): a session sends the same token with every
# call for minutes, and parsing and checking its signature again was ~2 % of a save's CPU in the
# gradebook. Bounded (the oldest is forgotten first).
VERIFIED_TOKENS_KEPT = 4096


class TokenVerifier:
    """Verifies access tokens against a fixed key set (JWKS dict or JSON text); no I/O.

    A token it verified is answered from memory until its own expiry (with the same leeway as the
    check), never longer: remembering cannot extend a token's life. Revocation is not decided here
    but after every verification, cached or not (JwtAuthenticator, revocation.py), and a new key set
    is a new verifier, so a token of a retired key is checked again (and refused)."""

    def __init__(
        self,
        jwks: Mapping[str, Any] | str,
        *,
        leeway: float = DEFAULT_LEEWAY_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        document = json.loads(jwks) if isinstance(jwks, str) else jwks
        self._keys: dict[str, jwt.PyJWK] = {}
        for jwk in document.get("keys", []):
            if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and jwk.get("kid"):
                self._keys[str(jwk["kid"])] = jwt.PyJWK(dict(jwk), algorithm=ALGORITHM)
        self._leeway = leeway
        self._clock = clock
        self._verified: dict[str, tuple[Principal, float]] = {}  # token: (principal, valid until)

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def verify(self, token: str) -> Principal:
        """The token's principal, or Unauthenticated naming what is wrong (never which key we hold)."""
        known = self._verified.get(token)
        if known is not None:
            if self._clock() < known[1]:
                return known[0]
            del self._verified[token]  # expired: checked again below, which refuses it
        principal = self._check(token)
        expires = principal.claims.get("exp")
        if not isinstance(expires, int | float):  # required by the check: never the case
            return principal
        until = expires + self._leeway
        if self._clock() >= until:  # by this verifier's clock too, the one the memory is kept by
            raise Unauthenticated("token has expired", field="authorization")
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (principal, until)
        return principal

    def _check(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("token is malformed", field="authorization") from None
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str):
            raise Unauthenticated("token is not an ejournal access token", field="authorization")
        key = self._keys.get(kid)
        if key is None:
            raise UnknownSigningKey("token is signed with an unknown key", field="authorization")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("token has expired", field="authorization") from None
        except jwt.InvalidSignatureError:
            raise Unauthenticated("token signature is invalid", field="authorization") from None
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"token is invalid: {error}", field="authorization") from None
        return principal_from_claims(claims, token)


class StaticKeyAuthenticator:
    """An Authenticator over a fixed key set (tests; a gateway that holds the JWKS itself)."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    async def authenticate(self, token: str) -> Principal:
        return self.verifier.verify(token)


KeySetFetcher = Callable[[], Awaitable[str]]


def grpc_key_set_fetcher(identity_address: str, timeout: float = 3.0) -> KeySetFetcher:
    """Fetch identity's JWKS over gRPC (a plain channel: GetKeySet is public, no caller token travels)."""
    from ejournal.identity.v1 import identity_service_pb2 as pb
    from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc

    channel: grpc.aio.Channel | None = None

    async def fetch() -> str:
        nonlocal channel
        if channel is None:  # created lazily, inside the service's running event loop
            channel = grpc.aio.insecure_channel(identity_address, options=CHANNEL_OPTIONS)
        reply = await pb_grpc.IdentityServiceStub(channel).GetKeySet(pb.GetKeySetRequest(), timeout=timeout)
        return str(reply.jwks_json)

    return fetch


class JwtAuthenticator:
    """The platform's Authenticator: local verification against identity's cached key set.

    The set is fetched on first use, refreshed when older than `max_age` (so retired keys drop out),
    and refetched at once when a token names an unknown kid (such refetches at most every
    `min_refetch_interval` seconds, so forged kids cannot make us hammer identity). If a refresh fails,
    the cached set stays.
    """

    def __init__(
        self,
        fetch: KeySetFetcher | str,
        *,
        max_age: float = 600.0,
        min_refetch_interval: float = 2.0,
        leeway: float = DEFAULT_LEEWAY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        revocations: RevokedSessions | None = None,
    ) -> None:
        self._fetch = grpc_key_set_fetcher(fetch) if isinstance(fetch, str) else fetch
        # Given identity's address, revoked sessions are checked too (see ejournal_platform.revocation).
        if revocations is None and isinstance(fetch, str):
            revocations = RevokedSessions(grpc_revocation_fetcher(fetch))
        self.revocations = revocations
        self._max_age = max_age
        self._min_refetch = min_refetch_interval
        self._leeway = leeway
        self._clock = clock
        self._verifier: TokenVerifier | None = None
        self._fetched_at = float("-inf")
        self._forced_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def _refresh(self, *, forced: bool) -> TokenVerifier | None:
        async with self._lock:
            now = self._clock()
            if forced:
                # An unknown kid: refetch, but at most once per min_refetch_interval (forged kids).
                if now - self._forced_at < self._min_refetch:
                    return self._verifier
                self._forced_at = now
            elif self._verifier is not None and now - self._fetched_at < self._max_age:
                return self._verifier  # another task refreshed it meanwhile
            try:
                text = await self._fetch()
            except Exception as error:
                log.warning("cannot fetch the token key set", error=repr(error))
                if self._verifier is not None:  # keep the cached set; try again after min_refetch
                    self._fetched_at = now - self._max_age + self._min_refetch
                return self._verifier
            self.fetches += 1
            self._verifier = TokenVerifier(text, leeway=self._leeway)
            self._fetched_at = self._clock()
            return self._verifier

    async def authenticate(self, token: str) -> Principal:
        verifier = self._verifier
        if verifier is None or self._clock() - self._fetched_at >= self._max_age:
            verifier = await self._refresh(forced=False)
        if verifier is None:
            raise KeySetUnavailable("token keys are not available yet; retry shortly")
        try:
            principal = verifier.verify(token)
        except UnknownSigningKey:
            refreshed = await self._refresh(forced=True)
            if refreshed is None or refreshed is verifier:
                raise
            principal = refreshed.verify(token)
        if self.revocations is not None:
            return await self.revocations.check(principal)
        return principal


class ServiceIdentity:
    """A service's own identity for calls that act on nobody's behalf (a deadline fired, an event
    consumed): a short-lived token from identity's IssueServiceToken, renewed before it expires.

        identity = ServiceIdentity(settings.identity_address, "workflow", settings.service_secret)
        await stub.CloseJournal(request, metadata=await identity.metadata())
    """

    def __init__(
        self,
        identity_address: str,
        service_name: str,
        client_secret: str,
        *,
        renew_before: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._address = identity_address
        self._name = service_name
        self._secret = client_secret
        self._renew_before = renew_before
        self._clock = clock
        self._token = ""
        self._expires_at = float("-inf")
        self._lock = asyncio.Lock()
        self._channel: grpc.aio.Channel | None = None

    async def token(self) -> str:
        async with self._lock:
            if self._clock() < self._expires_at - self._renew_before:
                return self._token
            from ejournal.identity.v1 import identity_service_pb2 as pb
            from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc

            if self._channel is None:
                self._channel = grpc.aio.insecure_channel(self._address, options=CHANNEL_OPTIONS)
            reply = await pb_grpc.IdentityServiceStub(self._channel).IssueServiceToken(
                pb.IssueServiceTokenRequest(service_name=self._name, client_secret=self._secret), timeout=5
            )
            self._token = str(reply.access_token)
            self._expires_at = self._clock() + reply.access_expires_in_seconds
            return self._token

    async def metadata(self) -> tuple[tuple[str, str]]:
        from ejournal_platform.grpc.client import bearer

        return bearer(await self.token())

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
