"""Statements that bind: the first print of a statement is signed by the university's document key
and kept; each signer then approves it in turn (a teacher of the statement, the head of its
department, the registrar), adding a PAdES signature as an incremental update. Anyone holding the
paper can verify it by number and hash; an uploaded PDF is checked the same way.

Signatures never touch the record: the PDF prints the gradebook's content hash, and signing appends
to the PDF without changing a byte of what was printed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyhanko.sign.general import SigningError
from sqlalchemy.ext.asyncio import AsyncSession

from ejournal_platform.authz import ScopeType, refusal
from ejournal_platform.context import Principal
from ejournal_platform.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.reporting.adapters import queries_documents as q
from services.reporting.adapters import signed_statements_repo as signed
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.signing import keys, pades
from services.reporting.adapters.signing.keys import Pending
from services.reporting.adapters.signing.setup import UNIVERSITY, Signing
from services.reporting.service_layer.deps import Deps
from services.reporting.service_layer.documents.render import statement_layout_for
from services.reporting.service_layer.documents.words import SERIES_PREFIX

ORDER = ("teacher", "head_of_department", "registrar")
REGISTRAR_ROLES = {"registrar_head", "registrar_senior_inspector", "registrar_inspector"}
NUMBER = re.compile(r"^([A-Z]{2})-(\d{6,})$")


def _now() -> str:
    return datetime.now(UTC).isoformat()


def configured(deps: Deps) -> Signing:
    """The server's keys and trust; without them statements print unsigned and cannot be signed."""
    if deps.signing is None:
        raise FailedPrecondition("statement signing is not configured on this server")
    return deps.signing


# The commands, named after their RPCs (a statement's PDF is printed through RenderDocument). The keys
# and trust (`deps.signing`) and the public address printed on the page (`deps.public_url`) are the
# server's configuration, in its Deps.
@dataclass(frozen=True, kw_only=True)
class PrintStatement:
    statement_id: str


@dataclass(frozen=True, kw_only=True)
class ApproveStatement:
    statement_id: str


@dataclass(frozen=True, kw_only=True)
class PrepareExternalSignature:
    statement_id: str
    certificate: bytes  # DER
    chain: tuple[bytes, ...]  # DER, the certificate's issuers


@dataclass(frozen=True, kw_only=True)
class CompleteExternalSignature:
    signing_id: str
    signature: bytes


async def signed_pdf(deps: Deps, principal: Principal, cmd: PrintStatement) -> tuple[bytes, str, str]:
    """The statement's signed PDF (made and signed by the university's key on its first print), after
    checking the caller may read it; with its number and content hash."""
    statement_id, signing = cmd.statement_id, configured(deps)
    async with deps.unit_of_work() as uow:
        layout = await statement_layout_for(uow.session, principal, statement_id, deps.public_url)
        stored = await signed.find(uow.session, statement_id)
    if stored is not None:
        return bytes(stored.pdf), layout.number, layout.content_hash
    pdf = render_pdf(layout)
    key = signing.university().signer()
    pdf = await pades.sign(pdf, UNIVERSITY, signing.university_name, key, signing.trust)
    signer = {"role": UNIVERSITY, "person_id": "", "signed_at": _now()}
    async with deps.unit_of_work() as uow:
        await signed.add_first_print(
            uow.session,
            statement_id=statement_id,
            number=layout.number,
            content_hash=layout.content_hash,
            pdf=pdf,
            signers=[signer],
        )
        stored = await signed.find(uow.session, statement_id)
        await uow.commit()
    assert stored is not None
    return bytes(stored.pdf), layout.number, layout.content_hash


def _may_sign(principal: Principal, role: str, teachers: set[str], department_id: str) -> bool:
    if role == "teacher":
        return principal.subject in teachers
    if role == "head_of_department":
        head = ("department_head", ScopeType.DEPARTMENT, department_id)
        return any((g.role, g.scope_type, g.scope_id) == head for g in principal.roles)
    return any(g.role in REGISTRAR_ROLES for g in principal.roles)


@dataclass(frozen=True)
class Approval:
    number: str
    signers: list[dict[str, str]]
    next_role: str
    already_signed: bool


async def _next_role(session: AsyncSession, principal: Principal, row: Any) -> str:
    """The role the caller signs as now; refused if it is not the caller's turn."""
    done = [s["role"] for s in row.signers]
    pending = [r for r in ORDER if r not in done]
    if not pending:
        raise PermissionDenied("every signer has signed this statement")
    stored = await q.statement(session, row.statement_id)
    assert stored is not None and stored.content is not None
    teachers = {s.person_id for s in stored.content.signers if s.role in ("teacher", "substitute")}
    role = pending[0]
    if not _may_sign(principal, role, teachers, stored.row.department_id):
        raise PermissionDenied(f"the next signature is the {role.replace('_', ' ')}'s")
    return role


def _rest(signers: list[dict[str, str]]) -> str:
    rest = [r for r in ORDER if r not in {s["role"] for s in signers}]
    return rest[0] if rest else ""


async def approve(deps: Deps, principal: Principal, cmd: ApproveStatement) -> Approval:
    """Sign the statement as its next signer, if the caller is that signer."""
    statement_id, signing = cmd.statement_id, configured(deps)
    if not statement_id:
        raise InvalidArgument("statement_id", "is required")
    await _readable(deps, principal, statement_id)
    async with deps.unit_of_work() as uow:
        row = await signed.locked(uow.session, statement_id)
        signers: list[dict[str, str]] = list(row.signers)
        if any(s["person_id"] == principal.subject for s in signers):
            return Approval(row.number, signers, _rest(signers), True)
        role = await _next_role(uow.session, principal, row)
        people = await q.names_of(uow.session, [principal.subject])
        name = people.get(principal.subject) or principal.subject
        key = signing.key(f"person-{principal.subject}", name).signer()
        pdf = await pades.sign(bytes(row.pdf), role, name, key, signing.trust)
        signers.append({"role": role, "person_id": principal.subject, "signed_at": _now()})
        await signed.replace_pdf(uow.session, statement_id, pdf, signers)
        await uow.commit()
    return Approval(row.number, signers, _rest(signers), False)


@dataclass(frozen=True)
class Prepared:
    signing_id: str
    role: str
    number: str
    pending: Pending

    @property
    def signature_algorithm(self) -> str:
        return keys.mechanism_of(self.pending.certificate)


async def _readable(deps: Deps, principal: Principal, statement_id: str) -> None:
    """The caller may read the statement (a missing one is refused like a foreign one: nothing is
    revealed); its university-signed PDF exists."""
    async with deps.unit_of_work() as uow:
        exists = await q.statement(uow.session, statement_id)
    if exists is None:
        raise refusal("statement.read")
    await signed_pdf(deps, principal, PrintStatement(statement_id=statement_id))


async def prepare_external(deps: Deps, principal: Principal, cmd: PrepareExternalSignature) -> Prepared:
    """Reserve the caller's signature (as the next signer in turn) for a key held outside: what to sign
    goes out, the signature value comes back through `complete_external`."""
    statement_id, certificate, chain = cmd.statement_id, cmd.certificate, cmd.chain
    signing = configured(deps)
    if not statement_id:
        raise InvalidArgument("statement_id", "is required")
    await _readable(deps, principal, statement_id)
    if not keys.is_certificate(certificate) or not all(keys.is_certificate(c) for c in chain):
        raise InvalidArgument("certificate", "is not an X.509 certificate (DER)")
    async with deps.unit_of_work() as uow:
        row = await signed.locked(uow.session, statement_id)
        if any(s["person_id"] == principal.subject for s in row.signers):
            raise FailedPrecondition("statement_id: you have already signed this statement")
        role = await _next_role(uow.session, principal, row)
        people = await q.names_of(uow.session, [principal.subject])
        name = people.get(principal.subject) or principal.subject
        try:
            pending = await keys.prepare_external(
                bytes(row.pdf), role, name, certificate, chain, signing.trust
            )
        except (SigningError, ValueError, TypeError, KeyError) as error:  # untrusted, revoked, unusable
            raise InvalidArgument("certificate", "is not trusted for signing here") from error
        signing_id = str(uuid.uuid4())
        await signed.add_external(
            uow.session,
            signing_id=signing_id,
            statement_id=statement_id,
            role=role,
            person_id=principal.subject,
            prepared_pdf=pending.prepared_pdf,
            pending=keys.pending_json(pending),
        )
        await uow.commit()
    return Prepared(signing_id, role, row.number, pending)


async def complete_external(deps: Deps, principal: Principal, cmd: CompleteExternalSignature) -> Approval:
    """Embed the external signature prepared by the caller, if it verifies; record the signer."""
    signing_id, signature, signing = cmd.signing_id, cmd.signature, configured(deps)
    if not signing_id:
        raise InvalidArgument("signing_id", "is required")
    async with deps.unit_of_work() as uow:
        found = await signed.find_external(uow.session, signing_id, principal.subject)
        if found is None:  # another person's, or none: the same refusal
            raise refusal("statement.read")
        if not signature:
            raise InvalidArgument("signature", "is required")
        row = await signed.locked(uow.session, found.statement_id)
        signers: list[dict[str, str]] = list(row.signers)
        pending = keys.pending_of(bytes(found.prepared_pdf), found.pending)
        done = {s["role"] for s in signers}
        if found.role in done or not pending.prepared_pdf.startswith(bytes(row.pdf)):
            raise FailedPrecondition("signing_id: the statement was signed meanwhile; prepare again")
        try:
            pdf = await keys.complete_external(pending, signature, signing.trust)
            last = (await pades.check(pdf, signing.trust))[-1]
        except Exception as error:  # pyHanko's refusals of a bad value or an untrusted chain
            raise InvalidArgument("signature", "does not verify against the prepared digest") from error
        if last.field != found.role or not last.ok:
            raise InvalidArgument("signature", "does not verify against the prepared digest")
        signers.append(
            {"role": found.role, "person_id": principal.subject, "signed_at": _now(), "external": "yes"}
        )
        await signed.replace_pdf(uow.session, found.statement_id, pdf, signers)
        await signed.drop_externals(uow.session, found.statement_id)
        await uow.commit()
    return Approval(row.number, signers, _rest(signers), False)


@dataclass(frozen=True)
class Verified:
    matches_record: bool
    number: str
    content_hash: str
    formed_at: str
    checks: list[tuple[str, pades.SignatureCheck]]  # (role, check)

    @property
    def signatures_valid(self) -> bool:
        roles = {role for role, _ in self.checks}
        return UNIVERSITY in roles and all(c.ok for _, c in self.checks)


@dataclass(frozen=True, kw_only=True)
class PrintedRecord:
    """The record behind a printed number and hash."""

    statement_id: str
    content_hash: str
    formed_at: str  # ISO, "" when unknown


async def _record(session: AsyncSession, number: str, hash_prefix: str) -> PrintedRecord | None:
    """The record of the statement with this printed number and hash."""
    found = NUMBER.match(number.strip().upper())
    prefix = hash_prefix.strip().lower()
    if found is None or len(prefix) < 16 or not re.fullmatch(r"[0-9a-f]+", prefix):
        return None
    series = {v: k for k, v in SERIES_PREFIX.items()}.get(found.group(1), found.group(1))
    row = await q.statement_by_print(session, [series, found.group(1)], int(found.group(2)), prefix)
    if row is None:
        return None
    return PrintedRecord(
        statement_id=row.statement_id,
        content_hash=row.content_hash,
        formed_at=row.formed_at.isoformat() if row.formed_at else "",
    )


async def _checks(pdf: bytes, signing: Signing) -> list[tuple[str, pades.SignatureCheck]]:
    return [(c.field, c) for c in await pades.check(pdf, signing.trust)]


async def verify_number(deps: Deps, number: str, hash_prefix: str) -> Verified:
    """What the public verification page shows. Anything else than a real number with its hash is
    NOT_FOUND with one message, so the page reveals nothing about what exists."""
    signing = configured(deps)
    async with deps.unit_of_work() as uow:
        record = await _record(uow.session, number, hash_prefix)
        stored = await signed.find(uow.session, record.statement_id) if record is not None else None
    if record is None:
        raise NotFound("no statement with this number and hash")
    checks = await _checks(bytes(stored.pdf), signing) if stored is not None else []
    return Verified(True, number.strip().upper(), record.content_hash, record.formed_at, checks)


SUBJECT = re.compile(r"№ ([A-Z]{2}-\d+) · SHA-256 ([0-9a-f]{64})")


async def verify_upload(deps: Deps, pdf: bytes) -> Verified:
    """An uploaded PDF: the record its metadata names, and its own signatures."""
    signing = configured(deps)
    if not pdf:
        raise InvalidArgument("content", "upload the statement's PDF")
    try:
        checks = await _checks(pdf, signing)
        subject = pades.subject_of(pdf)
    except pades.Unreadable:
        raise InvalidArgument("content", "is not a PDF this service can read") from None
    stated = SUBJECT.search(subject)
    if stated is None:
        return Verified(False, "", "", "", checks)
    async with deps.unit_of_work() as uow:
        record = await _record(uow.session, stated.group(1), stated.group(2))
    matches = record is not None and record.content_hash == stated.group(2)
    formed = record.formed_at if record is not None else ""
    return Verified(matches, stated.group(1), stated.group(2), formed, checks)
