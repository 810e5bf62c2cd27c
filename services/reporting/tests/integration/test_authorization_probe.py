"""Every reporting RPC without a token and as a signed-in person holding no role (tests/contract/
authorization.py): refused, naming the action of its row, never revealing whether an id exists."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from deploy.local.servers import NatsServer
from ejournal_platform.testing.fixtures import Databases
from services.reporting.tests.support import reporting, serve
from tests.contract.authorization import probe, stranger_grants

pytestmark = pytest.mark.integration


async def test_every_rpc_is_refused_to_a_caller_without_a_role(
    databases: Databases, nats_factory: Callable[[], NatsServer], tmp_path: Path
) -> None:
    async with reporting(databases, nats_factory) as r, serve(r, tmp_path) as served:
        channel = served.channel
        assert channel is not None
        problems = await probe(
            "reporting",
            channel,
            served.as_("nobody"),
            served.as_("stranger", *stranger_grants(str(uuid.uuid4()))),
        )
        assert not problems, "\n".join(problems)
