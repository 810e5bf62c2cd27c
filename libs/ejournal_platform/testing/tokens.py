"""Real signed tokens for tests of any service, without running identity.

keys = TestTokens()
server = GrpcServer(keys.verifier_authenticator())
token = keys.token("teacher-1", ("teacher", "department", "dep-1"))
await stub.GetJournal(request, metadata=bearer(token))
"""

from __future__ import annotations

from datetime import timedelta

from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.tokens import (
    SigningKey,
    StaticKeyAuthenticator,
    TokenVerifier,
    issue_access_token,
    jwks_document,
)


class TestTokens:
    __test__ = False  # not a pytest test class

    def __init__(self, key: SigningKey | None = None) -> None:
        self.key = key or SigningKey.generate("test-key")

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return jwks_document([self.key.public_jwk()])

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(self.jwks())

    def verifier_authenticator(self) -> StaticKeyAuthenticator:
        return StaticKeyAuthenticator(self.verifier())

    def token(self, subject: str, *roles: tuple[str, str, str], ttl: timedelta = timedelta(minutes=5)) -> str:
        grants = [RoleGrant(role, scope_type, scope_id) for role, scope_type, scope_id in roles]
        return issue_access_token(self.key, subject=subject, roles=grants, session_id="test", ttl=ttl)

    def principal(self, subject: str, *roles: tuple[str, str, str]) -> Principal:
        return self.verifier().verify(self.token(subject, *roles))
