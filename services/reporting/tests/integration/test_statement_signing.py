"""Statements that bind (issue 16): printed through the API, a demo statement carries the university's
PAdES signature, then each signer's in turn; pyHanko's validator finds them intact and valid against
the demo CA; one changed byte breaks them; the public verification answers for a real number and hash
and refuses a forged one, without a token."""

from __future__ import annotations

import grpc
import pytest

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal.reporting.v1 import reporting_service_pb2 as pb
from services.reporting.adapters.signing import pades
from services.reporting.tests.integration.conftest import Loaded

pytestmark = pytest.mark.integration

REGISTRAR = ("registrar_head", "university", "u-1")


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
    signing = s.app.signing
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
