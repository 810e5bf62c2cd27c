"""PAdES signatures on a statement's PDF: the demo CA and keys made at first start, the university's
signature and each signer's after it as incremental updates (the printed bytes never change), B-LT
(chain and CRL in the document), validation by pyHanko against the demo CA, and the external signer
that hands out a digest and takes the signature back (as NCALayer would)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.serialization import pkcs12

from bench.reporting import statement_of
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.signing import keys, pades
from services.reporting.adapters.signing.pki import DemoPki
from services.reporting.service_layer.documents.statement import Context, record_of, statement_layout

pytestmark = pytest.mark.unit

PASSPHRASE = b"reporting-keys-passphrase-for-tests-only"


def der(cert: object) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)  # type: ignore[attr-defined,no-any-return]


def printed() -> bytes:
    record = record_of(statement_of(12), Context("kz-medical"))
    return render_pdf(statement_layout(record, "https://ejournal.example/verify/ST-000001?hash=abababab"))


async def signed_by_all(pki: DemoPki, trust: pades.Trust, pdf: bytes) -> bytes:
    for field, name in (
        ("university", "Қазақ ұлттық медицина университеті"),
        ("teacher", "Төлеуова Әсел"),
        ("head_of_department", "Оспанов Ерлан"),
        ("registrar", "Сейітова Гүлнұр"),
    ):
        key = keys.Pkcs12Key(pki.signer_p12(field, name), PASSPHRASE)
        pdf = await pades.sign(pdf, field, name, key.signer(), trust)
    return pdf


async def test_the_university_then_each_signer_sign_and_the_demo_ca_validates_them(tmp_path: Path) -> None:
    pki = DemoPki.open(tmp_path / "pki", PASSPHRASE)
    assert DemoPki.open(tmp_path / "pki", PASSPHRASE).ca_pem == pki.ca_pem, (
        "the demo CA is made once, then kept"
    )
    trust = pades.Trust((der(pki.ca_cert),), (pki.crl_der,))
    original = printed()
    signed = await signed_by_all(pki, trust, original)
    assert signed.startswith(original), "signatures are incremental: the printed bytes are unchanged"
    assert pades.subject_of(signed) == pades.subject_of(
        original
    ) and "SHA-256 " + "ab" * 32 in pades.subject_of(signed)
    checks = await pades.check(signed, pades.Trust(trust.roots))  # revocation data from the PDF only
    assert [c.field for c in checks] == ["university", "teacher", "head_of_department", "registrar"]
    assert all(c.intact and c.valid and c.trusted and c.covers_rest for c in checks), checks
    assert "Төлеуова Әсел" in checks[1].signer
    certificates, crls = pades.embedded_revocation(signed)
    assert certificates >= 2 and crls >= 1, "B-LT: the chain and the CRL are embedded"


async def test_one_changed_byte_or_another_ca_breaks_validation(tmp_path: Path) -> None:
    pki = DemoPki.open(tmp_path / "pki", PASSPHRASE)
    trust = pades.Trust((der(pki.ca_cert),), (pki.crl_der,))
    original = printed()
    signed = await signed_by_all(pki, trust, original)
    tampered = bytearray(signed)
    position = original.index(b"ST-000001")  # the number as the document's metadata states it
    tampered[position + 8] = ord("7")
    assert not any(c.intact for c in await pades.check(bytes(tampered), pades.Trust(trust.roots)))
    in_page = bytearray(signed)
    in_page[original.index(b"stream") + 20] ^= 0x01  # one bit inside the first compressed stream
    assert not any(c.intact for c in await pades.check(bytes(in_page), pades.Trust(trust.roots)))
    with pytest.raises(pades.Unreadable):
        await pades.check(b"%PDF-1.7 not really", pades.Trust(trust.roots))
    stranger = DemoPki.open(tmp_path / "stranger", PASSPHRASE)
    assert not any(c.trusted for c in await pades.check(signed, pades.Trust((der(stranger.ca_cert),))))
    assert await pades.check(original, pades.Trust(trust.roots)) == [], "unsigned: nothing to trust"


async def test_an_external_signer_gets_the_digest_and_gives_the_signature_back(tmp_path: Path) -> None:
    pki = DemoPki.open(tmp_path / "pki", PASSPHRASE)
    trust = pades.Trust((der(pki.ca_cert),), (pki.crl_der,))
    university = keys.Pkcs12Key(pki.signer_p12("university", "Университет"), PASSPHRASE)
    pdf = await pades.sign(printed(), "university", "Университет", university.signer(), trust)
    # The key stays on the "device" (here: loaded in the test, as NCALayer keeps it on the user's side).
    key, cert, _ = pkcs12.load_key_and_certificates(
        pki.signer_p12("nca", "Оспанов Ерлан").read_bytes(), PASSPHRASE
    )
    assert isinstance(key, ec.EllipticCurvePrivateKey) and cert is not None
    pending = await keys.prepare_external(
        pdf, "teacher", "Оспанов Ерлан", der(cert), (der(pki.ca_cert),), trust
    )
    assert len(pending.to_sign) == 32
    signature = key.sign(pending.to_sign, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    finished = await keys.complete_external(pending, signature, trust)
    checks = await pades.check(finished, pades.Trust(trust.roots))
    assert [c.field for c in checks] == ["university", "teacher"] and all(c.ok for c in checks)
    wrong = key.sign(b"\x00" * 32, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    forged = await keys.complete_external(pending, wrong, trust)
    assert [c.valid for c in await pades.check(forged, pades.Trust(trust.roots))] == [True, False]


def test_every_private_key_on_disk_is_encrypted_with_the_configured_passphrase(tmp_path: Path) -> None:
    """Issue 13: no key in the code, none plain on disk; without the passphrase nothing loads."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    with pytest.raises(ValueError, match="passphrase"):
        DemoPki.open(tmp_path / "none", b"")
    pki = DemoPki.open(tmp_path / "pki", PASSPHRASE)
    p12 = pki.signer_p12("university", "Университет").read_bytes()
    ca_key = (tmp_path / "pki" / "ca.key").read_bytes()
    assert ca_key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    for wrong in (None, b"ejournal-demo"):  # nothing, or the passphrase the code used to hold
        with pytest.raises((ValueError, TypeError)):
            serialization.load_pem_private_key(ca_key, wrong)
        with pytest.raises((ValueError, TypeError)):
            pkcs12.load_key_and_certificates(p12, wrong)
    assert pkcs12.load_key_and_certificates(p12, PASSPHRASE)[0] is not None
