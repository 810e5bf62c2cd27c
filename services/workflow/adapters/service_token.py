"""Where the workflow's own token comes from, for calls it makes on nobody's behalf (a deadline
fired, an activity retried at night): in the service, the platform's `ServiceIdentity` (a short-lived
`service:workflow` token from identity's IssueServiceToken, renewed before expiry); in tests, a fixed
token minted with TestTokens."""

from __future__ import annotations

from typing import Protocol


class TokenSource(Protocol):
    async def token(self) -> str: ...


class StaticToken:
    """A fixed token (tests mint one with TestTokens for `service:workflow`)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def token(self) -> str:
        return self._token
