"""Issue 13: refusals in the user's language. The catalogue (titles, keyed details, and the services'
English reasons worded by their text) has every entry in ru, kk, ky and en with the same placeholders;
an answer's detail and every errors[].reason come out in the negotiated language; and the services'
literal refusals that the catalogue does not word yet may only shrink."""

from __future__ import annotations

import re
import string
from pathlib import Path

import grpc
import pytest
from fastapi.testclient import TestClient

from ejournal_platform.errors import InvalidArgument, PermissionDenied, ValidationFailed, Wording
from ejournal_platform.grpc.status import to_rpc_status
from services.gateway.app import create_app
from services.gateway.i18n import DETAILS, REASONS, TITLES, reason_in
from services.gateway.tests.settings import gateway_settings
from services.gateway.tests.unit.test_edge import FakeClients

pytestmark = pytest.mark.unit
LANGUAGES = ("ru", "kk", "ky", "en")
ROOT = Path(__file__).resolve().parents[4]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("catalogue", [TITLES, DETAILS, REASONS], ids=["titles", "details", "reasons"])
def test_every_entry_exists_in_all_four_languages_with_the_same_placeholders(
    catalogue: dict[str, dict[str, str]],
) -> None:
    for key, texts in catalogue.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        names = {placeholders(texts[lang]).__repr__() for lang in LANGUAGES}
        assert len(names) == 1, (key, names)
        if catalogue is REASONS:
            assert placeholders(key) == placeholders(texts["en"]), key
            assert texts["ru"] != texts["en"] or key.isupper(), key


def rpc_error(error: Exception) -> grpc.aio.AioRpcError:
    status = to_rpc_status(error)  # type: ignore[arg-type]
    return grpc.aio.AioRpcError(
        status.code, grpc.aio.Metadata(), grpc.aio.Metadata(*status.trailing_metadata), status.details
    )


def client() -> TestClient:
    app = create_app(gateway_settings(), FakeClients({}))  # type: ignore[arg-type]

    @app.post("/test/refuse/{kind}")
    async def refuse(kind: str) -> None:
        errors = {
            "denied": PermissionDenied(
                "permission denied: journal.read",
                wording=Wording("permission_denied", {"action": "journal.read"}),
            ),
            "field": InvalidArgument("journal_id", "'abc' is not an id (UUID)"),
            "several": ValidationFailed(
                "the request is invalid", [("code", "is required"), ("kind", "'x' is not one of: a, b")]
            ),
        }
        raise rpc_error(errors[kind])

    return TestClient(app)


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusals_come_out_in_the_users_language(language: str) -> None:
    http = client()
    headers = {"accept-language": language}
    denied = http.post("/test/refuse/denied", headers=headers).json()
    assert denied["detail"] == DETAILS["permission_denied"][language].format(action="journal.read")
    field = http.post("/test/refuse/field", headers=headers).json()
    assert field["errors"] == [
        {
            "field": "journal_id",
            "reason": REASONS["{value} is not an id (UUID)"][language].format(value="'abc'"),
        }
    ]
    several = http.post("/test/refuse/several", headers=headers).json()
    assert [e["reason"] for e in several["errors"]] == [
        REASONS["is required"][language],
        REASONS["{value} is not one of: {allowed}"][language].format(value="'x'", allowed="a, b"),
    ]


# The services' literal refusals (a field's reason) that the catalogue does not word yet. Lower it
# as keys or templates are added; a new English-only refusal makes this test fail.
NOT_YET_WORDED = 105

LITERAL = re.compile(r'(?:InvalidArgument\(\s*"[\w.\[\]]+",\s*|\.add\(\s*"[\w.\[\]]+",\s*)(f?)"([^"\n]+)"')


def literal_refusals() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "services").rglob("*.py")):
        if "/tests/" in str(path):
            continue
        for f_string, text in LITERAL.findall(path.read_text()):
            sample = re.sub(r"\{[^}]*\}", "'x'", text) if f_string else text
            found.append((str(path.relative_to(ROOT)), sample))
    return found


def test_english_only_refusals_only_shrink() -> None:
    refusals = literal_refusals()
    assert len(refusals) > 100  # the scan still finds the services' refusals
    english_only = [(where, text) for where, text in refusals if reason_in(text, "ru") == text]
    assert len(english_only) <= NOT_YET_WORDED, english_only[:20]
    assert reason_in("is required", "kk") != "is required"
