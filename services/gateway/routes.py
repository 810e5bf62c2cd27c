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

C = "curriculum"
CURRICULUM = [
    RpcRoute(GET, "/api/v1/profiles", C, "ListProfiles", "Regulation profiles", "profiles", public=True),
    RpcRoute(
        GET,
        "/api/v1/profiles/{code}",
        C,
        "GetProfile",
        "One regulation profile",
        "profiles",
        public=True,
        path_fields=("code",),
    ),
    RpcRoute(
        PUT, "/api/v1/universities", C, "DefineUniversity", "Define or update a university", "structure"
    ),
    RpcRoute(
        PUT, "/api/v1/faculties", C, "DefineFaculty", "Define or update a faculty or school", "structure"
    ),
    RpcRoute(PUT, "/api/v1/departments", C, "DefineDepartment", "Define or update a department", "structure"),
    RpcRoute(PUT, "/api/v1/specialties", C, "DefineSpecialty", "Define or update a specialty", "structure"),
    RpcRoute(PUT, "/api/v1/groups", C, "DefineGroup", "Define or update a group", "structure"),
    RpcRoute(
        PUT,
        "/api/v1/groups/{group_id}/subgroups",
        C,
        "DefineSubgroup",
        "Define a subgroup (KG-02)",
        "structure",
        path_fields=("group_id",),
    ),
    RpcRoute(
        GET,
        "/api/v1/universities/{university_id}/structure",
        C,
        "GetStructure",
        "A university's structure",
        "structure",
        path_fields=("university_id",),
    ),
    RpcRoute(GET, "/api/v1/groups", C, "ListGroups", "Groups", "structure"),
    RpcRoute(PUT, "/api/v1/classrooms", C, "DefineClassroom", "Define or update a classroom", "structure"),
    RpcRoute(GET, "/api/v1/classrooms", C, "ListClassrooms", "Classrooms", "structure"),
    RpcRoute(
        POST,
        "/api/v1/classrooms/{classroom_id}/secret/rotation",
        C,
        "RotateClassroomSecret",
        "Rotate a classroom's QR secret (KG-09)",
        "structure",
        path_fields=("classroom_id",),
    ),
    RpcRoute(
        PUT,
        "/api/v1/academic-years",
        C,
        "DefineAcademicYear",
        "Define an academic year and its terms",
        "calendar",
    ),
    RpcRoute(GET, "/api/v1/academic-years", C, "ListAcademicYears", "Academic years", "calendar"),
    RpcRoute(
        POST,
        "/api/v1/control-events",
        C,
        "ScheduleControlEvent",
        "Schedule a control event and its deadlines",
        "calendar",
        201,
    ),
    RpcRoute(
        PUT,
        "/api/v1/control-events/{control_event_id}/deadline",
        C,
        "ChangeDeadline",
        "Move a deadline (KZ-06, registrar office)",
        "calendar",
        path_fields=("control_event_id",),
    ),
    RpcRoute(
        GET,
        "/api/v1/control-events",
        C,
        "ListControlEvents",
        "Control events and their deadlines",
        "calendar",
    ),
    RpcRoute(
        GET,
        "/api/v1/audit/{entity}/{entity_id}",
        C,
        "ListAuditEntries",
        "The audit of one curriculum entity",
        "calendar",
        path_fields=("entity", "entity_id"),
    ),
    RpcRoute(
        POST,
        "/api/v1/enrollments",
        C,
        "EnrollStudent",
        "Enroll a student by order (KZ-15)",
        "contingent",
        201,
    ),
    RpcRoute(
        POST,
        "/api/v1/students/{student_id}/transfer",
        C,
        "TransferStudent",
        "Transfer a student by order",
        "contingent",
        path_fields=("student_id",),
    ),
    RpcRoute(
        POST,
        "/api/v1/students/{student_id}/expulsion",
        C,
        "ExpelStudent",
        "Expel a student by order",
        "contingent",
        path_fields=("student_id",),
    ),
    RpcRoute(
        GET,
        "/api/v1/groups/{group_id}/members",
        C,
        "ListGroupMembers",
        "Who was in a group on a date",
        "contingent",
        path_fields=("group_id",),
    ),
    RpcRoute(
        GET,
        "/api/v1/students/{student_id}/history",
        C,
        "GetStudentHistory",
        "A student's movements",
        "contingent",
        path_fields=("student_id",),
    ),
    RpcRoute(
        PUT,
        "/api/v1/course-units",
        C,
        "DefineCourseUnit",
        "Define a course unit of the working curriculum (KZ-02, KZ-03)",
        "curriculum",
    ),
    RpcRoute(
        DELETE,
        "/api/v1/course-units/{course_unit_id}",
        C,
        "RemoveCourseUnit",
        "Remove a course unit",
        "curriculum",
        path_fields=("course_unit_id",),
    ),
    RpcRoute(GET, "/api/v1/course-units", C, "ListCourseUnits", "The working curriculum", "curriculum"),
    RpcRoute(
        POST,
        "/api/v1/teaching-loads",
        C,
        "AssignTeachingLoad",
        "Assign teaching load (KG-02)",
        "teaching load",
        201,
    ),
    RpcRoute(
        DELETE,
        "/api/v1/teaching-loads/{load_id}",
        C,
        "RemoveTeachingLoad",
        "Remove teaching load",
        "teaching load",
        path_fields=("load_id",),
    ),
    RpcRoute(GET, "/api/v1/teaching-loads", C, "ListTeachingLoads", "Teaching load", "teaching load"),
    RpcRoute(
        POST,
        "/api/v1/plan-uploaders",
        C,
        "AppointPlanUploader",
        "Appoint who uploads lesson plans (KZ-15)",
        "lesson plans",
        201,
    ),
    RpcRoute(
        PUT,
        "/api/v1/lesson-plans",
        C,
        "SubmitLessonPlan",
        "Submit a calendar-thematic plan (KZ-17)",
        "lesson plans",
    ),
    RpcRoute(GET, "/api/v1/lesson-plans", C, "GetLessonPlan", "A calendar-thematic plan", "lesson plans"),
    RpcRoute(POST, "/api/v1/lessons", C, "ScheduleLesson", "Schedule a lesson", "schedule", 201),
    RpcRoute(
        POST,
        "/api/v1/lessons/{lesson_id}/cancellation",
        C,
        "CancelLesson",
        "Cancel a lesson",
        "schedule",
        path_fields=("lesson_id",),
    ),
    RpcRoute(GET, "/api/v1/lessons", C, "ListLessons", "The schedule", "schedule"),
    RpcRoute(
        GET,
        "/api/v1/imports/{import_id}",
        C,
        "GetImport",
        "An import's result",
        "imports",
        path_fields=("import_id",),
    ),
]

ROUTES: list[RpcRoute] = [*IDENTITY, *CURRICULUM]


def message_types(route: RpcRoute) -> tuple[type, type]:
    module = importlib.import_module(f"ejournal.{route.service}.v1.{route.service}_service_pb2")
    return getattr(module, f"{route.rpc}Request"), getattr(module, f"{route.rpc}Response")


def rpc_router() -> APIRouter:
    router = APIRouter()
    for route in ROUTES:
        add_rpc_route(router, route, *message_types(route))
    return router
