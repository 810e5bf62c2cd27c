"""PAdES signatures on statements (pyHanko): each signature is an incremental update of the PDF, so
earlier signatures and the printed content stay byte for byte what they were.

Every signature is PAdES-B-LT: signed attributes (ETSI.CAdES.detached), the signer's chain and the
revocation data (CRLs) it was checked against embedded in the document security store, and a
timestamp where a TSA is configured. The key is pluggable (signers.py): a PKCS#12 file, a PKCS#11
token, or an external signer that receives the digest and returns the signature.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

MD = "sha256"
# pyHanko warns on every signature that it will embed revocation data without fetching any: that is
# the design here (the CRLs come with the trust), so the warning would only be noise in the logs.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Trust:
    """What signatures are checked against: the trusted roots and the revocation lists to embed."""

    roots: tuple[bytes, ...]  # DER certificates
    crls: tuple[bytes, ...] = ()  # DER CRLs
    tsa_url: str = ""

    def settings(self) -> dict[str, object]:
        # Nothing is fetched: revocation data comes with the trust (when signing) or from the
        # document itself (when validating), and a certificate without it is not trusted.
        return {
            "trust_roots": [asn1_x509.Certificate.load(der) for der in self.roots],
            "crls": [asn1_crl.CertificateList.load(der) for der in self.crls],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }

    def context(self) -> ValidationContext:
        return ValidationContext(**self.settings())  # type: ignore[arg-type]

    def timestamper(self) -> TimeStamper | None:
        return HTTPTimeStamper(self.tsa_url) if self.tsa_url else None


def metadata(field: str, name: str, trust: Trust) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=field,
        name=name,
        md_algorithm=MD,
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=trust.context(),
    )


async def sign(pdf: bytes, field: str, name: str, signer: signers.Signer, trust: Trust) -> bytes:
    """`pdf` with one more signature, in field `field`, appended as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    try:
        out = await signers.async_sign_pdf(
            writer, metadata(field, name, trust), signer=signer, timestamper=trust.timestamper()
        )
    except SigningError as error:
        raise SignatureRefused(str(error)) from error
    return bytes(out.getvalue())


class SignatureRefused(Exception):
    """The key, its certificate or its revocation status does not allow signing."""


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str  # the certificate's subject, as people read it
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature matches the signer's key
    trusted: bool  # the signer's chain ends in a trusted root and is not revoked
    covers_rest: bool  # nothing but allowed updates (later signatures) follows it

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_rest


class Unreadable(Exception):
    """Not a PDF this service can read (damaged, or not a PDF at all)."""


async def check(pdf: bytes, trust: Trust) -> list[SignatureCheck]:
    """Every signature of `pdf`, validated against `trust` and the revocation data it embeds."""
    try:
        return await _check(pdf, trust)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise Unreadable(str(error)) from error


async def _check(pdf: bytes, trust: Trust) -> list[SignatureCheck]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    dss = _dss(reader)
    results = []
    for sig in reader.embedded_signatures:
        # Validated with what the document embeds (B-LT) besides the trusted roots.
        context = dss.as_validation_context(trust.settings()) if dss is not None else trust.context()
        status = await async_validate_pdf_signature(sig, context)
        results.append(
            SignatureCheck(
                field=sig.field_name,
                signer=status.signing_cert.subject.human_friendly,
                signed_at=status.signer_reported_dt,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                covers_rest=bool(status.docmdp_ok) and status.modification_level is not None,
            )
        )
    return results


def embedded_revocation(pdf: bytes) -> tuple[int, int]:
    """(certificates, CRLs) in the document security store: what makes a signature B-LT."""
    dss = _dss(PdfFileReader(io.BytesIO(pdf), strict=False))
    return (len(dss.certs), len(dss.crls)) if dss is not None else (0, 0)


def _dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS at all: an unsigned or a bare PAdES-B-B document
        return None


def subject_of(pdf: bytes) -> str:
    """The document's subject (PDF/A keeps it in XMP), where a statement states its number and hash."""
    subject = PdfFileReader(io.BytesIO(pdf), strict=False).document_meta_view.subject
    return str(getattr(subject, "value", subject or ""))
