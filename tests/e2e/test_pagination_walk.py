"""Issue 22: every paginated HTTP list route, walked with page_size=1 to the end against the whole
running stack (the demo university), gives each item exactly once: the walk equals the same list read
in one page (page_size=1000), with no repeats, and ends with an empty token.

The route list comes from the gateway's own /openapi.json: every GET whose reply holds an array is a
list route. Each must be named in BOUNDED_LISTS (with why it stays small) or walked here, so a new list
route fails this test until it is paginated and given its arguments in WALKS (its unit-level twin,
services/gateway/tests/unit/test_every_list_is_paginated.py, checks the parameters without a stack)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest

from deploy.demo import university as u
from services.curriculum.adapters.ids import person_id_for_login
from services.gateway.route_table import BOUNDED_LISTS
from tests.stack import Stack

pytestmark = pytest.mark.e2e
IDS = u.structure_ids(date.today())
UNIVERSITY, GROUP, DEPARTMENT = IDS[u.KZ_U.key], IDS[u.KZ_G1.key], IDS[u.KZ_ANAT.key]


@dataclass(frozen=True)
class Walk:
    login: str
    path: str  # with its path fields filled in
    params: dict[str, str] = field(default_factory=dict)
    # The demo data (or what the test adds) puts at least this many items in the list.
    at_least: int = 1


class Api:
    def __init__(self, stack: Stack) -> None:
        self.base = stack.gateway
        self.tokens: dict[str, str] = {}

    def token(self, login: str) -> str:
        if login not in self.tokens:
            reply = httpx.post(
                f"{self.base}/api/v1/session", json={"login": login, "password": u.DEMO_PASSWORD}
            )
            assert reply.status_code == 200, (login, reply.text)
            self.tokens[login] = str(reply.json()["access_token"])
        return self.tokens[login]

    def call(self, login: str, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token(login)}"}
        reply = httpx.request(method, f"{self.base}{path}", headers=headers, timeout=60, **kwargs)
        assert reply.status_code < 300, (login, method, path, reply.status_code, reply.text)
        return reply.json()

    def get(self, login: str, path: str, **params: Any) -> Any:
        return self.call(login, "GET", path, params=params)


def year_of(api: Api) -> str:
    years = api.get("kz.registrar", "/api/v1/academic-years", university_id=UNIVERSITY)["academic_years"]
    today = date.today().isoformat()
    return str(next(y["id"] for y in years if y["starts_on"] <= today <= y["ends_on"]))


def lessons_of_year(api: Api) -> dict[str, str]:
    years = api.get("kz.registrar", "/api/v1/academic-years", university_id=UNIVERSITY)["academic_years"]
    year = next(y for y in years if y["id"] == year_of(api))
    return {"group_id": GROUP, "from_date": year["starts_on"], "to_date": year["ends_on"]}


def subscriber(api: Api) -> str:
    """A webhook subscriber of the demo university (added: the stack is shared by tests that add)."""
    body = {
        "name": "pagination walk",
        "url": "http://127.0.0.1:9/hook",
        "event_types": ["ejournal.gradebook.v1.>"],
    }
    reply = api.call("kz.admin", "POST", f"/api/v1/universities/{UNIVERSITY}/subscribers", json=body)
    return str(reply["subscriber"]["subscriber_id"])


# operationId -> how to walk it: who asks, the path with its fields, the filters, the least it holds.
WALKS: dict[str, Callable[[Api], Walk]] = {
    "identity.GetPersonHistory": lambda api: Walk(
        "kz.admin", f"/api/v1/people/{person_id_for_login('kz.teacher1')}/history"
    ),
    "identity.ListLoginAttempts": lambda api: Walk(
        "kz.admin", f"/api/v1/people/{api.get('kz.admin', '/api/v1/session/me')['person_id']}/login-attempts"
    ),
    # The demo's teachers by login prefix (issue 22: FindPeople pages like every list).
    "identity.FindPeople": lambda api: Walk("kz.admin", "/api/v1/people", {"query": "kz.teach"}, at_least=2),
    "identity.ListLoginRequests": lambda api: Walk("kz.admin", "/api/v1/login-requests", at_least=0),
    "identity.ListSubstitutions": lambda api: Walk("kz.admin", "/api/v1/substitutions", at_least=0),
    "curriculum.ListGroups": lambda api: Walk(
        "kz.registrar", "/api/v1/groups", {"academic_year_id": year_of(api)}, at_least=2
    ),
    "curriculum.ListClassrooms": lambda api: Walk(
        "kz.admin", "/api/v1/classrooms", {"university_id": UNIVERSITY}, at_least=0
    ),
    "curriculum.ListControlEvents": lambda api: Walk(
        "kz.registrar", "/api/v1/control-events", {"group_id": GROUP}, at_least=2
    ),
    "curriculum.ListCourseUnits": lambda api: Walk(
        "kz.registrar", "/api/v1/course-units", {"academic_year_id": year_of(api)}, at_least=2
    ),
    "curriculum.ListTeachingLoads": lambda api: Walk(
        "kz.registrar", "/api/v1/teaching-loads", {"group_id": GROUP}, at_least=2
    ),
    "curriculum.ListLessons": lambda api: Walk(
        "kz.registrar", "/api/v1/lessons", lessons_of_year(api), at_least=2
    ),
    "gradebook.ListMyJournals": lambda api: Walk("kz.teacher1", "/api/v1/my/journals", at_least=2),
    "gradebook.ListDisputes": lambda api: Walk("kz.teacher1", "/api/v1/disputes", at_least=0),
    "gradebook.GetFillStatus": lambda api: Walk(
        "kz.head.anatomy", "/api/v1/fill-status", {"department_id": DEPARTMENT}, at_least=2
    ),
    "workflow.ListTasks": lambda api: Walk("kz.vicerector", "/api/v1/my/tasks", at_least=0),
    "workflow.ListMyCases": lambda api: Walk("kz.teacher1", "/api/v1/my/reopen-cases", at_least=0),
    "workflow.ListJournalChecks": lambda api: Walk("kz.vicerector", "/api/v1/journal-checks", at_least=0),
    # Issue 13: the audit is read in the entity's university (its administrator here).
    "curriculum.ListAuditEntries": lambda api: Walk("kz.admin", f"/api/v1/audit/group/{GROUP}", at_least=1),
    "reporting.ListArchiveRecords": lambda api: Walk("kz.admin", "/api/v1/archive-records", at_least=0),
    "reporting.ListBackups": lambda api: Walk("kz.admin", "/api/v1/backups", at_least=0),
    "notifier.ListMyNotices": lambda api: Walk("kz.teacher1", "/api/v1/my/notices", at_least=0),
    "subscribers.ListDeadLetters": lambda api: Walk(
        "kz.admin", f"/api/v1/subscribers/{subscriber(api)}/dead-letters", at_least=0
    ),
}


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def arrays_of(operation: dict[str, Any], document: dict[str, Any]) -> list[str]:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    reply = resolve(content.get("application/json", {}).get("schema", {}), document)
    return [
        name
        for name, prop in reply.get("properties", {}).items()
        if any(s.get("type") == "array" for s in [resolve(prop, document), *prop.get("anyOf", [])])
    ]


def walked(api: Api, walk: Walk, fields: list[str]) -> None:
    whole = api.get(walk.login, walk.path, page_size=1000, **walk.params)
    assert not whole.get("next_page_token"), f"{walk.path}: more than 1,000 items in the demo?"
    items = {name: whole.get(name, []) for name in fields}
    seen: dict[str, list[Any]] = {name: [] for name in fields}
    token, pages = "", 0
    while True:
        page = api.get(walk.login, walk.path, page_size=1, page_token=token, **walk.params)
        for name in fields:
            assert len(page.get(name, [])) <= 1, (walk.path, page)
            seen[name] += page.get(name, [])
        pages += 1
        token = page.get("next_page_token", "")
        if not token:
            break
        assert pages <= 1000, f"{walk.path}: the walk must end"
    assert seen == items, f"{walk.path}: the walk differs from the whole list"
    listed = [repr(item) for name in fields for item in items[name]]
    assert len(set(listed)) == len(listed), f"{walk.path}: an item came twice"
    assert len(listed) >= walk.at_least, f"{walk.path}: expected at least {walk.at_least} items, got {listed}"


@pytest.mark.timeout(1800)  # the first e2e test pays for starting the stack, slow on a loaded machine
def test_every_list_route_walked_one_by_one_gives_each_item_exactly_once(stack: Stack) -> None:
    document = httpx.get(f"{stack.gateway}/openapi.json", timeout=60).json()
    api = Api(stack)
    lists = {
        op["operationId"]: (path, arrays_of(op, document))
        for path, item in document["paths"].items()
        if (op := item.get("get")) is not None and arrays_of(op, document)
    }
    unwalked = set(lists) - set(BOUNDED_LISTS) - set(WALKS)
    assert not unwalked, (
        f"new list routes: paginate them and add them to WALKS (or BOUNDED_LISTS): {unwalked}"
    )
    assert set(WALKS) <= set(lists), f"stale WALKS: {set(WALKS) - set(lists)}"
    failures = []
    for operation_id, make in WALKS.items():
        try:
            walked(api, make(api), lists[operation_id][1])
        except AssertionError as failure:
            failures.append(f"{operation_id}: {failure}")
    assert not failures, "\n".join(failures)
