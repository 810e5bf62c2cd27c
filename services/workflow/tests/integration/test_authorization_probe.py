"""Every workflow RPC without a token and as a signed-in person holding no role (tests/contract/
authorization.py): refused, naming the action of its row, never revealing whether an id exists."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from deploy.local.servers import TemporalDevServer
from ejournal_platform.grpc.client import bearer
from services.workflow.tests.harness import running_service
from tests.contract.authorization import probe, stranger_grants

pytestmark = pytest.mark.integration


async def test_every_rpc_is_refused_to_a_caller_without_a_role(
    databases: Any, temporal_dev: TemporalDevServer
) -> None:
    async with running_service(databases.fresh("workflow"), temporal_dev.address) as harness:
        channel = harness.channel
        assert channel is not None
        problems = await probe(
            "workflow",
            channel,
            bearer(harness.keys.token("nobody")),
            bearer(harness.keys.token("stranger", *stranger_grants(str(uuid.uuid4())))),
        )
        assert not problems, "\n".join(problems)
