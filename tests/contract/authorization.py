"""The authorization matrix over every RPC of every service (issue 13).

`RPC_ACTIONS` names, for each RPC of each `*_service.proto`, the policy action its use case checks
(`ejournal_platform.authz.POLICY`), or PUBLIC (no token needed) or SIGNED_IN (any signed-in person;
the answer is limited to what is theirs). Joined with POLICY it is the role x scope matrix that
`python -m tests.contract.authorization` writes to docs/authorization.md.

Two tests keep it true: test_authorization_matrix.py fails when an RPC has no row, a row names an
action POLICY lacks, or the document is stale; each service's test_authorization_probe.py calls every
RPC of the running servicer without a token and as a signed-in person holding no role, with ids of
things that do not exist, and fails unless the first is UNAUTHENTICATED (PUBLIC aside) and the second
is refused naming the row's action (never NOT_FOUND: a refusal does not reveal existence).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import grpc
from google.protobuf.descriptor import ServiceDescriptor

from ejournal_platform.authz import POLICY, Permit
from ejournal_platform.testing.rpc_probe import call

PUBLIC, SIGNED_IN = "public", "signed-in"
SERVICES = ("identity", "curriculum", "gradebook", "reporting", "workflow", "notifier", "subscribers")
DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"

RPC_ACTIONS: dict[str, str] = {
    # identity: its own matrix (services/identity/tests/integration/test_authorization_matrix.py)
    # probes each role in and out of scope; these rows name the action of each RPC.
    "identity.Login": PUBLIC, "identity.Refresh": PUBLIC, "identity.Logout": SIGNED_IN,
    "identity.GetKeySet": PUBLIC, "identity.ListRevokedSessions": PUBLIC,
    "identity.RotateSigningKey": "keys.rotate", "identity.IssueServiceToken": PUBLIC,
    "identity.WhoAmI": SIGNED_IN, "identity.CreatePerson": "people.manage",
    "identity.GetPerson": "people.read", "identity.UpdatePerson": "people.manage",
    "identity.SetAccountStatus": "people.manage", "identity.GetPersonHistory": "audit.read",
    "identity.IssueCredentials": "people.manage", "identity.ChangeOwnPassword": SIGNED_IN,
    "identity.ListLoginAttempts": "audit.read", "identity.GrantRole": "roles.grant",
    "identity.RevokeRole": "roles.grant", "identity.ListRoles": "roles.read",
    "identity.SubmitLoginRequest": "login_request.submit", "identity.ListLoginRequests": "login_request.read",
    "identity.DecideLoginRequest": "login_request.decide",
    "identity.AppointSubstitute": "substitution.appoint",
    "identity.EndSubstitution": "substitution.appoint", "identity.ListSubstitutions": "substitution.read",
    "identity.GetContacts": "contacts.read", "identity.UpdateContacts": "contacts.manage",
    "identity.StartTelegramLink": SIGNED_IN, "identity.LinkTelegram": "contacts.resolve",
    "identity.ResolveRecipients": "contacts.resolve",
    # curriculum
    "curriculum.ListProfiles": PUBLIC, "curriculum.GetProfile": PUBLIC,
    "curriculum.DefineUniversity": "structure.manage", "curriculum.DefineFaculty": "structure.manage",
    "curriculum.DefineDepartment": "structure.manage", "curriculum.DefineSpecialty": "structure.manage",
    "curriculum.DefineGroup": "structure.manage", "curriculum.DefineSubgroup": "structure.manage",
    "curriculum.GetStructure": "structure.read", "curriculum.ListGroups": "structure.read",
    "curriculum.DefineClassroom": "structure.manage", "curriculum.ListClassrooms": "structure.read",
    "curriculum.RotateClassroomSecret": "structure.manage",
    "curriculum.GetClassroomSecret": "classroom.secret.read",
    "curriculum.DefineAcademicYear": "calendar.manage", "curriculum.ListAcademicYears": "structure.read",
    "curriculum.ScheduleControlEvent": "calendar.manage", "curriculum.ChangeDeadline": "calendar.manage",
    "curriculum.ListControlEvents": "curriculum.read", "curriculum.ListAuditEntries": "audit.read",
    "curriculum.EnrollStudent": "contingent.manage", "curriculum.TransferStudent": "contingent.manage",
    "curriculum.ExpelStudent": "contingent.manage", "curriculum.ListGroupMembers": "contingent.read",
    "curriculum.GetStudentHistory": "contingent.read", "curriculum.DefineCourseUnit": "curriculum.manage",
    "curriculum.RemoveCourseUnit": "curriculum.manage", "curriculum.ListCourseUnits": "curriculum.read",
    "curriculum.AssignTeachingLoad": "teaching_load.manage",
    "curriculum.RemoveTeachingLoad": "teaching_load.manage",
    "curriculum.ListTeachingLoads": "teaching_load.read",
    "curriculum.AppointPlanUploader": "lesson_plan.appoint",
    "curriculum.SubmitLessonPlan": "lesson_plan.upload", "curriculum.GetLessonPlan": "curriculum.read",
    "curriculum.ScheduleLesson": "schedule.manage", "curriculum.CancelLesson": "schedule.manage",
    "curriculum.ListLessons": "curriculum.read", "curriculum.ImportFile": "curriculum.manage",
    "curriculum.GetImport": "curriculum.manage",
    # gradebook
    "gradebook.GetJournal": "journal.read", "gradebook.ListMyJournals": SIGNED_IN,
    "gradebook.GetJournalGrid": "journal.read", "gradebook.WriteMarks": "journal.write",
    "gradebook.RecordAttendance": "journal.write", "gradebook.GetCheckInCode": "journal.write",
    "gradebook.CheckIn": "attendance.checkin", "gradebook.GetTotals": "journal.read",
    "gradebook.GetIntegratedTotals": "journal.read", "gradebook.CloseSection": "journal.close",
    "gradebook.GrantReopen": "reopen.grant", "gradebook.EndReopen": "journal.write",
    "gradebook.GetStatement": "statement.read", "gradebook.ListStatements": "statement.read",
    "gradebook.FormIntegratedStatement": "statement.form", "gradebook.VerifyJournal": "journal.read",
    "gradebook.GetCellHistory": "journal.read", "gradebook.OpenDispute": "mark.dispute",
    "gradebook.AnswerDispute": "mark.dispute.answer", "gradebook.ListDisputes": "journal.read",
    "gradebook.GetStudentResults": "journal.read", "gradebook.GetFillStatus": "journal.monitor",
    # reporting
    "reporting.GetEventLag": "journal.monitor", "reporting.RebuildReadModels": "report.archive",
    "reporting.GetFillingReport": "report.read", "reporting.GetAttendanceReport": "report.read",
    "reporting.GetQualityReport": "report.read", "reporting.GetReopenAnalysis": "journal.monitor",
    "reporting.GetCuratorAttendanceList": "report.read", "reporting.GetForecast": "report.read",
    "reporting.RenderDocument": "statement.read", "reporting.StartReport": "report.read",
    "reporting.GetReportJob": "report.read", "reporting.DownloadReport": "report.read",
    "reporting.RunRetention": "report.archive", "reporting.ListArchiveRecords": "report.archive",
    "reporting.ListBackups": "report.archive", "reporting.ApproveStatement": "statement.read",
    "reporting.VerifyStatement": PUBLIC, "reporting.VerifyDocument": PUBLIC,
    # workflow: the steps of a reopen case are authorized by the case's own step rules (who may act
    # at which step, services/workflow/reopen); the rest by the policy.
    "workflow.SubmitExplanation": "reopen.request", "workflow.AdmitLateExplanation": "reopen.endorse",
    "workflow.AddVisa": "reopen.endorse", "workflow.DecideCouncil": "reopen.decide",
    "workflow.ReopenJournal": "reopen.grant", "workflow.SubmitCorrection": "reopen.request",
    "workflow.WithdrawCase": "reopen.request", "workflow.GetCase": "journal.monitor",
    "workflow.ListTasks": SIGNED_IN, "workflow.ListMyCases": SIGNED_IN,
    "workflow.ListReopenCounts": "journal.monitor",
    "workflow.ListReopenReasons": "reopen.analysis", "workflow.ConfirmSanction": "sanction.record",
    "workflow.RecordCorrectiveMeasure": "sanction.record", "workflow.ListJournalChecks": SIGNED_IN,
    # notifier
    "notifier.ListMyNotices": SIGNED_IN, "notifier.MarkNoticesRead": SIGNED_IN,
    # subscribers (issue 20): a university's administrator connects its outside systems
    "subscribers.RegisterWebhook": "subscribers.manage", "subscribers.ListSubscribers": "subscribers.manage",
    "subscribers.ListDeadLetters": "subscribers.manage",
    "subscribers.ReplayDeadLetters": "subscribers.manage",
    "subscribers.SetSubscriberActive": "subscribers.manage",
}  # fmt: skip

# Actions some services check with rules of their own rather than a POLICY row.
OWN_RULES = {"reopen.analysis": "workflow: service_layer/sanctions.py, the oversight of the caller's scope"}

# RPCs that check the request's shape before whom it concerns: a caller holding no role is told
# about this field first (INVALID_ARGUMENT naming it). That reveals nothing about existence; the
# probe accepts it, so for these the probe does not prove the action is checked.
SHAPE_FIRST: dict[str, str] = {
    "gradebook.WriteMarks": "cells", "gradebook.RecordAttendance": "entries", "gradebook.CheckIn": "code",
    "gradebook.EndReopen": "reason",
    "curriculum.DefineUniversity": "code", "curriculum.DefineFaculty": "code",
    "curriculum.DefineDepartment": "code", "curriculum.DefineSpecialty": "code",
    "curriculum.DefineGroup": "code", "curriculum.DefineSubgroup": "code",
    "curriculum.DefineClassroom": "code",
    "curriculum.DefineAcademicYear": "code", "curriculum.ScheduleControlEvent": "kind",
    "curriculum.ChangeDeadline": "deadline_kind", "curriculum.ListAuditEntries": "entity",
    "curriculum.EnrollStudent": "order.number", "curriculum.TransferStudent": "order.number",
    "curriculum.ExpelStudent": "order.number", "curriculum.RemoveTeachingLoad": "reason",
    "curriculum.AppointPlanUploader": "protocol_number", "curriculum.SubmitLessonPlan": "lesson_type",
    "curriculum.ScheduleLesson": "lesson_type", "curriculum.CancelLesson": "reason",
    "curriculum.ImportFile": "kind",
    "reporting.RenderDocument": "last_name", "reporting.StartReport": "kind",
    "workflow.SubmitExplanation": "explanation form", "workflow.AdmitLateExplanation": "reason",
    "workflow.RecordCorrectiveMeasure": "kind",
}  # fmt: skip

# Existence oracles the probe found and this session did not fix (issue 13 follow-up): a caller
# holding no role learns that an id does not exist. The probe fails when a new one appears, and when
# one of these is fixed (then remove its row).
KNOWN_ORACLES: dict[str, str] = {
    "curriculum.GetProfile": "unknown profile",
    "curriculum.RotateClassroomSecret": "does not exist", "curriculum.GetClassroomSecret": "does not exist",
    "curriculum.DefineCourseUnit": "does not exist", "curriculum.RemoveCourseUnit": "does not exist",
    "curriculum.AssignTeachingLoad": "does not exist", "curriculum.ListTeachingLoads": "does not exist",
    "curriculum.GetImport": "does not exist",
    "reporting.GetForecast": "no journal", "reporting.GetReportJob": "not found",
    "reporting.DownloadReport": "not found", "reporting.ApproveStatement": "not found",
    "workflow.AddVisa": "no reopen case", "workflow.DecideCouncil": "no reopen case",
    "workflow.ReopenJournal": "no reopen case", "workflow.SubmitCorrection": "no reopen case",
    "workflow.WithdrawCase": "no reopen case", "workflow.GetCase": "no reopen case",
}  # fmt: skip

# Public by design: the same words for a wrong number and a wrong hash, to anyone.
PUBLIC_NOT_FOUND = {"reporting.VerifyStatement"}


def service_descriptor(service: str) -> ServiceDescriptor:
    module = importlib.import_module(f"ejournal.{service}.v1.{service}_service_pb2")
    descriptor: ServiceDescriptor = module.DESCRIPTOR.services_by_name[f"{service.capitalize()}Service"]
    return descriptor


def every_rpc() -> list[str]:
    return [f"{s}.{m.name}" for s in SERVICES for m in service_descriptor(s).methods]


async def probe(service: str, channel: grpc.aio.Channel, nobody: object) -> list[str]:
    """Every RPC of `service`, anonymously and as `nobody` (signed in, no role): what is wrong."""
    problems = []
    for method in service_descriptor(service).methods:
        rpc = f"{service}.{method.name}"
        expected = RPC_ACTIONS.get(rpc)
        anonymous = await call(channel, method)
        if expected != PUBLIC and anonymous[0] != grpc.StatusCode.UNAUTHENTICATED:
            problems.append(f"{rpc} without a token: {anonymous[0].name} {anonymous[1]}")
        code, details = await call(channel, method, nobody)
        outcome = f"{rpc} as nobody: {code.name} {details}"
        if rpc in KNOWN_ORACLES:
            if KNOWN_ORACLES[rpc] not in details:
                problems.append(f"{outcome} (no longer the known oracle: remove its KNOWN_ORACLES row)")
        elif code == grpc.StatusCode.NOT_FOUND and rpc not in PUBLIC_NOT_FOUND:
            problems.append(f"{outcome} (reveals existence)")
        elif expected in (PUBLIC, SIGNED_IN):
            if code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
                problems.append(outcome)
        elif code == grpc.StatusCode.INVALID_ARGUMENT and rpc in SHAPE_FIRST:
            if SHAPE_FIRST[rpc] not in details:
                problems.append(outcome)
        elif (code, details) != (grpc.StatusCode.PERMISSION_DENIED, f"permission denied: {expected}"):
            problems.append(f"{outcome} (expected: permission denied: {expected})")
    return problems


def _who(permit: Permit) -> str:
    reach = {"scope": "", "assigned": " (assigned)", "own": " (own)", "anywhere": " (anywhere)"}
    return f"{permit.role.value}{reach[permit.reach.value]}"


def document() -> str:
    lines = [
        "# Authorization matrix",
        "",
        "Generated by `python -m tests.contract.authorization` from `RPC_ACTIONS` (tests/contract/"
        "authorization.py) and `POLICY` (libs/ejournal_platform/authz.py); do not edit by hand.",
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
        else:
            who = ", ".join(_who(p) for p in POLICY.get(action, ()))
        lines.append(f"| `{rpc}` | {action} | {who} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOCUMENT.write_text(document())
    sys.stdout.write(f"wrote {DOCUMENT}\n")
