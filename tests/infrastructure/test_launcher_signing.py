"""The local launcher's reporting signs statements (issue 16): it hands reporting a passphrase it keeps
like identity's, the service builds its demo PKI from its settings, and a statement signed that way
validates with pyHanko against the demo CA; a second start signs with the same keys."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.reporting import statement_of
from deploy.local.launcher import LauncherSettings, Stack
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.signing import pades
from services.reporting.adapters.signing.setup import UNIVERSITY
from services.reporting.entrypoints.main import signing_of
from services.reporting.service_layer.documents.statement import Context, record_of, statement_layout
from services.reporting.settings import ReportingSettings

pytestmark = pytest.mark.unit


def reporting_environment(home: Path) -> dict[str, str]:
    """The environment the launcher starts the reporting service with (nothing is spawned)."""
    stack = Stack(LauncherSettings.model_validate({"home": home}))
    stack.home.mkdir(parents=True, exist_ok=True)
    stack.nats = SimpleNamespace(url="nats://127.0.0.1:1")  # type: ignore[assignment]
    stack.temporal = SimpleNamespace(address="127.0.0.1:2")  # type: ignore[assignment]
    started: dict[str, dict[str, str]] = {}
    stack.spawn = lambda name, module, env, address: started.__setitem__(name, env)  # type: ignore[method-assign]
    stack.start_services(lambda database: f"postgresql+psycopg://u:p@127.0.0.1:1/{database}")
    return started["reporting"]


def settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> ReportingSettings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return ReportingSettings()  # type: ignore[call-arg]


async def test_the_launchers_reporting_signs_statements_that_validate_against_the_demo_ca(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = reporting_environment(tmp_path / "home")
    passphrase = env.get("EJOURNAL_REPORTING_SIGNING_KEY_PASSPHRASE", "")
    assert len(passphrase) >= 24, "the launcher gives reporting a passphrase for its signing keys"
    kept = tmp_path / "home" / "reporting-signing-key-passphrase"
    assert kept.read_text().strip() == passphrase and kept.stat().st_mode & 0o777 == 0o600
    assert reporting_environment(tmp_path / "home")["EJOURNAL_REPORTING_SIGNING_KEY_PASSPHRASE"] == passphrase

    signing = signing_of(settings_from(env, monkeypatch))
    assert signing.pki.folder == tmp_path / "home" / "signing"
    record = record_of(statement_of(30), Context("kz-medical"))
    pdf = render_pdf(statement_layout(record, "https://ejournal.example/verify/ST-000001?hash=abababab"))
    key = signing.university().signer()
    signed = await pades.sign(pdf, UNIVERSITY, signing.university_name, key, signing.trust)
    checks = await pades.check(signed, pades.Trust(signing.trust.roots))  # CRL from the document itself
    assert [(c.field, c.ok) for c in checks] == [(UNIVERSITY, True)], checks
    assert b"ENCRYPTED" in (signing.pki.folder / "ca.key").read_bytes(), "keys are never stored plain"

    again = signing_of(settings_from(env, monkeypatch))  # a restart of the service
    assert again.pki.ca_pem == signing.pki.ca_pem


def test_reporting_does_not_start_without_a_signing_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = reporting_environment(tmp_path / "home")
    env["EJOURNAL_REPORTING_SIGNING_KEY_PASSPHRASE"] = ""
    with pytest.raises(ValueError, match="SIGNING_KEY_PASSPHRASE"):
        signing_of(settings_from(env, monkeypatch))
