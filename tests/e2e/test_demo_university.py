"""The demo university through the gateway's HTTP API, for both regulation profiles: the people identity
signs in and the units and loads curriculum keeps are the same ones, so roles scoped in identity match
curriculum's resources — a teacher sees their load, a department head their department's, the
registrar the calendar, a student only their own group's and changes nothing, a parent is linked to
their child, and a group's members are the demo students under their own names.

The stack (session fixture) is the real launcher with the demo data, seeded today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from deploy.demo import university as u
from deploy.demo.model import Department, Group, Person
from tests.stack import Stack

pytestmark = pytest.mark.e2e
IDS = u.structure_ids(date.today())
DEMO_GROUP_IDS = {IDS[g.key] for g in u.GROUPS}


@dataclass(frozen=True)
class Profile:
    teacher: Person
    head: Person  # of the teacher's department
    department: Department
    registrar: Person
    student: Person
    group: Group  # the student's
    other_department: Department  # teaches nothing to the student's group
    other_group: Group  # of another faculty
    parent: Person  # of the student


PROFILES = {
    "kz-medical": Profile(u.KZ_TEACHER1, u.KZ_HEAD_ANAT, u.KZ_ANAT, u.KZ_REGISTRAR, u.KZ_STUDENT1, u.KZ_G1,
                          u.KZ_PHCHEM, u.KZ_G4, u.KZ_PARENT1),
    "kg-jasu": Profile(u.KG_TEACHER2, u.KG_HEAD_MATH, u.KG_MATH, u.KG_ACADEMIC, u.KG_STUDENT1, u.KG_G1,
                       u.KG_PEDDEP, u.KG_G3, u.KG_PARENT1),
}  # fmt: skip
profiles = pytest.mark.parametrize("profile", list(PROFILES.values()), ids=list(PROFILES))


class Api:
    """Signed-in HTTP calls to the gateway, one session per demo login."""

    def __init__(self, stack: Stack) -> None:
        self.base = stack.gateway
        self.tokens: dict[str, str] = {}

    def token(self, login: str) -> str:
        if login not in self.tokens:
            body = {"login": login, "password": u.DEMO_PASSWORD}
            reply = httpx.post(f"{self.base}/api/v1/session", json=body)
            assert reply.status_code == 200, (login, reply.text)
            self.tokens[login] = str(reply.json()["access_token"])
        return self.tokens[login]

    def call(self, who: Person, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(who.login)}"}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)

    def get(self, who: Person, path: str, **params: str) -> Any:
        reply = self.call(who, "GET", path, params=params)
        assert reply.status_code == 200, (who.login, path, reply.text)
        return reply.json()

    def me(self, who: Person) -> dict[str, Any]:
        found: dict[str, Any] = self.get(who, "/api/v1/session/me")
        return found

    def loads(self, who: Person, **filters: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.get(who, "/api/v1/teaching-loads", **filters)["teaching_loads"]
        return found


@pytest.fixture(scope="module")
def api(stack: Stack) -> Api:
    return Api(stack)


def roles(me: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(r["role"], r["scope_type"], r["scope_id"]) for r in me["roles"]}


@profiles
def test_a_teacher_lists_their_own_teaching_load(api: Api, profile: Profile) -> None:
    me = api.me(profile.teacher)
    assert me["person_id"] == profile.teacher.id  # one person-id formula in both services
    department = IDS[profile.department.key]
    assert ("teacher", "department", department) in roles(me)
    loads = api.loads(profile.teacher, teacher_id=me["person_id"])
    assert loads, "the demo teacher has teaching load in curriculum"
    assert {load["teacher_id"] for load in loads} == {me["person_id"]}
    assert {load["department_id"] for load in loads} == {department}  # the department their role names
    assert {load["group_id"] for load in loads} <= DEMO_GROUP_IDS


@profiles
def test_a_department_head_lists_their_departments_load(api: Api, profile: Profile) -> None:
    department = IDS[profile.department.key]
    assert ("department_head", "department", department) in roles(api.me(profile.head))
    loads = api.loads(profile.head, department_id=department)
    assert loads and {load["department_id"] for load in loads} == {department}
    teachers = {load["teacher_id"] for load in loads}
    assert profile.teacher.id in teachers and len(teachers) >= 2
    teachers_own = api.loads(profile.teacher, teacher_id=profile.teacher.id)
    assert {x["id"] for x in teachers_own} <= {x["id"] for x in loads}


@profiles
def test_the_registrar_lists_control_events(api: Api, profile: Profile) -> None:
    group = IDS[profile.group.key]
    events = api.get(profile.registrar, "/api/v1/control-events", group_id=group)["control_events"]
    assert len(events) >= 2 and {e["group_id"] for e in events} == {group}
    kinds = {e["kind"] for e in events}
    assert kinds >= {"CONTROL_EVENT_KIND_MIDTERM", "CONTROL_EVENT_KIND_INTERMEDIATE_ATTESTATION"}


@profiles
def test_a_student_sees_only_their_groups_load_and_changes_nothing(api: Api, profile: Profile) -> None:
    student, group = profile.student, IDS[profile.group.key]
    own_group = api.loads(student, group_id=group)
    assert own_group and {load["group_id"] for load in own_group} == {group}  # who teaches them
    elsewhere = {"department_id": IDS[profile.other_department.key]}
    other = api.call(student, "GET", "/api/v1/teaching-loads", params=elsewhere)
    assert other.status_code == 403, other.text
    before_loads = api.loads(profile.head, department_id=IDS[profile.department.key])
    events = api.get(profile.registrar, "/api/v1/control-events", group_id=group)["control_events"]
    load = own_group[0]
    writes = [
        ("POST", "/api/v1/teaching-loads", {
            "teacher_id": student.id, "course_unit_id": load["course_unit_id"], "group_id": group,
            "lesson_type": load["lesson_type"], "hours": 30}),
        ("PUT", f"/api/v1/control-events/{events[0]['id']}/deadline", {
            "deadline_kind": "DEADLINE_KIND_CLOSING", "new_deadline": "2099-01-20T18:00:00+05:00",
            "reason": "маған ыңғайлы / мне так удобнее"}),
        ("POST", "/api/v1/enrollments", {
            "student_id": student.id, "group_id": IDS[profile.other_group.key],
            "order": {"number": "1-с", "date": "2026-09-01"}, "effective_date": "2026-09-01"}),
        ("POST", f"/api/v1/people/{student.id}/roles", {
            "role": "teacher", "scope_type": "department", "scope_id": IDS[profile.department.key]}),
    ]  # fmt: skip
    for method, path, body in writes:
        reply = api.call(student, method, path, json=body)
        assert reply.status_code == 403, (method, path, reply.status_code, reply.text)
    assert api.loads(profile.head, department_id=IDS[profile.department.key]) == before_loads
    after = api.get(profile.registrar, "/api/v1/control-events", group_id=group)["control_events"]
    assert after == events
    assert roles(api.me(student)) == {("student", "student", student.id)}


@profiles
def test_group_members_are_the_demo_students_under_their_names(api: Api, profile: Profile) -> None:
    group = IDS[profile.group.key]
    members = api.get(profile.registrar, f"/api/v1/groups/{group}/members")["members"]
    assert {m["student_id"]: m["student_name"] for m in members} == {
        s.id: s.name.full for s in profile.group.students
    }
    student = api.me(profile.student)  # the same person, under the same name, in identity
    assert {m["student_id"]: m["student_name"] for m in members}[student["person_id"]] == student["full_name"]
    letters = "әғқңөұүһі" if profile.group.university == u.KZ_U else "ңөү"
    assert any(set(m["student_name"].lower()) & set(letters) for m in members)


@profiles
def test_the_parent_is_linked_to_their_child(api: Api, profile: Profile) -> None:
    child = api.me(profile.student)["person_id"]
    assert roles(api.me(profile.parent)) == {("parent", "student", child)}
    members = api.get(profile.registrar, f"/api/v1/groups/{IDS[profile.group.key]}/members")["members"]
    assert child in {m["student_id"] for m in members}
