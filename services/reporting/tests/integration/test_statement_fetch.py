"""The statement fetcher over gRPC: reporting asks identity for its own service token (client
credentials), calls the gradebook's GetStatement with it, and stores each statement announced by
StatementFormed once its content hashes to the announced hash. Identity and the gradebook are stood in
for by in-process gRPC servers that speak their real contracts and check the token."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from deploy.local.servers import NatsServer
from ejournal.gradebook.v1 import gradebook_service_pb2 as gbs
from ejournal.gradebook.v1 import gradebook_service_pb2_grpc as gbs_grpc
from ejournal.identity.v1 import identity_service_pb2 as ids
from ejournal.identity.v1 import identity_service_pb2_grpc as ids_grpc
from ejournal_platform.authz import require
from ejournal_platform.context import current_principal
from ejournal_platform.errors import NotFound, Unauthenticated
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.tokens import TestTokens
from ejournal_platform.tokens import ServiceIdentity
from services.reporting.adapters.gradebook_client import GrpcStatementSource
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.statement_content import StatementFetcher
from services.reporting.tests.demo.university import Shape, build
from services.reporting.tests.support import publish, reporting

pytestmark = pytest.mark.integration

SECRET = "reporting-secret-for-tests"


class Identity(ids_grpc.IdentityServiceServicer):
    def __init__(self, keys: TestTokens) -> None:
        self.keys = keys
        self.issued = 0

    async def IssueServiceToken(
        self, request: ids.IssueServiceTokenRequest, context: Any
    ) -> ids.IssueServiceTokenResponse:
        if (request.service_name, request.client_secret) != ("reporting", SECRET):
            raise Unauthenticated("service credentials are not valid", field="client_secret")
        self.issued += 1
        token = self.keys.token("service:reporting", ("service", "university", "*"))
        return ids.IssueServiceTokenResponse(access_token=token, access_expires_in_seconds=300)


class Gradebook(gbs_grpc.GradebookServiceServicer):
    def __init__(self, statements: dict[str, gbs.Statement]) -> None:
        self.statements = statements
        self.callers: set[str] = set()

    async def GetStatement(self, request: gbs.GetStatementRequest, context: Any) -> gbs.GetStatementResponse:
        principal = require(current_principal(), "statement.read")  # a service identity may read any
        self.callers.add(principal.subject)
        if request.statement_id not in self.statements:
            raise NotFound("no such statement")
        return gbs.GetStatementResponse(statement=self.statements[request.statement_id])


async def test_statements_are_fetched_with_reportings_own_service_token(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    demo = build(
        Shape(groups_per_department=2, students_per_group=4, units_per_department=1, lessons_per_unit=2)
    )
    keys = TestTokens()
    # Stand-ins implement only the calls reporting makes.
    identity_servicer = Identity(keys)  # type: ignore[abstract]
    gradebook_servicer = Gradebook(dict(demo.statements))  # type: ignore[abstract]
    identity = GrpcServer(
        keys.verifier_authenticator(),
        public_methods={"/ejournal.identity.v1.IdentityService/IssueServiceToken"},
    )
    identity.add(
        ids_grpc.add_IdentityServiceServicer_to_server,
        identity_servicer,
        "ejournal.identity.v1.IdentityService",
    )
    gradebook = GrpcServer(keys.verifier_authenticator())
    gradebook.add(
        gbs_grpc.add_GradebookServiceServicer_to_server,
        gradebook_servicer,
        "ejournal.gradebook.v1.GradebookService",
    )
    identity_port = await identity.start("127.0.0.1", 0)
    gradebook_port = await gradebook.start("127.0.0.1", 0)
    try:
        async with reporting(databases, nats_factory) as r:
            await publish(r.js, demo.events)
            await r.caught_up()
            tokens = ServiceIdentity(f"127.0.0.1:{identity_port}", "reporting", SECRET)
            fetcher = StatementFetcher(
                Deps.over(r.sessions), GrpcStatementSource(f"127.0.0.1:{gradebook_port}", tokens), idle=0.1
            )
            task = asyncio.create_task(fetcher.run())
            try:
                async with asyncio.timeout(30):
                    while await r.scalar("SELECT count(*) FROM rm_statement WHERE content IS NULL"):
                        await asyncio.sleep(0.05)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            stored = await r.scalar("SELECT count(*) FROM rm_statement WHERE content IS NOT NULL")
            assert stored == len(demo.statements)
            assert gradebook_servicer.callers == {"service:reporting"}
            assert identity_servicer.issued == 1, "the token is reused until it nears expiry"
    finally:
        await gradebook.stop(0)
        await identity.stop(0)
