"""Every gradebook RPC without a token and as a signed-in person holding no role (tests/contract/
authorization.py): refused, naming the action of its row, never revealing whether an id exists."""

from __future__ import annotations

import pytest

from services.gradebook.tests.world import World, new_id
from tests.contract.authorization import probe, stranger_grants

pytestmark = pytest.mark.integration


async def test_every_rpc_is_refused_to_a_caller_without_a_role(w: World) -> None:
    assert w.channel is not None
    problems = await probe(
        "gradebook", w.channel, w.person(new_id()), w.person(new_id(), *stranger_grants(new_id()))
    )
    assert not problems, "\n".join(problems)
