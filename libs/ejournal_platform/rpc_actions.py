"""Which policy action each RPC of each service checks (issue 13): the authorization matrix's rows.

`RPC_ACTIONS` names, for each RPC of each `*_service.proto`, the policy action its use case checks
(`ejournal_platform.authz.POLICY`, or a service's own rules), or PUBLIC (no token needed) or SIGNED_IN
(any signed-in person; the answer is limited to what is theirs). The gRPC interceptors use it to check
the caller before the request's shape (`caller_first`); tests/contract/authorization.py joins it with
POLICY into docs/authorization.md and probes every service with it.
"""

from __future__ import annotations

PUBLIC, SIGNED_IN = "public", "signed-in"

RPC_ACTIONS: dict[str, str] = {
    # identity: its own matrix (services/identity/tests/integration/test_authorization_matrix.py)
    # probes each role in and out of scope; these rows name the action of each RPC.
    "identity.Login": PUBLIC, "identity.Refresh": PUBLIC, "identity.Logout": SIGNED_IN,
    "identity.GetKeySet": PUBLIC, "identity.ListRevokedSessions": PUBLIC,
    "identity.RotateSigningKey": "keys.rotate", "identity.IssueServiceToken": PUBLIC,
    "identity.WhoAmI": SIGNED_IN, "identity.CreatePerson": "people.manage",
    "identity.GetPerson": "people.read", "identity.FindPeople": "people.manage",
    "identity.UpdatePerson": "people.manage",
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
    "reporting.PrepareExternalSignature": "statement.read",
    "reporting.CompleteExternalSignature": "statement.read",
    # workflow: the steps of a reopen case are authorized by the case's own step rules (who may act
    # at which step, services/workflow/processes/reopen); the rest by the policy.
    "workflow.SubmitExplanation": "reopen.request", "workflow.AdmitLateExplanation": "reopen.admit_late",
    "workflow.AddVisa": "reopen.endorse", "workflow.DecideCouncil": "reopen.decide",
    "workflow.ReopenJournal": "reopen.grant", "workflow.SubmitCorrection": "reopen.request",
    "workflow.WithdrawCase": "reopen.request", "workflow.GetCase": "reopen.read",
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
    "subscribers.RegisterNatsSubscriber": "subscribers.manage",
    "subscribers.RestartNatsSubscription": "subscribers.manage",
}  # fmt: skip


def rpc_of(method: str) -> str:
    """`/ejournal.curriculum.v1.CurriculumService/GetImport` -> `curriculum.GetImport` ("" otherwise)."""
    service, _, name = method.lstrip("/").partition("/")
    parts = service.split(".")
    if len(parts) != 4 or parts[0] != "ejournal":
        return ""
    return f"{parts[1]}.{name}"


def action_of(method: str) -> str | None:
    """The row of a gRPC method path, or None for methods outside the matrix (health, reflection)."""
    return RPC_ACTIONS.get(rpc_of(method))
