"""The gateway in front of a real identity service: sign-in sets the cookie session, the token travels
to the service which decides, and a refusal comes back as a problem in the user's language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from deploy.demo.seed.identity import DEMO_PASSWORD, person_id
from ejournal_platform.testing.fixtures import Databases
from ejournal_platform.web_session import CSRF_COOKIE
from services.gateway.app import create_app
from services.gateway.clients import ServiceClients
from services.gateway.tests.settings import gateway_settings
from services.identity.tests.harness import demo_database, running_identity

pytestmark = pytest.mark.integration


@pytest.fixture
async def gateway(databases: Databases) -> AsyncIterator[httpx.AsyncClient]:
    async with running_identity(await demo_database(databases)) as identity:
        settings = gateway_settings(identity_address=identity.address)
        app = create_app(settings)
        app.state.clients = ServiceClients({"identity": identity.address})
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://ejournal.test") as client:
            yield client
        await app.state.clients.close()


async def sign_in(http: httpx.AsyncClient, login: str) -> dict[str, str]:
    reply = await http.post("/api/v1/session", json={"login": login, "password": DEMO_PASSWORD})
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def test_sign_in_sets_a_guarded_cookie_session_and_me_answers(gateway: httpx.AsyncClient) -> None:
    tokens = await sign_in(gateway, "kz.teacher1")
    assert tokens["person_id"] == person_id("kz.teacher1")
    me = await gateway.get("/api/v1/session/me")  # the cookie alone authenticates a safe request
    assert me.status_code == 200 and me.json()["login"] == "kz.teacher1"
    assert {"role": "teacher"}.items() <= me.json()["roles"][0].items()
    assert gateway.cookies.get(CSRF_COOKIE) == tokens["csrf_token"]
    # An unsafe request on the cookie session needs the CSRF token, with it the service answers.
    change = {"current_password": DEMO_PASSWORD, "new_password": "Another-pass-2027!"}
    assert (await gateway.put("/api/v1/session/password", json=change)).status_code == 403
    reply = await gateway.put(
        "/api/v1/session/password", json=change, headers={"X-CSRF-Token": tokens["csrf_token"]}
    )
    assert reply.status_code == 200, reply.text  # kz-medical lets users change their own password


@pytest.mark.rule("KG-03")
async def test_kg_jasu_users_cannot_change_their_own_access_data(gateway: httpx.AsyncClient) -> None:
    tokens = await sign_in(gateway, "kg.teacher1")
    change = {"current_password": DEMO_PASSWORD, "new_password": "Another-pass-2027!"}
    headers = {"X-CSRF-Token": tokens["csrf_token"], "Accept-Language": "ky"}
    reply = await gateway.put("/api/v1/session/password", json=change, headers=headers)
    assert reply.status_code == 403, reply.text  # KG-03, decided by identity from the profile
    assert reply.json()["title"] == "Кирүүгө тыюу салынган"


async def test_bearer_tokens_work_without_cookies_and_refresh_rotates(gateway: httpx.AsyncClient) -> None:
    tokens = await sign_in(gateway, "kg.teacher1")
    gateway.cookies.clear()
    me = await gateway.get(
        "/api/v1/session/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.json()["login"] == "kg.teacher1"
    fresh = await gateway.post("/api/v1/session/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200 and fresh.json()["refresh_token"] != tokens["refresh_token"]
    reused = await gateway.post("/api/v1/session/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 401


async def test_a_wrong_password_is_401_in_the_users_language(gateway: httpx.AsyncClient) -> None:
    reply = await gateway.post(
        "/api/v1/session",
        json={"login": "kz.teacher1", "password": "wrong"},
        headers={"Accept-Language": "kk"},
    )
    assert reply.status_code == 401
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["title"] == "Жүйеге кіру қажет"


async def test_the_service_decides_scope_a_student_cannot_read_another_person(
    gateway: httpx.AsyncClient,
) -> None:
    tokens = await sign_in(gateway, "kz.student1")
    other = person_id("kz.teacher1")
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept-Language": "ru"}
    reply = await gateway.get(f"/api/v1/people/{other}", headers=headers)
    assert reply.status_code == 403
    assert reply.json()["title"] == "Доступ запрещён"
    own = await gateway.get(f"/api/v1/people/{tokens['person_id']}", headers=headers)
    assert own.status_code == 200, own.text


async def test_bad_input_is_422_naming_the_field(gateway: httpx.AsyncClient) -> None:
    tokens = await sign_in(gateway, "kz.admin")
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept-Language": "en"}
    unknown_field = await gateway.post("/api/v1/people", json={"nickname": "x"}, headers=headers)
    assert unknown_field.status_code == 422
    assert unknown_field.json()["errors"][0]["field"] == "nickname"
    weak = await gateway.post(
        f"/api/v1/people/{person_id('kz.student1')}/roles",
        json={"role": "emperor", "scope_type": "university", "scope_id": "x"},
        headers=headers,
    )
    assert weak.status_code == 422, weak.text
    assert any(error["field"] == "role" for error in weak.json()["errors"])


@pytest.mark.rule("KG-01")
@pytest.mark.parametrize(
    ("login", "role"),
    [
        ("kg.admin", "administrator"),
        ("kg.vicerector", "vice_rector"),
        ("kg.deanoffice.physmath", "dean_staff"),
        ("kg.teacher1", "teacher"),
        ("kg.student1", "student"),
        ("kg.parent1", "parent"),
    ],
)
async def test_every_kind_of_user_signs_in_over_http(
    gateway: httpx.AsyncClient, login: str, role: str
) -> None:
    """Administration, the academic department, teachers, students and parents each reach the journal
    through the HTTP API with their own login (KG-01)."""
    tokens = await sign_in(gateway, login)
    me = await gateway.get(
        "/api/v1/session/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    assert role in {grant["role"] for grant in me.json()["roles"]}


async def test_text_no_database_can_hold_is_refused_by_field_not_crashed_on(
    gateway: httpx.AsyncClient,
) -> None:
    reply = await gateway.post("/api/v1/session", json={"login": "kz.\x00admin", "password": "x"})
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "login"
    tokens = await sign_in(gateway, "kz.admin")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    reply = await gateway.get("/api/v1/substitutions", params={"department_id": "a\x00b"}, headers=headers)
    assert reply.status_code == 422, reply.text  # refused at the edge, never a 5xx
