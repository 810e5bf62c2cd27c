"""The authorization matrix over every RPC of every service (issue 13).

`RPC_ACTIONS` names, for each RPC of each `*_service.proto`, the policy action its use case checks
(`ejournal_platform.authz.POLICY`), or PUBLIC (no token needed) or SIGNED_IN (any signed-in person;
the answer is limited to what is theirs). Joined with POLICY it is the role x scope matrix that
`python -m tests.contract.authorization` writes to docs/authorization.md.

Two tests keep it true: test_authorization_matrix.py fails when an RPC has no row, a row names an
action POLICY lacks, or the document is stale; each service's test_authorization_probe.py calls every
RPC of the running servicer without a token, as a signed-in person holding no role, and as a stranger
holding every role over another university, with ids of things that do not exist, and fails unless
the first is UNAUTHENTICATED (PUBLIC aside), the second is refused naming the row's action before the
request's shape is looked at, and the third is never told NOT_FOUND (a refusal does not reveal
existence; reference data every role reads anywhere aside).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import grpc
from google.protobuf.descriptor import ServiceDescriptor

from ejournal_platform.authz import POLICY, Permit, Reach, Role
from ejournal_platform.rpc_actions import PUBLIC, RPC_ACTIONS, SIGNED_IN
from ejournal_platform.testing.rpc_probe import call

SERVICES = ("identity", "curriculum", "gradebook", "reporting", "workflow", "notifier", "subscribers")
DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"


# Actions some services check with rules of their own rather than a POLICY row.
OWN_RULES = {
    "reopen.analysis": "workflow: service_layer/sanctions.py, the oversight of the caller's scope",
    "reopen.read": "workflow: service_layer/reopen_cases.py, the case's teacher or oversight of its faculty",
    "reopen.admit_late": "workflow: service_layer/reopen_cases.py, the registrar head of a closed section",
}

# Public by design: the same words for a wrong number and a wrong hash, to anyone; and the
# regulation profiles, which ListProfiles names to anyone anyway.
PUBLIC_NOT_FOUND = {"reporting.VerifyStatement", "curriculum.GetProfile"}


def service_descriptor(service: str) -> ServiceDescriptor:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2")
    descriptor: ServiceDescriptor = module.DESCRIPTOR.services_by_name[f"{service.capitalize()}Service"]
    return descriptor


def every_rpc() -> list[str]:
    return [f"{s}.{m.name}" for s in SERVICES for m in service_descriptor(s).methods]


# How "it does not exist" reads in a refusal of another kind (an INVALID_ARGUMENT saying so is the
# same oracle as a NOT_FOUND).
MISSING_WORDS = ("does not exist", "not found", "no such", "no reopen case", "no journal")


def stranger_grants(university_id: str) -> tuple[tuple[str, str, str], ...]:
    """Every role a person can hold, each granted over one other university: someone who may do
    everything there and nothing here (the probe's second caller)."""
    return tuple((role.value, "university", university_id) for role in Role if role != Role.SERVICE)


def _anywhere(action: str) -> bool:
    """Whether a role reaches this action's resources wherever they are (reference data): then "not
    found" hides nothing from a stranger."""
    return any(p.reach == Reach.ANYWHERE for p in POLICY.get(action, ()))


async def probe(
    service: str, channel: grpc.aio.Channel, nobody: object, stranger: object | None = None
) -> list[str]:
    """Every RPC of `service`, anonymously, as `nobody` (signed in, no role) and as `stranger` (every
    role, over another university): what is wrong."""
    problems = []
    for method in service_descriptor(service).methods:
        rpc = f"{service}.{method.name}"
        expected = RPC_ACTIONS.get(rpc)
        anonymous = await call(channel, method)
        if expected != PUBLIC and anonymous[0] != grpc.StatusCode.UNAUTHENTICATED:
            problems.append(f"{rpc} without a token: {anonymous[0].name} {anonymous[1]}")
        code, details = await call(channel, method, nobody)
        outcome = f"{rpc} as nobody: {code.name} {details}"
        if code == grpc.StatusCode.NOT_FOUND and rpc not in PUBLIC_NOT_FOUND:
            problems.append(f"{outcome} (reveals existence)")
        elif expected in (PUBLIC, SIGNED_IN):
            if code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
                problems.append(outcome)
        elif (code, details) != (grpc.StatusCode.PERMISSION_DENIED, f"permission denied: {expected}"):
            problems.append(f"{outcome} (expected: permission denied: {expected})")
        if stranger is None or expected == PUBLIC or rpc in PUBLIC_NOT_FOUND or _anywhere(expected or ""):
            continue
        code, details = await call(channel, method, stranger)
        if code == grpc.StatusCode.NOT_FOUND or any(words in details for words in MISSING_WORDS):
            problems.append(f"{rpc} as a stranger: {code.name} {details} (reveals existence)")
    return problems


def _who(permit: Permit) -> str:
    reach = {"scope": "", "assigned": " (assigned)", "own": " (own)", "anywhere": " (anywhere)"}
    return f"{permit.role.value}{reach[permit.reach.value]}"


def document() -> str:
    lines = [
        "# Authorization matrix",
        "",
        "Generated by `python -m tests.contract.authorization` from `RPC_ACTIONS` (libs/ejournal_platform/"
        "rpc_actions.py) and `POLICY` (libs/ejournal_platform/authz.py); do not edit by hand.",
        "A role acts within the scope of its grant (university, faculty, department, group, student) unless",
        "marked: *assigned* = the resource's assignees (a journal's teachers, a substitute), *own* = the",
        "caller's own resource, *anywhere* = holding the role is enough. Proof: each service's",
        "`test_authorization_probe.py` and identity's `test_authorization_matrix.py`.",
        "",
        "| RPC | action | who |",
        "|---|---|---|",
    ]
    for rpc in every_rpc():
        action = RPC_ACTIONS.get(rpc, "")
        if action in (PUBLIC, SIGNED_IN):
            who = "anyone" if action == PUBLIC else "any signed-in person (their own)"
        elif action in OWN_RULES:
            who = OWN_RULES[action]
        else:
            who = ", ".join(_who(p) for p in POLICY.get(action, ()))
        lines.append(f"| `{rpc}` | {action} | {who} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOCUMENT.write_text(document())
    sys.stdout.write(f"wrote {DOCUMENT}\n")
