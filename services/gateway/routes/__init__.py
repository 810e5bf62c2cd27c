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

# The router tries routes in this order, one pattern after another, so the gradebook's (a teacher's
# saves and grid reads, the busiest calls) come first: a save no longer waits for sixty patterns to fail
# (issue 19). No two services' routes match the same method and path, so the order decides nothing else.
ROUTES: list[RpcRoute] = [*GRADEBOOK, *IDENTITY, *CURRICULUM, *WORKFLOW, *REPORTING, *NOTIFIER, *SUBSCRIBERS]


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


# GET routes whose reply holds a list but that are not paginated, each with why the list stays small.
# Every other list route takes `page_size` and `page_token` and answers `next_page_token` (issue 22);
# tests/e2e/test_pagination_walk.py walks each to the end, and a new list route that is neither paged
# nor listed here fails services/gateway/tests/unit/test_every_list_is_paginated.py.
BOUNDED_LISTS: dict[str, str] = {
    "me_api_v1_session_me_get": "the caller's own session (session.py): their roles",
    "identity.ListRoles": "one person's roles: a handful",
    "identity.FindPeople": "a typeahead search (2+ letters): at most 100 matches by name; not yet paginated",
    "curriculum.ListProfiles": "the regulation profiles shipped with the code",
    "curriculum.GetStructure": "one university's faculties, departments and specialties: one tree, hundreds at most",
    "curriculum.ListAcademicYears": "one university's academic years: one a year",
    "curriculum.ListGroupMembers": "one group's students on a day (about 30)",
    "curriculum.GetStudentHistory": "one student's movements (enrolment, transfers, expulsion)",
    "gradebook.GetJournalGrid": "one journal: its group's students and the term's columns",
    "gradebook.GetTotals": "one journal's students",
    "gradebook.GetIntegratedTotals": "one group's students in one integrated discipline",
    "gradebook.ListStatements": "one journal's statements: one per control section",
    "gradebook.GetCellHistory": "one cell's changes",
    "gradebook.GetStudentResults": "one student's journals in one term",
    "workflow.ListReopenCounts": "a term's counts, one row per teacher and department that reopened (KZ-13: rare)",
    "workflow.ListReopenReasons": "a term's reopen cases (KZ-13: an exception, tens a term) and their measures",
    "reporting.GetEventLag": "one row per read-model consumer",
    "reporting.GetCuratorAttendanceList": "one group's students",
    "reporting.GetForecast": "one group's students in one course unit",
    "reporting.VerifyStatement": "one statement's signatures",
    "subscribers.ListSubscribers": "one university's webhook subscribers: tens",
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
