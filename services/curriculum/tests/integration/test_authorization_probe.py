"""Every curriculum RPC without a token and as a signed-in person holding no role (tests/contract/
authorization.py): refused, naming the action of its row, never revealing whether an id exists."""

from __future__ import annotations

import uuid

import pytest

from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.grpc.client import bearer, open_channel
from ejournal_platform.grpc.server import GrpcServer
from services.curriculum.entrypoints.grpc_api import CurriculumServicer
from services.curriculum.entrypoints.main import PUBLIC_METHODS, SERVICE
from services.curriculum.service_layer.deps import Deps
from services.curriculum.tests.integration.test_grpc_api import Tokens
from services.curriculum.tests.integration.world import World
from tests.contract.authorization import probe, stranger_grants

pytestmark = pytest.mark.integration


async def test_every_rpc_is_refused_to_a_caller_without_a_role(deps: Deps, world: World) -> None:
    from ejournal.curriculum.v1 import curriculum_service_pb2_grpc as pb_grpc

    tokens = Tokens()
    tokens.people["nobody"] = Principal("nobody", ())
    tokens.people["stranger"] = Principal(
        "stranger", tuple(RoleGrant(*grant) for grant in stranger_grants(str(uuid.uuid4())))
    )
    server = GrpcServer(tokens, PUBLIC_METHODS)
    server.add(pb_grpc.add_CurriculumServiceServicer_to_server, CurriculumServicer(deps), SERVICE)
    port = await server.start("127.0.0.1", 0)
    channel = open_channel(f"127.0.0.1:{port}")
    try:
        problems = await probe("curriculum", channel, bearer("nobody"), bearer("stranger"))
        assert not problems, "\n".join(problems)
    finally:
        await channel.close()
        await server.stop(0)
