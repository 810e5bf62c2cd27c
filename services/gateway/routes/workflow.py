"""Routes that forward to workflow's RPCs, one line each."""

from __future__ import annotations

from services.gateway.routes.verbs import GET, POST
from services.gateway.rpc_routes import RpcRoute

W = "workflow"
WORKFLOW = [
    RpcRoute(
        POST,
        "/api/v1/reopen-cases",
        W,
        "SubmitExplanation",
        "A teacher's explanation of a filling error: opens a reopen case (KZ-13.1)",
        "reopen",
        201,
    ),
    RpcRoute(
        POST,
        "/api/v1/late-explanations",
        W,
        "AdmitLateExplanation",
        "The registrar head admits a late explanation",
        "reopen",
        201,
    ),
    RpcRoute(
        POST,
        "/api/v1/reopen-cases/{case_id}/visas",
        W,
        "AddVisa",
        "A visa of the department head, dean for curation or dean (KZ-08)",
        "reopen",
        path_fields=("case_id",),
    ),
    RpcRoute(
        POST,
        "/api/v1/reopen-cases/{case_id}/council-decision",
        W,
        "DecideCouncil",
        "The dean's council decision (KZ-13.2)",
        "reopen",
        path_fields=("case_id",),
    ),
    RpcRoute(
        POST,
        "/api/v1/reopen-cases/{case_id}/reopening",
        W,
        "ReopenJournal",
        "The registrar reopens the journal for the teacher (KZ-13.3)",
        "reopen",
        path_fields=("case_id",),
    ),
    RpcRoute(
        POST,
        "/api/v1/reopen-cases/{case_id}/correction",
        W,
        "SubmitCorrection",
        "The teacher submits the correction and the individual statement (KZ-13.4)",
        "reopen",
        path_fields=("case_id",),
    ),
    RpcRoute(
        POST,
        "/api/v1/reopen-cases/{case_id}/withdrawal",
        W,
        "WithdrawCase",
        "Withdraw a reopen case",
        "reopen",
        path_fields=("case_id",),
    ),
    RpcRoute(
        GET,
        "/api/v1/reopen-cases/{case_id}",
        W,
        "GetCase",
        "A reopen case with its history",
        "reopen",
        path_fields=("case_id",),
    ),
    RpcRoute(GET, "/api/v1/my/tasks", W, "ListTasks", "The tasks waiting for me", "tasks"),
    RpcRoute(GET, "/api/v1/my/reopen-cases", W, "ListMyCases", "My own reopen cases, newest first", "reopen"),
    RpcRoute(
        GET,
        "/api/v1/reopen-counts",
        W,
        "ListReopenCounts",
        "Reopens per teacher and department (KZ-10)",
        "sanctions",
    ),
    RpcRoute(
        GET,
        "/api/v1/reopen-reasons",
        W,
        "ListReopenReasons",
        "The term's reopen reasons (KZ-13.5)",
        "sanctions",
    ),
    RpcRoute(
        POST,
        "/api/v1/sanctions/{proposal_id}/confirmation",
        W,
        "ConfirmSanction",
        "Confirm a proposed disciplinary measure (KZ-14)",
        "sanctions",
        path_fields=("proposal_id",),
    ),
    RpcRoute(
        POST,
        "/api/v1/corrective-measures",
        W,
        "RecordCorrectiveMeasure",
        "Record a corrective measure (KZ-13.6)",
        "sanctions",
        201,
    ),
    RpcRoute(
        GET, "/api/v1/journal-checks", W, "ListJournalChecks", "Weekly journal checks (KG-08)", "monitoring"
    ),
]  # fmt: skip
