"""Every route that forwards to one RPC, as one table per service. The gateway decides nothing: the
service that owns the RPC authenticates, authorizes and validates."""

from __future__ import annotations

import importlib

from fastapi import APIRouter

from services.gateway.rpc_routes import RpcRoute, add_rpc_route

GET, POST, PUT, DELETE = "GET", "POST", "PUT", "DELETE"

IDENTITY = [
    RpcRoute(POST, "/api/v1/people", "identity", "CreatePerson", "Register a person", "people", 201),
    RpcRoute(GET, "/api/v1/people/{person_id}", "identity", "GetPerson", "A person", "people",
             path_fields=("person_id",)),
    RpcRoute(PUT, "/api/v1/people/{person_id}", "identity", "UpdatePerson", "Edit a person's profile", "people",
             path_fields=("person_id",)),
    RpcRoute(PUT, "/api/v1/people/{person_id}/status", "identity", "SetAccountStatus",
             "Suspend, reactivate or mark as left", "people", path_fields=("person_id",)),
    RpcRoute(GET, "/api/v1/people/{person_id}/history", "identity", "GetPersonHistory",
             "Audit trail of a person", "people", path_fields=("person_id",)),
    RpcRoute(POST, "/api/v1/people/{person_id}/credentials", "identity", "IssueCredentials",
             "Issue or reset a person's credentials", "people", path_fields=("person_id",)),
    RpcRoute(PUT, "/api/v1/session/password", "identity", "ChangeOwnPassword", "Change one's own password",
             "session"),
    RpcRoute(GET, "/api/v1/people/{person_id}/login-attempts", "identity", "ListLoginAttempts",
             "Login audit of a person", "people", path_fields=("person_id",)),
    RpcRoute(POST, "/api/v1/people/{person_id}/roles", "identity", "GrantRole", "Grant a role within a scope",
             "roles", 201, path_fields=("person_id",)),
    RpcRoute(DELETE, "/api/v1/roles/{assignment_id}", "identity", "RevokeRole", "Revoke a role", "roles",
             path_fields=("assignment_id",)),
    RpcRoute(GET, "/api/v1/people/{person_id}/roles", "identity", "ListRoles", "A person's roles", "roles",
             path_fields=("person_id",)),
    RpcRoute(POST, "/api/v1/login-requests", "identity", "SubmitLoginRequest",
             "A department head's login request for a new teacher (KZ-15)", "login requests", 201),
    RpcRoute(GET, "/api/v1/login-requests", "identity", "ListLoginRequests", "Login requests", "login requests"),
    RpcRoute(POST, "/api/v1/login-requests/{login_request_id}/decision", "identity", "DecideLoginRequest",
             "Issue or refuse a requested login", "login requests", path_fields=("login_request_id",)),
    RpcRoute(POST, "/api/v1/substitutions", "identity", "AppointSubstitute",
             "Appoint a substitute teacher (KZ-07, KG-07)", "substitutions", 201),
    RpcRoute(POST, "/api/v1/substitutions/{substitution_id}/end", "identity", "EndSubstitution",
             "End a substitution early", "substitutions", path_fields=("substitution_id",)),
    RpcRoute(GET, "/api/v1/substitutions", "identity", "ListSubstitutions", "Substitutions", "substitutions"),
]  # fmt: skip

ROUTES: list[RpcRoute] = [*IDENTITY]


def message_types(route: RpcRoute) -> tuple[type, type]:
    module = importlib.import_module(f"ejournal.{route.service}.v1.{route.service}_service_pb2")
    return getattr(module, f"{route.rpc}Request"), getattr(module, f"{route.rpc}Response")


def rpc_router() -> APIRouter:
    router = APIRouter()
    for route in ROUTES:
        add_rpc_route(router, route, *message_types(route))
    return router
