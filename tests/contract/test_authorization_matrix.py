"""The authorization matrix has a row for every RPC of every service, each row names an action the
policy knows, and docs/authorization.md is what the rows and POLICY say (tests/contract/authorization.py).
Whether each service really checks its rows' actions is probed by each service's
test_authorization_probe.py (identity: test_authorization_matrix.py)."""

from __future__ import annotations

import importlib

import pytest

from ejournal_platform.authz import POLICY
from ejournal_platform.rpc_actions import PUBLIC, RPC_ACTIONS, SIGNED_IN
from tests.contract.authorization import (
    DOCUMENT,
    OWN_RULES,
    document,
    every_rpc,
)

pytestmark = pytest.mark.unit


def test_every_rpc_of_every_service_has_a_row() -> None:
    rpcs = set(every_rpc())
    assert len(rpcs) > 100
    missing = sorted(rpcs - set(RPC_ACTIONS))
    assert not missing, f"add an authorization row (tests/contract/authorization.py) for: {missing}"
    assert set(RPC_ACTIONS) <= rpcs, sorted(set(RPC_ACTIONS) - rpcs)


def test_every_row_names_an_action_the_policy_knows() -> None:
    unknown = {
        rpc: action
        for rpc, action in RPC_ACTIONS.items()
        if action not in POLICY and action not in OWN_RULES and action not in (PUBLIC, SIGNED_IN)
    }
    assert not unknown, unknown


@pytest.mark.parametrize("service", ["identity", "curriculum", "reporting"])
def test_public_rows_are_the_services_public_methods(service: str) -> None:
    main = importlib.import_module(f"services.{service}.entrypoints.main")
    public = {path.rsplit("/", 1)[1] for path in main.PUBLIC_METHODS}
    rows = {rpc.split(".")[1] for rpc, action in RPC_ACTIONS.items() if rpc.startswith(f"{service}.")}
    assert public == {r for r in rows if RPC_ACTIONS[f"{service}.{r}"] == PUBLIC}


def test_the_document_is_fresh() -> None:
    assert DOCUMENT.read_text() == document(), "run: python -m tests.contract.authorization"
