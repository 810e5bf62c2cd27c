"""Reporting's one call to another service: the gradebook's GetStatement, for a statement's lines and
signers (StatementFormed carries the header and the hash, not the lines). Called with reporting's own
service token, issued by identity against its client secret and renewed before it expires."""

from __future__ import annotations

import time
from typing import Protocol

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gbs_grpc
from ejournal.identity.v1 import identity_service_pb2 as ids
from ejournal.identity.v1 import identity_service_pb2_grpc as ids_grpc
from ejournal_platform.grpc.client import bearer, open_channel


class TokenSource(Protocol):
    async def token(self) -> str: ...


class StatementSource(Protocol):
    async def get(self, statement_id: str) -> gbs.Statement: ...


class IdentityServiceTokens:
    def __init__(self, identity_address: str, service_name: str, client_secret: str) -> None:
        self._stub = ids_grpc.IdentityServiceStub(open_channel(identity_address))
        self._name = service_name
        self._secret = client_secret
        self._token = ""
        self._renew_at = 0.0

    async def token(self) -> str:
        if not self._token or time.monotonic() >= self._renew_at:
            reply = await self._stub.IssueServiceToken(
                ids.IssueServiceTokenRequest(service_name=self._name, client_secret=self._secret), timeout=5
            )
            self._token = reply.access_token
            self._renew_at = time.monotonic() + max(reply.access_expires_in_seconds - 30, 5)
        return self._token


class GrpcStatementSource:
    def __init__(self, gradebook_address: str, tokens: TokenSource) -> None:
        self._stub = gbs_grpc.GradebookServiceStub(open_channel(gradebook_address))
        self._tokens = tokens

    async def get(self, statement_id: str) -> gbs.Statement:
        reply = await self._stub.GetStatement(
            gbs.GetStatementRequest(statement_id=statement_id),
            metadata=bearer(await self._tokens.token()),
            timeout=10,
        )
        statement: gbs.Statement = reply.statement
        return statement
