"""How the running service sets up signing from its settings: the demo PKI, or (on a cluster) the
university's own PKCS#12 document key with its CA's roots and CRLs from a PEM trust file."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pydantic import SecretStr

from bench.reporting import statement_of
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.signing import pades
from services.reporting.adapters.signing.pki import DemoPki
from services.reporting.adapters.signing.setup import UNIVERSITY
from services.reporting.entrypoints.main import signing_of
from services.reporting.service_layer.documents.statement import Context, record_of, statement_layout
from services.reporting.settings import ReportingSettings

pytestmark = pytest.mark.unit


def settings(tmp_path: Path, **more: object) -> ReportingSettings:
    return ReportingSettings.model_validate(
        {
            "database_url": "postgresql+psycopg://u:p@127.0.0.1:1/r",
            "nats_url": "nats://127.0.0.1:1",
            "identity_address": "127.0.0.1:1",
            "gradebook_address": "127.0.0.1:1",
            "public_url": "https://ejournal.example",
            "signing_dir": tmp_path / "signing",
            "signing_key_passphrase": SecretStr("demo-keys-passphrase"),
            **more,
        }
    )


def printed() -> bytes:
    record = record_of(statement_of(5), Context("kz-medical"))
    return render_pdf(statement_layout(record, "https://ejournal.example/verify/ST-000001?hash=abababab"))


async def test_a_configured_pkcs12_signs_as_the_university_and_validates_against_its_own_ca(
    tmp_path: Path,
) -> None:
    national = DemoPki.open(tmp_path / "national-ca", b"their-passphrase", "National CA")
    key_file = national.signer_p12("university", "Қазақ ұлттық медицина университеті")
    trust_file = tmp_path / "trust.pem"
    crl_pem = national.crl.public_bytes(serialization.Encoding.PEM)
    trust_file.write_bytes(national.ca_pem + crl_pem)
    signing = signing_of(
        settings(
            tmp_path,
            university_key_file=key_file,
            university_key_passphrase=SecretStr("their-passphrase"),
            trust_file=trust_file,
        )
    )
    signed = await pades.sign(printed(), UNIVERSITY, "u", signing.university().signer(), signing.trust)
    checks = await pades.check(signed, pades.Trust(signing.trust.roots))
    assert [(c.field, c.ok) for c in checks] == [(UNIVERSITY, True)], checks
    assert "Қазақ ұлттық медицина" in checks[0].signer
    only_demo = pades.Trust((signing.pki.ca_cert.public_bytes(serialization.Encoding.DER),))
    assert not (await pades.check(signed, only_demo))[0].trusted, "the configured CA is what makes it trusted"


def test_a_configured_key_needs_its_trust_file_and_its_passphrase(tmp_path: Path) -> None:
    national = DemoPki.open(tmp_path / "national-ca", b"their-passphrase", "National CA")
    key_file = national.signer_p12("university", "U")
    with pytest.raises(ValueError, match="TRUST_FILE"):
        signing_of(settings(tmp_path, university_key_file=key_file))
    trust_file = tmp_path / "trust.pem"
    trust_file.write_bytes(national.ca_pem)
    with pytest.raises(ValueError):  # the key's passphrase is missing
        signing_of(settings(tmp_path, university_key_file=key_file, trust_file=trust_file))
