"""Where a signing key lives — the pluggable part of signing.

- `Pkcs12Key`: a PKCS#12 file (the demo's keys, or a person's exported certificate).
- `Pkcs11Key`: a token or HSM through its PKCS#11 module (production's university document key);
  needs PyPI `python-pkcs11`, imported only when such a key is configured.
- `prepare_external` / `complete_external`: a signer this process cannot hold, such as Kazakhstan's
  NCA certificates through NCALayer (GOST algorithms no Python library signs): the digest of the
  signed attributes is handed out, the signature value comes back, and the document is finished
  with it. Between the two calls only `Pending` is kept (bytes and numbers, storable anywhere).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation.dss import async_add_validation_info
from pyhanko_certvalidator.registry import SimpleCertificateStore

from services.reporting.adapters.signing.pades import MD, Trust, metadata


class KeySource(Protocol):
    def signer(self) -> signers.Signer: ...


@dataclass(frozen=True)
class Pkcs12Key:
    path: Path
    passphrase: bytes

    def signer(self) -> signers.Signer:
        loaded = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(self.path), passphrase=self.passphrase
        )
        if not isinstance(loaded, signers.Signer):
            raise ValueError(f"cannot read the PKCS#12 file {self.path}")
        return loaded


@dataclass(frozen=True)
class Pkcs11Key:
    module: str  # the token's PKCS#11 library (.so)
    token_label: str
    key_label: str
    pin: str
    # Hash here and have the token sign the digest: for tokens that offer only raw ECDSA (CKM_ECDSA,
    # e.g. SoftHSM) rather than hash-and-sign (CKM_ECDSA_SHA256).
    raw_mechanism: bool = False

    def signer(self) -> signers.Signer:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11  # needs python-pkcs11, installed where tokens are used

        criteria = TokenCriteria(label=self.token_label)
        session = pkcs11.open_pkcs11_session(self.module, token_criteria=criteria, user_pin=self.pin)
        return pkcs11.PKCS11Signer(
            session, key_label=self.key_label, cert_label=self.key_label, use_raw_mechanism=self.raw_mechanism
        )


@dataclass(frozen=True)
class Pending:
    """A document waiting for an external signature."""

    prepared_pdf: bytes  # the document with the signature's placeholder
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    signed_attrs: bytes  # DER of the signed attributes the signature must cover
    to_sign: bytes  # sha256 of signed_attrs: what the external signer signs
    certificate: bytes  # DER of the signer's certificate
    chain: tuple[bytes, ...] = ()


def _external(certificate: bytes, chain: tuple[bytes, ...], value: bytes | None) -> signers.ExternalSigner:
    cert = asn1_x509.Certificate.load(certificate)
    store = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
        [asn1_x509.Certificate.load(c) for c in chain]
    )
    mechanism = algos.SignedDigestAlgorithm({"algorithm": _mechanism(cert)})
    return signers.ExternalSigner(cert, store, signature_value=value or 256, signature_mechanism=mechanism)


def _mechanism(cert: asn1_x509.Certificate) -> str:
    return "sha256_ecdsa" if cert.public_key.algorithm == "ec" else "sha256_rsa"


def mechanism_of(certificate: bytes) -> str:
    """The signature algorithm an external signer uses with this certificate's key."""
    return _mechanism(asn1_x509.Certificate.load(certificate))


def is_certificate(der: bytes) -> bool:
    try:
        x509.load_der_x509_certificate(der)
    except ValueError:
        return False
    return True


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def pending_json(pending: Pending) -> dict[str, object]:
    """`pending` without its PDF, as JSON (kept between the two calls; the PDF is stored as bytes)."""
    return {
        "document_digest": _b64(pending.document_digest),
        "reserved_start": pending.reserved_start,
        "reserved_end": pending.reserved_end,
        "signed_attrs": _b64(pending.signed_attrs),
        "to_sign": _b64(pending.to_sign),
        "certificate": _b64(pending.certificate),
        "chain": [_b64(c) for c in pending.chain],
    }


def pending_of(prepared_pdf: bytes, data: Mapping[str, Any]) -> Pending:
    raw = base64.b64decode
    return Pending(
        prepared_pdf=prepared_pdf,
        document_digest=raw(data["document_digest"]),
        reserved_start=int(data["reserved_start"]),
        reserved_end=int(data["reserved_end"]),
        signed_attrs=raw(data["signed_attrs"]),
        to_sign=raw(data["to_sign"]),
        certificate=raw(data["certificate"]),
        chain=tuple(raw(c) for c in data["chain"]),
    )


async def prepare_external(
    pdf: bytes, field: str, name: str, certificate: bytes, chain: tuple[bytes, ...], trust: Trust
) -> Pending:
    """Reserve the signature in an incremental update and say what the external signer must sign."""
    signer = _external(certificate, chain, None)
    pdf_signer = signers.PdfSigner(metadata(field, name, trust), signer=signer)
    prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=16384
    )
    attrs = await signer.signed_attrs(prepared.document_digest, MD, use_pades=True)
    digest = cms.CMSAttributes(attrs).dump()
    assert isinstance(output, io.BytesIO)
    return Pending(
        prepared_pdf=output.getvalue(),
        document_digest=prepared.document_digest,
        reserved_start=prepared.reserved_region_start,
        reserved_end=prepared.reserved_region_end,
        signed_attrs=digest,
        to_sign=hashlib.sha256(digest).digest(),
        certificate=certificate,
        chain=chain,
    )


async def complete_external(pending: Pending, signature: bytes, trust: Trust) -> bytes:
    """Put the external signature into the reserved place, then embed chain and revocation data."""
    signer = _external(pending.certificate, pending.chain, signature)
    container = await signer.async_sign_prescribed_attributes(
        MD, cms.CMSAttributes.load(pending.signed_attrs)
    )
    prepared = PreparedByteRangeDigest(
        document_digest=pending.document_digest,
        reserved_region_start=pending.reserved_start,
        reserved_region_end=pending.reserved_end,
    )
    output = io.BytesIO(pending.prepared_pdf)
    await PdfTBSDocument.async_finish_signing(output, prepared, container)
    # B-LT: the signer's chain and revocation data go to the document security store afterwards.
    reader = PdfFileReader(output, strict=False)
    signature_field = reader.embedded_signatures[-1]
    finished = await async_add_validation_info(signature_field, trust.context(), in_place=False)
    return bytes(finished.getvalue())


PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.+?-----END \1-----", re.DOTALL)


def trust_bundle(pem: bytes) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """(certificates, CRLs) as DER from one PEM file holding the trusted roots of a configured key's
    CA and its current revocation lists ("CERTIFICATE" and "X509 CRL" blocks, in any order)."""
    roots: list[bytes] = []
    crls: list[bytes] = []
    for block in PEM_BLOCK.finditer(pem):
        kind = block.group(1)
        if kind == b"CERTIFICATE":
            cert = x509.load_pem_x509_certificate(block.group(0))
            roots.append(cert.public_bytes(serialization.Encoding.DER))
        elif kind == b"X509 CRL":
            crl = x509.load_pem_x509_crl(block.group(0))
            crls.append(crl.public_bytes(serialization.Encoding.DER))
    if not roots:
        raise ValueError("the trust file holds no CERTIFICATE block")
    return tuple(roots), tuple(crls)
