"""Every notifier RPC without a token, as a signed-in person holding no role, and as a stranger holding
every role over another university (tests/contract/authorization.py): a token is required, and each
signed-in person is answered about their own notices only, never told whether an id exists."""

from __future__ import annotations

import uuid

import grpc
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal.notifier.v1 import notifier_service_pb2 as pb
from ejournal.notifier.v1 import notifier_service_pb2_grpc as pb_grpc
from ejournal_platform.db import make_engine
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.server import GrpcServer
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.testing.tokens import TestTokens
from services.notifier.entrypoints.grpc_api import NotifierServicer
from services.notifier.service_layer.deps import Deps
from tests.contract.authorization import probe, stranger_grants

pytestmark = pytest.mark.integration


async def test_every_rpc_needs_a_token_and_reveals_nothing(databases: Databases) -> None:
    engine = make_engine(databases.fresh("notifier"), pool_size=2)
    tokens = TestTokens()
    server = GrpcServer(tokens.verifier_authenticator())
    deps = Deps.over(async_sessionmaker(engine, expire_on_commit=False))
    servicer = NotifierServicer(deps)
    server.add(
        pb_grpc.add_NotifierServiceServicer_to_server,
        servicer,
        pb.DESCRIPTOR.services_by_name["NotifierService"].full_name,
    )
    port = await server.start("127.0.0.1", 0)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        stranger = bearer(tokens.token("stranger", *stranger_grants(str(uuid.uuid4()))))
        problems = await probe("notifier", channel, bearer(tokens.token("nobody")), stranger)
        assert not problems, "\n".join(problems)
    finally:
        await channel.close()
        await server.stop(0)
        await engine.dispose()
