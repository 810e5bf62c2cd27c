"""The gateway's own behaviour: language negotiation, faithful status mapping as problem+json in the
user's language, cookie sessions guarded by CSRF, and the operations endpoints."""

from __future__ import annotations

import grpc
import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from ejournal_platform.errors import Conflict, FailedPrecondition, InvalidArgument, PermissionDenied, Wording
from ejournal_platform.grpc.status import to_rpc_status
from ejournal_platform.health import Report, State
from ejournal_platform.web_session import ACCESS_COOKIE, CSRF_COOKIE
from services.gateway.app import create_app
from services.gateway.auth import Caller, caller
from services.gateway.i18n import negotiate
from services.gateway.tests.settings import gateway_settings

pytestmark = pytest.mark.unit


class FakeClients:
    def __init__(self, statuses: dict[str, State]) -> None:
        self.statuses = statuses

    async def health(self) -> dict[str, Report]:
        nats = {State.OK: State.OK, State.DEGRADED: State.DOWN, State.DOWN: State.OK}
        return {name: Report(state, {"nats": nats[state]}) for name, state in self.statuses.items()}

    async def close(self) -> None:
        return None


def rpc_error(error: Exception) -> grpc.aio.AioRpcError:
    status = to_rpc_status(error)  # type: ignore[arg-type]
    return grpc.aio.AioRpcError(
        status.code, grpc.aio.Metadata(), grpc.aio.Metadata(*status.trailing_metadata), status.details
    )


def client(statuses: dict[str, State] | None = None) -> TestClient:
    app = create_app(gateway_settings(), FakeClients(statuses or {"identity": State.OK}))  # type: ignore[arg-type]

    @app.post("/test/raise/{kind}")
    async def raise_it(kind: str) -> None:
        errors = {
            "invalid": InvalidArgument("value", "7 is not on the scale; allowed: 5, 4, 3, 2, нб"),
            "stale": Conflict("the cell changed", field="cells[0]", current="4"),
            "denied": PermissionDenied("not your journal"),
            "closed": FailedPrecondition(
                "the section is closed", field="cells", wording=Wording("section_closed")
            ),
        }
        if kind == "down":  # what a service answers while its database restarts
            raise grpc.aio.AioRpcError(
                grpc.StatusCode.UNAVAILABLE,
                grpc.aio.Metadata(),
                grpc.aio.Metadata(("retry-after", "3")),
                "a dependency is unavailable; retry shortly",
            )
        if kind == "unreachable":  # the service itself does not answer
            raise grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata())
        raise rpc_error(errors[kind])

    @app.post("/test/whoami")
    async def whoami(who: Caller = Depends(caller)) -> dict[str, object]:  # noqa: B008
        return {"token": who.token, "cookie": who.via_cookie}

    return TestClient(app)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "ru"),
        ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
        ("en-US;q=0.5, ky;q=0.9", "ky"),
        ("de, fr", "ru"),
        ("en", "en"),
    ],
)
def test_language_is_negotiated(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_a_clients_mistake_is_a_4xx_problem_in_the_users_language_naming_the_field() -> None:
    with client() as http:
        reply = http.post("/test/raise/invalid", headers={"Accept-Language": "kk"})
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    body = reply.json()
    assert body["title"] == "Деректер қате"
    assert body["errors"] == [{"field": "value", "reason": "7 is not on the scale; allowed: 5, 4, 3, 2, нб"}]
    assert reply.headers["content-language"] == "kk"


def test_a_stale_write_is_409_with_the_current_value() -> None:
    with client() as http:
        reply = http.post("/test/raise/stale", headers={"Accept-Language": "ky"})
    assert reply.status_code == 409
    assert reply.json()["current"] == "4"
    assert reply.json()["title"] == "Маалыматты башка колдонуучу өзгөрттү"


def test_a_closed_section_is_a_refusal_a_client_recognises_by_its_code() -> None:
    """An offline queue must not retry a write into a closed section but offer a reopen (issue 21):
    the refusal carries a stable `code` beside the worded detail; a stale write carries none."""
    with client() as http:
        closed = http.post("/test/raise/closed", headers={"Accept-Language": "kk"})
        stale = http.post("/test/raise/stale")
    assert closed.status_code == 409
    assert closed.json()["code"] == "section_closed"
    assert closed.json()["detail"].startswith("Журналдың бұл бөлігі жабық")
    assert "retry-after" not in closed.headers
    assert "code" not in stale.json()


def test_unavailability_is_503_with_retry_after_in_the_users_language() -> None:
    with client() as http:
        down = http.post("/test/raise/down", headers={"Accept-Language": "ru"})
        unreachable = http.post("/test/raise/unreachable", headers={"Accept-Language": "en"})
    assert down.status_code == 503 and down.headers["retry-after"] == "3"  # the service's own hint
    assert down.json()["title"] == "Сервис временно недоступен"
    assert unreachable.status_code == 503 and unreachable.headers["retry-after"] == "2"


def test_permission_denied_is_403() -> None:
    with client() as http:
        assert http.post("/test/raise/denied").status_code == 403


def test_no_token_is_401_and_a_cookie_session_needs_its_csrf_token() -> None:
    with client() as http:
        assert http.post("/test/whoami").status_code == 401
        assert http.post("/test/whoami", headers={"Authorization": "Bearer abc"}).json() == {
            "token": "abc",
            "cookie": False,
        }
        http.cookies.set(ACCESS_COOKIE, "from-cookie")
        http.cookies.set(CSRF_COOKIE, "csrf-1")
        assert http.post("/test/whoami").status_code == 403
        assert http.post("/test/whoami", headers={"X-CSRF-Token": "wrong"}).status_code == 403
        ok = http.post("/test/whoami", headers={"X-CSRF-Token": "csrf-1"})
    assert ok.json() == {"token": "from-cookie", "cookie": True}


def test_healthz_names_the_services_that_are_down_and_readyz_follows() -> None:
    with client({"identity": State.OK, "gradebook": State.DOWN}) as http:
        reply = http.get("/healthz")
        ready = http.get("/readyz")
    assert reply.status_code == 503 and reply.json()["status"] == "down"
    assert reply.json()["down"] == ["gradebook"]
    assert ready.status_code == 503


def test_a_degraded_service_keeps_healthz_200_because_writes_are_accepted() -> None:
    with client({"identity": State.OK, "gradebook": State.DEGRADED}) as http:
        reply = http.get("/healthz")
        ready = http.get("/readyz")
    assert reply.status_code == 200 and reply.json()["status"] == "degraded"
    assert reply.json()["services"]["gradebook"] == {"status": "degraded", "dependencies": {"nats": "down"}}
    assert ready.status_code == 200


def test_metrics_count_requests_by_route_and_status() -> None:
    app = create_app(gateway_settings(metrics_token="m-token"), FakeClients({"identity": State.OK}))  # type: ignore[arg-type]
    with TestClient(app) as http:
        http.get("/readyz")
        assert http.get("/metrics").status_code == 404  # public: as if it did not exist
        assert http.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
        text = http.get("/metrics", headers={"Authorization": "Bearer m-token"}).text
    assert 'ejournal_http_requests_total{method="GET",route="/readyz",status="200"} 1.0' in text


def test_metrics_are_not_served_without_a_configured_token() -> None:
    with client() as http:
        assert http.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_the_asyncapi_document_is_served_without_signing_in() -> None:
    with client() as http:
        got = http.get("/asyncapi.json")
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/json")
    document = got.json()
    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert "ejournal.gradebook.v1.StatementFormed" in addresses
