"""A university's document key on a token (PKCS#11, issue 16): a real SoftHSM token, the key made on
it and never leaving it, its certificate from the university's CA; a statement signed through
`Pkcs11Key` is PAdES-valid against that CA, one changed byte breaks it, and a wrong PIN signs nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from bench.reporting import statement_of
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.signing import pades
from services.reporting.adapters.signing.keys import Pkcs11Key
from services.reporting.adapters.signing.pki import DemoPki
from services.reporting.adapters.signing.setup import UNIVERSITY
from services.reporting.service_layer.documents.statement import Context, record_of, statement_layout

pytestmark = pytest.mark.integration

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")  # Debian's softhsm2 (scripts/system_packages.sh)
TOKEN, PIN, LABEL = "ejournal-university", "2468", "document-key"


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An initialised SoftHSM token in a folder of this test's own; yields the module's path. (One
    test only: python-pkcs11 loads the module, and with it SoftHSM's configuration, once a process.)"""
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    util = shutil.which("softhsm2-util")
    assert util and SOFTHSM.exists(), "softhsm2 is installed by scripts/system_packages.sh"
    init = [util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579"]
    subprocess.run(init, check=True, capture_output=True, env=os.environ.copy())
    yield str(SOFTHSM)


def enrol(module: str, ca: DemoPki) -> None:
    """The key pair made on the token (the private half is not extractable), its certificate issued
    by the CA and stored beside it under the same label, as pyHanko's PKCS#11 signer looks it up."""
    with pkcs11.lib(module).get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        curve = session.create_domain_parameters(
            pkcs11.KeyType.EC,
            {pkcs11.Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True,
        )
        public, _private = curve.generate_keypair(store=True, label=LABEL)
        key = serialization.load_der_public_key(encode_ec_public_key(public))
        assert isinstance(key, ec.EllipticCurvePublicKey)
        cert = ca.certify(key, "Қазақ ұлттық медицина университеті")
        session.create_object(
            {
                pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
                pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                pkcs11.Attribute.TOKEN: True,
                pkcs11.Attribute.LABEL: LABEL,
                pkcs11.Attribute.SUBJECT: cert.subject.public_bytes(),
                pkcs11.Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )


def printed() -> bytes:
    record = record_of(statement_of(5), Context("kz-medical"))
    return render_pdf(statement_layout(record, "https://ejournal.example/verify/ST-000001?hash=abababab"))


async def test_a_statement_signed_by_a_key_on_a_token_is_valid_and_one_changed_byte_breaks_it(
    token: str, tmp_path: Path
) -> None:
    ca = DemoPki.open(tmp_path / "ca", b"ca-passphrase", "Қазақ ұлттық медицина университеті")
    enrol(token, ca)
    trust = pades.Trust((ca.ca_cert.public_bytes(serialization.Encoding.DER),), (ca.crl_der,))
    with pytest.raises(pkcs11.PinIncorrect):
        Pkcs11Key(token, TOKEN, LABEL, "0000").signer()

    signer = Pkcs11Key(token, TOKEN, LABEL, PIN, raw_mechanism=True).signer()  # SoftHSM: raw ECDSA
    signed = await pades.sign(printed(), UNIVERSITY, "university", signer, trust)

    checks = await pades.check(signed, pades.Trust(trust.roots))
    assert [(c.field, c.ok) for c in checks] == [(UNIVERSITY, True)], checks
    assert "Қазақ ұлттық медицина" in checks[0].signer
    assert pades.embedded_revocation(signed) != (0, 0), "B-LT: chain and CRL embedded"

    start = signed.index(b"/Contents") - 200  # a byte of the signed content, before the signature
    tampered = signed[:start] + bytes([signed[start] ^ 0x01]) + signed[start + 1 :]
    assert not all(c.intact for c in await pades.check(tampered, pades.Trust(trust.roots)))

