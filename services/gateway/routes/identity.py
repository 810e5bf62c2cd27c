"""Routes that forward to identity's RPCs, one line each."""

from __future__ import annotations

from services.gateway.routes.verbs import DELETE, GET, POST, PUT
from services.gateway.rpc_routes import RpcRoute

IDENTITY = [
    RpcRoute(POST, "/api/v1/people", "identity", "CreatePerson", "Register a person", "people", 201),
    RpcRoute(GET, "/api/v1/people", "identity", "FindPeople", "Find the people I manage by login or name",
             "people"),
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
    RpcRoute(GET, "/api/v1/people/{person_id}/contacts", "identity", "GetContacts",
             "A person's contacts and notice preferences", "contacts", path_fields=("person_id",)),
    RpcRoute(PUT, "/api/v1/people/{person_id}/contacts", "identity", "UpdateContacts",
             "Edit contacts and notice preferences", "contacts", path_fields=("person_id",)),
    RpcRoute(POST, "/api/v1/session/telegram-link", "identity", "StartTelegramLink",
             "A one-time code to send to the Telegram bot", "contacts", 201),
]  # fmt: skip
