"""Reporting's one call to another service: the gradebook's GetStatement, for a statement's lines and
signers (StatementFormed carries the header and the hash, not the lines). Called with reporting's own
service token (the platform's `ServiceIdentity`: issued by identity against its client secret and renewed
before it expires)."""

from __future__ import annotations

from typing import Protocol

from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gbs_grpc
from ejournal_platform.grpc.client import bearer, open_channel


class TokenSource(Protocol):
    async def token(self) -> str: ...


class StatementSource(Protocol):
    async def get(self, statement_id: str) -> gbs.Statement: ...


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
