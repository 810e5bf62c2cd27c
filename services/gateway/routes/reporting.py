"""Routes that forward to reporting's RPCs, one line each."""

from __future__ import annotations

from services.gateway.routes.verbs import GET, POST
from services.gateway.rpc_routes import RpcRoute

R = "reporting"
# Report queries take a scope message (faculty, department, group...), so they are POSTs of a query.
REPORTING = [
    RpcRoute(GET, "/api/v1/reporting/lag", R, "GetEventLag", "How far the read models are behind the events", "reports"),
    RpcRoute(POST, "/api/v1/reports/filling", R, "GetFillingReport", "Journal filling per teacher, department, faculty (KG-11, KZ-10)", "reports"),
    RpcRoute(POST, "/api/v1/reports/attendance", R, "GetAttendanceReport", "Attendance per group and student (KG-11)", "reports"),
    RpcRoute(POST, "/api/v1/reports/quality", R, "GetQualityReport", "Education quality at the end of a semester or year (KG-11)", "reports"),
    RpcRoute(POST, "/api/v1/reports/reopen-analysis", R, "GetReopenAnalysis", "The registrar head's analysis of reopen reasons (KZ-13.5)", "reports"),
    RpcRoute(GET, "/api/v1/groups/{group_id}/curator-attendance", R, "GetCuratorAttendanceList", "Attendance with parents to contact, for the curator (KG-11)", "reports", path_fields=("group_id",)),
    RpcRoute(GET, "/api/v1/forecast", R, "GetForecast", "Expected results and risk of failing, with reasons (KG-13)", "reports"),
    RpcRoute(POST, "/api/v1/documents", R, "RenderDocument", "A statement, journal printout or KZ-17 form as PDF or XLSX", "documents"),
    RpcRoute(POST, "/api/v1/report-jobs", R, "StartReport", "Start a long report in the background", "reports", 201),
    RpcRoute(GET, "/api/v1/report-jobs/{job_id}", R, "GetReportJob", "A background report's progress", "reports", path_fields=("job_id",)),
    RpcRoute(GET, "/api/v1/report-jobs/{job_id}/file", R, "DownloadReport", "A finished report's file", "reports", path_fields=("job_id",)),
    RpcRoute(GET, "/api/v1/archive-records", R, "ListArchiveRecords", "What was archived, when (KG-12)", "retention"),
    RpcRoute(GET, "/api/v1/backups", R, "ListBackups", "Backups taken (KZ-16)", "retention"),
    RpcRoute(POST, "/api/v1/statements/{statement_id}/approval", R, "ApproveStatement", "Sign a statement as its next signer: teacher, head of department, registrar (PAdES)", "documents", path_fields=("statement_id",)),
    RpcRoute(POST, "/api/v1/statements/{statement_id}/external-signatures", R, "PrepareExternalSignature", "Sign with a key held outside (NCALayer, a smart card): reserve the signature, get the digest to sign", "documents", 201, path_fields=("statement_id",)),
    RpcRoute(POST, "/api/v1/external-signatures/{signing_id}", R, "CompleteExternalSignature", "Send back the external signature value; it is embedded if it verifies", "documents", path_fields=("signing_id",)),
    RpcRoute(GET, "/verify/{number}", R, "VerifyStatement", "Public: does a statement with this number and hash exist, who signed it, are the signatures valid", "verification", path_fields=("number",)),
    RpcRoute(POST, "/api/v1/documents/verification", R, "VerifyDocument", "Public: check an uploaded statement PDF against its record and its signatures", "verification"),
]  # fmt: skip
