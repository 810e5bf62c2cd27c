"""The shared policy: role x scope decides, refusals reveal nothing, unknown actions are errors."""

from __future__ import annotations

import pytest

from ejournal_platform.authz import (
    ANY_SCOPE_ID,
    POLICY,
    Permit,
    Reach,
    ResourceScope,
    Role,
    ScopeType,
    UnknownAction,
    allowed,
    permits_allow,
    require,
)
from ejournal_platform.context import Principal, RoleGrant
from ejournal_platform.errors import PermissionDenied, Unauthenticated

pytestmark = pytest.mark.unit

JOURNAL_F1 = ResourceScope(
    university_id="u1",
    faculty_id="f1",
    department_id="d1",
    group_id="g1",
    discipline_id="disc1",
    student_id="s1",
    assignee_ids=frozenset({"teacher-1"}),
)
JOURNAL_F2 = ResourceScope(university_id="u1", faculty_id="f2", department_id="d2", group_id="g2")


def who(subject: str, *grants: tuple[str, str, str]) -> Principal:
    return Principal(subject=subject, roles=tuple(RoleGrant(*g) for g in grants))


def test_every_role_and_scope_type_is_in_the_vocabulary() -> None:
    assert {r.value for r in Role} >= {
        "vice_rector", "registrar_inspector", "registrar_senior_inspector", "registrar_head", "dean",
        "dean_curation", "dean_staff", "department_head", "discipline_lead", "methodologist",
        "curriculum_chair", "teacher", "curator", "student", "parent", "administrator", "service",
    }  # fmt: skip
    assert {s.value for s in ScopeType} == {
        "university", "faculty", "department", "specialty", "group", "discipline", "student"
    }  # fmt: skip


def test_policy_rows_name_known_roles_only() -> None:
    for action, row in POLICY.items():
        assert row, action
        for permit in row:
            assert isinstance(permit.role, Role) and isinstance(permit.reach, Reach), action


def test_teacher_writes_only_journals_they_are_assigned_to() -> None:
    teacher = who("teacher-1", ("teacher", "department", "d1"))
    stranger = who("teacher-2", ("teacher", "department", "d1"))
    assert allowed(teacher, "journal.write", JOURNAL_F1)
    assert not allowed(stranger, "journal.write", JOURNAL_F1)  # same department, not their group
    assert not allowed(teacher, "journal.write", JOURNAL_F2)


def test_dean_reaches_only_their_faculty() -> None:
    dean = who("dean-1", ("dean", "faculty", "f1"))
    assert allowed(dean, "journal.read", JOURNAL_F1)
    assert not allowed(dean, "journal.read", JOURNAL_F2)
    assert not allowed(dean, "journal.write", JOURNAL_F1)  # oversight reads, it does not write marks


@pytest.mark.rule("KG-03")
def test_parent_reads_only_their_child_and_never_writes() -> None:
    parent = who("parent-1", ("parent", "student", "s1"))
    assert allowed(parent, "journal.read", ResourceScope(group_id="g1", student_id="s1"))
    assert not allowed(parent, "journal.read", ResourceScope(group_id="g1", student_id="s2"))
    assert not allowed(parent, "journal.read", ResourceScope(group_id="g1"))  # the whole group: no
    for action in POLICY:
        if action.endswith((".write", ".manage", ".grant", ".close", ".form", ".appoint", ".dispute")):
            assert not allowed(parent, action, ResourceScope(student_id="s1")), action


def test_a_grant_covers_only_the_level_it_names() -> None:
    head = who("head-1", ("department_head", "department", "d1"))
    # A resource that does not say which department it belongs to is not in any department.
    assert not allowed(head, "substitution.appoint", ResourceScope(faculty_id="f1"))
    assert allowed(head, "substitution.appoint", ResourceScope(department_id="d1"))


def test_only_a_service_grant_may_use_the_any_scope() -> None:
    forged = who("admin-1", ("administrator", "university", ANY_SCOPE_ID))
    assert not allowed(forged, "people.manage", ResourceScope(university_id="u1"))
    service = Principal("service:workflow", (RoleGrant("service", "university", ANY_SCOPE_ID),), True)
    assert allowed(service, "journal.close", JOURNAL_F2)


def test_own_reach_is_the_callers_own_resource() -> None:
    student = who("s1", ("student", "student", "s1"))
    assert allowed(student, "people.read", ResourceScope(owner_id="s1"))
    assert not allowed(student, "people.read", ResourceScope(owner_id="s2"))


def test_anywhere_reach_needs_the_role_somewhere() -> None:
    assert allowed(who("t", ("teacher", "department", "d9")), "structure.read")
    assert not allowed(who("nobody"), "structure.read")


def test_refusal_names_the_action_only() -> None:
    dean = who("dean-1", ("dean", "faculty", "f1"))
    with pytest.raises(PermissionDenied) as refused:
        require(dean, "journal.read", JOURNAL_F2)
    assert refused.value.message == "permission denied: journal.read"
    assert "f2" not in str(refused.value)
    assert require(dean, "journal.read", JOURNAL_F1) is dean


def test_no_principal_is_unauthenticated_and_unknown_actions_are_errors() -> None:
    with pytest.raises(Unauthenticated):
        require(None, "journal.read", JOURNAL_F1)
    with pytest.raises(UnknownAction):
        allowed(who("x", ("administrator", "university", "u1")), "journal.teleport")


def test_explicit_permits_for_profile_driven_rules() -> None:
    dean_staff = who("ds", ("dean_staff", "faculty", "f1"))
    issuers = (Permit(Role.DEAN_STAFF), Permit(Role.ADMINISTRATOR))
    assert permits_allow(dean_staff, issuers, ResourceScope(faculty_id="f1"))
    assert not permits_allow(dean_staff, issuers, ResourceScope(faculty_id="f2"))
