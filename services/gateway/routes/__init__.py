"""Every route that forwards to one RPC, as one table per service (a module each). The gateway decides
nothing: the service that owns the RPC authenticates, authorizes and validates."""

from __future__ import annotations

import importlib
from dataclasses import replace

from fastapi import APIRouter
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.message import Message

from ejournal_platform.grpc.public import is_public
from services.gateway.routes.curriculum import CURRICULUM
from services.gateway.routes.gradebook import GRADEBOOK
from services.gateway.routes.identity import IDENTITY
from services.gateway.routes.notifier import NOTIFIER
from services.gateway.routes.reporting import REPORTING
from services.gateway.routes.subscribers import SUBSCRIBERS
from services.gateway.routes.workflow import WORKFLOW
from services.gateway.rpc_routes import RpcRoute, add_rpc_route

ROUTES: list[RpcRoute] = [*IDENTITY, *CURRICULUM, *GRADEBOOK, *WORKFLOW, *REPORTING, *NOTIFIER, *SUBSCRIBERS]


# RPCs the portal does not call through the generic table, each with the reason.
NOT_ROUTED: dict[str, str] = {
    "identity.Login": "session.py: sign-in sets the cookie session",
    "identity.Refresh": "session.py",
    "identity.Logout": "session.py",
    "identity.WhoAmI": "session.py (GET /api/v1/session/me)",
    "identity.GetKeySet": "service-to-service: token verification keys",
    "identity.ListRevokedSessions": "service-to-service: the deny-list of ended sessions",
    "identity.IssueServiceToken": "service-to-service: client credentials of service identities",
    "identity.RotateSigningKey": "operations, not the portal",
    "identity.LinkTelegram": "service-to-service: the notifier links the chat the code arrived in",
    "identity.ResolveRecipients": "service-to-service: the notifier's recipients and their chat ids",
    "curriculum.GetClassroomSecret": "service-to-service: the QR secret never leaves the back end",
    "curriculum.ImportFile": "imports.py: the file is the body, progress streams back",
    "gradebook.GrantReopen": "only the workflow service grants re-access (KZ-13.3)",
    "gradebook.EndReopen": "the workflow ends grants: SubmitCorrection or the deadline",
    "reporting.RebuildReadModels": "operations: replays every stream, not a portal action",
    "reporting.RunRetention": "operations and the yearly schedule, not a portal action",
}


def message_types(route: RpcRoute) -> tuple[type[Message], type[Message]]:
    module = importlib.import_module(f"ejournal.{route.service}.v1.{route.service}_service_pb2")
    return getattr(module, f"{route.rpc}Request"), getattr(module, f"{route.rpc}Response")


def method_descriptor(route: RpcRoute) -> MethodDescriptor:
    module = importlib.import_module(f"ejournal.{route.service}.v1.{route.service}_service_pb2")
    (service,) = module.DESCRIPTOR.services_by_name.values()
    method: MethodDescriptor = service.methods_by_name[route.rpc]
    return method


def rpc_router() -> APIRouter:
    """Each route as the table says; whether it needs a session is the contract's word (the method
    option `(ejournal.api.v1.public)`), the same the owning service's authentication hook reads."""
    router = APIRouter()
    for route in ROUTES:
        declared = replace(route, public=is_public(method_descriptor(route)))
        add_rpc_route(router, declared, *message_types(route))
    return router
