"""What no annotation can say about the gateway's routes, keyed by "service.Method". The routes
themselves (verb, path, path fields, body, summary, tag, status, public) are read from the contracts
(http_rules.py: `option (google.api.http)` and the `(ejournal.api.v1.*)` method options). Here are only
the gateway's own behaviours, the RPCs it leaves unrouted and why, and the lists that stay small. The
gateway decides nothing: the service that owns the RPC authenticates, authorizes and validates."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fastapi import APIRouter

from ejournal_platform.services import SERVICES
from services.gateway.enrich import (
    add_student_names,
    add_teacher_names,
    ask_student_names_early,
    remember_journal_groups,
)
from services.gateway.http_rules import message_types, routes_from_contracts
from services.gateway.rpc_routes import BodyRoute, Early, Enrich, RpcRoute, add_rpc_route


@dataclass(frozen=True)
class Behaviour:
    """What a route does beyond forwarding (the fields of the same names in RpcRoute say how)."""

    etag: bool = False
    if_match_read: str | None = None
    enrich: Enrich | None = None
    early: Early | None = None


BEHAVIOUR: dict[str, Behaviour] = {
    "gradebook.GetJournalGrid": Behaviour(etag=True, enrich=add_student_names, early=ask_student_names_early),
    "gradebook.WriteMarks": Behaviour(if_match_read="GetJournalGrid"),
    "gradebook.ListMyJournals": Behaviour(enrich=remember_journal_groups),
    "curriculum.ListTeachingLoads": Behaviour(enrich=add_teacher_names),
}


# RPCs whose contract gives no google.api.http binding, each with the reason: a new RPC is either
# bound in its contract or named here (tests/contract/test_http_mapping.py).
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


def with_behaviour(route: RpcRoute) -> RpcRoute:
    extra = BEHAVIOUR.get(f"{route.service}.{route.rpc}")
    if extra is None:
        return route
    return replace(
        route, etag=extra.etag, if_match_read=extra.if_match_read, enrich=extra.enrich, early=extra.early
    )


# Every route the contracts declare, each contract's in its order. The router tries routes one pattern
# after another, so the gradebook's (a teacher's saves and grid reads, the busiest calls) come first: a
# save does not wait for sixty patterns to fail (issue 19). No two services' routes match the same method
# and path (tests/contract/test_http_mapping.py checks it), so the order decides nothing else.
BUSIEST_FIRST = ("gradebook", *(service for service in SERVICES if service != "gradebook"))
ROUTES: list[RpcRoute] = [with_behaviour(route) for route in routes_from_contracts(BUSIEST_FIRST)]


def rpc_router() -> APIRouter:
    """Each route as its contract declares it; whether it needs a session is the contract's word (the
    method option `(ejournal.api.v1.public)`), the same the owning service's authentication hook reads."""
    return rpc_routes()[0]


def rpc_routes() -> tuple[APIRouter, list[BodyRoute]]:
    """The router, and its routes that take a JSON body (which direct.py serves)."""
    router = APIRouter()
    with_body = [add_rpc_route(router, route, *message_types(route)) for route in ROUTES]
    return router, [found for found in with_body if found is not None]
