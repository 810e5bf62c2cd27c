"""Statements that bind (issue 16): printed through the API, a demo statement carries the university's
PAdES signature, then each signer's in turn; pyHanko's validator finds them intact and valid against
the demo CA; one changed byte breaks them; the public verification answers for a real number and hash
and refuses a forged one, without a token."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import httpx
import pytest

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.reporting.v1 import reporting_service_pb2 as pb
from services.gateway.app import create_app
from services.gateway.clients import ServiceClients
from services.gateway.tests.settings import gateway_settings
from services.reporting.adapters.signing import pades
from services.reporting.adapters.signing.keys import Pkcs12Key
from services.reporting.adapters.signing.pki import DemoPki
from services.reporting.tests.integration.conftest import KZ_UNIVERSITY, Loaded

pytestmark = pytest.mark.integration

REGISTRAR = ("registrar_head", "university", KZ_UNIVERSITY)


async def print_pdf(loaded: Loaded, statement_id: str) -> pb.RenderDocumentResponse:
    s = loaded.served
    reply: pb.RenderDocumentResponse = await s.stub.RenderDocument(
        pb.RenderDocumentRequest(
            format=pb.DOCUMENT_FORMAT_PDF, statement=pb.StatementDocument(statement_id=statement_id)
        ),
        metadata=s.as_("rh", REGISTRAR),
    )
    return reply


async def test_a_printed_statement_is_signed_then_approved_in_turn_and_verifies(loaded: Loaded) -> None:
    s = loaded.served
    signing = s.app.deps.signing
    assert signing is not None
    formed = next(e.payload for e in loaded.kz.events if isinstance(e.payload, gb.StatementFormed))
    teacher = loaded.kz.statements[formed.statement_id].signers[0].person_id
    first = await print_pdf(loaded, formed.statement_id)
    checks = await pades.check(first.content, pades.Trust(signing.trust.roots))
    assert [(c.field, c.ok) for c in checks] == [("university", True)]
    assert (await print_pdf(loaded, formed.statement_id)).content == first.content, "one file, kept"

    approve = pb.ApproveStatementRequest(statement_id=formed.statement_id)
    head = s.as_("head", ("department_head", "department", formed.department_id))
    with pytest.raises(grpc.aio.AioRpcError) as early:
        await s.stub.ApproveStatement(approve, metadata=head)
    assert early.value.code() == grpc.StatusCode.PERMISSION_DENIED, "the teacher signs first"
    by_teacher = await s.stub.ApproveStatement(
        approve, metadata=s.as_(teacher, ("teacher", "department", formed.department_id))
    )
    assert by_teacher.next_role == "head_of_department" and not by_teacher.already_signed
    again = await s.stub.ApproveStatement(
        approve, metadata=s.as_(teacher, ("teacher", "department", formed.department_id))
    )
    assert again.already_signed
    assert (await s.stub.ApproveStatement(approve, metadata=head)).next_role == "registrar"
    done = await s.stub.ApproveStatement(approve, metadata=s.as_("rh", REGISTRAR))
    assert done.next_role == "" and [x.role for x in done.signatures] == [
        "university",
        "teacher",
        "head_of_department",
        "registrar",
    ]

    signed = await print_pdf(loaded, formed.statement_id)
    assert signed.content.startswith(first.content), "signatures append; the printed statement is unchanged"
    assert signed.content_hash == formed.content_hash
    checks = await pades.check(signed.content, pades.Trust(signing.trust.roots))
    assert [c.field for c in checks] == ["university", "teacher", "head_of_department", "registrar"]
    assert all(c.intact and c.valid and c.trusted for c in checks)

    # Anyone with the paper: no token.
    found = await s.stub.VerifyStatement(
        pb.VerifyStatementRequest(number=signed.number, hash=formed.content_hash[:16])
    )
    assert found.content_hash == formed.content_hash and found.signatures_valid
    assert [x.role for x in found.signatures] == ["university", "teacher", "head_of_department", "registrar"]
    for number, digest in (
        (signed.number, "0" * 16),
        ("ST-999999", formed.content_hash[:16]),
        (signed.number, ""),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as forged:
            await s.stub.VerifyStatement(pb.VerifyStatementRequest(number=number, hash=digest))
        assert forged.value.code() == grpc.StatusCode.NOT_FOUND
        assert forged.value.details() == "no statement with this number and hash"

    upload = await s.stub.VerifyDocument(pb.VerifyDocumentRequest(content=signed.content))
    assert upload.matches_record and upload.signatures_valid and len(upload.signatures) == 4
    tampered = bytearray(signed.content)
    at = signed.content.index(b"ST-0")
    tampered[at + 8] = ord("9") if tampered[at + 8] != ord("9") else ord("8")
    broken = await s.stub.VerifyDocument(pb.VerifyDocumentRequest(content=bytes(tampered)))
    assert not broken.signatures_valid and not any(x.valid for x in broken.signatures)


@asynccontextmanager
async def gateway(loaded: Loaded) -> AsyncIterator[httpx.AsyncClient]:
    """The real gateway in front of this reporting server."""
    app = create_app(gateway_settings())
    app.state.clients = ServiceClients({"reporting": loaded.served.address})
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="https://ejournal.test") as client:
            yield client
    finally:
        await app.state.clients.close()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def test_an_external_signer_signs_the_handed_out_digest_through_the_gateway(loaded: Loaded) -> None:
    """Issue 16: a signer whose key stays outside (NCALayer-like; here a pyHanko signer holding a key of
    the demo CA) gets the signed attributes' digest through the gateway, signs it with its own key and
    sends the value back; the statement then carries a valid PAdES signature of that certificate."""
    s = loaded.served
    signing = s.app.deps.signing
    assert signing is not None
    formed = [e.payload for e in loaded.kz.events if isinstance(e.payload, gb.StatementFormed)][1]
    content = loaded.kz.statements[formed.statement_id]
    teacher = content.signers[0].person_id
    card = signing.pki.signer_p12("external-card", "Төлеуова Әсел (NCA)")
    signer = Pkcs12Key(card, signing.pki.passphrase).signer()
    assert signer.signing_cert is not None
    certificate = signer.signing_cert.dump()
    teaching = ("teacher", "department", formed.department_id)
    as_teacher = {"Authorization": f"Bearer {s.keys.token(teacher, teaching)}"}
    as_stranger = {"Authorization": f"Bearer {s.keys.token('stranger', ('teacher', 'department', 'x'))}"}
    path = f"/api/v1/statements/{formed.statement_id}/external-signatures"
    async with gateway(loaded) as http:
        refused = await http.post(path, json={"certificate": b64(certificate)}, headers=as_stranger)
        assert refused.status_code == 403, refused.text
        prepared = await http.post(path, json={"certificate": b64(certificate)}, headers=as_teacher)
        assert prepared.status_code == 201, prepared.text
        answer = prepared.json()
        assert answer["role"] == "teacher" and answer["digest_algorithm"] == "sha256"
        assert answer["signature_algorithm"] == "sha256_ecdsa"
        attributes = base64.b64decode(answer["signed_attributes"])
        assert base64.b64decode(answer["digest"]) == hashlib.sha256(attributes).digest()
        complete = f"/api/v1/external-signatures/{answer['signing_id']}"

        # A value over anything else is refused and changes nothing; so is another person's completion.
        wrong = await signer.async_sign_raw(b"something else", "sha256")
        bad = await http.post(complete, json={"signature": b64(wrong)}, headers=as_teacher)
        assert bad.status_code == 422 or bad.status_code == 400, bad.text
        assert "signature" in bad.text
        value = await signer.async_sign_raw(attributes, "sha256")  # the outside signer's own key
        other = await http.post(complete, json={"signature": b64(value)}, headers=as_stranger)
        assert other.status_code == 403, other.text
        done = await http.post(complete, json={"signature": b64(value)}, headers=as_teacher)
        assert done.status_code == 200, done.text
        assert [x["role"] for x in done.json()["signatures"]] == ["university", "teacher"]
        assert done.json()["next_role"] == "head_of_department"
        again = await http.post(complete, json={"signature": b64(value)}, headers=as_teacher)
        assert again.status_code == 403, "a completed signature cannot be completed twice"

    printed = await print_pdf(loaded, formed.statement_id)
    checks = await pades.check(printed.content, pades.Trust(signing.trust.roots))
    assert [(c.field, c.ok) for c in checks] == [("university", True), ("teacher", True)], checks
    assert "Төлеуова Әсел (NCA)" in checks[1].signer
    certificates, crls = pades.embedded_revocation(printed.content)
    assert certificates >= 2 and crls >= 1, "B-LT: chain and CRL embedded for the external signature too"


async def test_an_external_certificate_outside_the_trusted_chain_is_refused(
    loaded: Loaded, tmp_path: Path
) -> None:
    s = loaded.served
    formed = [e.payload for e in loaded.kz.events if isinstance(e.payload, gb.StatementFormed)][2]
    teacher = loaded.kz.statements[formed.statement_id].signers[0].person_id
    me = s.as_(teacher, ("teacher", "department", formed.department_id))
    stranger_ca = DemoPki.open(tmp_path / "other-ca", b"other-ca-passphrase", "Unknown CA")
    signer = Pkcs12Key(stranger_ca.signer_p12("t", "Someone"), b"other-ca-passphrase").signer()
    assert signer.signing_cert is not None
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await s.stub.PrepareExternalSignature(
            pb.PrepareExternalSignatureRequest(
                statement_id=formed.statement_id, certificate=signer.signing_cert.dump()
            ),
            metadata=me,
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.details().startswith("certificate:"), "refused before anything is reserved"
    with pytest.raises(grpc.aio.AioRpcError) as not_x509:
        await s.stub.PrepareExternalSignature(
            pb.PrepareExternalSignatureRequest(statement_id=formed.statement_id, certificate=b"nope"),
            metadata=me,
        )
    assert not_x509.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert not_x509.value.details().startswith("certificate:")
