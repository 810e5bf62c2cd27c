"""Every subscribers RPC without a token, as a signed-in person holding no role, and as a stranger
holding every role over another university (tests/contract/authorization.py): refused, naming the
action of its row, never revealing whether an id exists."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from deploy.local.servers import NatsServer
from ejournal_platform.testing.fixtures import Databases
from services.subscribers.tests.harness import running_subscribers
from tests.contract.authorization import probe, stranger_grants

pytestmark = pytest.mark.integration


async def test_every_rpc_is_refused_to_a_caller_without_a_role(
    databases: Databases, nats_factory: Callable[[], NatsServer]
) -> None:
    async with running_subscribers(databases, nats_factory()) as s:
        stranger = s.person(*stranger_grants(str(uuid.uuid4())))
        problems = await probe("subscribers", s.channel, s.person(), stranger)
        assert not problems, "\n".join(problems)
