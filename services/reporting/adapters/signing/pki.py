"""The demo's public key infrastructure, made at first start: a demo CA (with its CRL, the revocation
data a PAdES-B-LT signature embeds), the university's document key, and one key per signer, each kept
as a PKCS#12 file under one folder so a restart signs with the same keys. Every private key on disk
is encrypted with a passphrase the caller brings from its settings (the environment or a Secret,
`EJOURNAL_REPORTING_SIGNING_KEY_PASSPHRASE`), never one written in the code.

Production does not use this: a university's document key lives in an HSM (PKCS#11) and people sign
with their own certificates (PKCS#12, a token, or a national PKI through the external signer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

CRL_URL = "http://ejournal.invalid/demo-ca.crl"  # never fetched: the CRL is supplied and embedded
YEARS = 5


def _fit(text: str, limit: int = 64) -> str:
    """X.509 caps a name attribute at 64 (UTF-8 bytes here): long Kazakh names are cut, not refused."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(common)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
        ]
    )


@dataclass(frozen=True)
class DemoPki:
    folder: Path
    passphrase: bytes
    ca_cert: x509.Certificate
    ca_key: ec.EllipticCurvePrivateKey
    crl: x509.CertificateRevocationList

    @classmethod
    def open(cls, folder: Path, passphrase: bytes, organisation: str = "ejournal demo university") -> DemoPki:
        """Load the demo CA from `folder`, creating it (and its CRL) the first time."""
        if not passphrase:
            raise ValueError("a passphrase is required: signing keys are never stored plain")
        folder.mkdir(parents=True, exist_ok=True)
        cert_path, key_path = folder / "ca.pem", folder / "ca.key"
        if cert_path.exists() and key_path.exists():
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
        else:
            key = ec.generate_private_key(ec.SECP256R1())
            now = dt.datetime.now(dt.UTC)
            name = _name("ejournal demo CA", organisation)
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=365 * YEARS))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(_usage(ca=True), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256())
            )
            encryption = serialization.BestAvailableEncryption(passphrase)
            key_path.write_bytes(
                key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
            )
            key_path.chmod(0o600)
            cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(folder, passphrase, cert, key, _crl(cert, key))

    def signer_p12(self, key_id: str, common_name: str) -> Path:
        """The PKCS#12 file of one signer (the university's document key, or a person), made once."""
        path = self.folder / f"{key_id}.p12"
        if path.exists():
            return path
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self.certify(key.public_key(), common_name)
        blob = pkcs12.serialize_key_and_certificates(
            key_id.encode(), key, cert, [self.ca_cert], serialization.BestAvailableEncryption(self.passphrase)
        )
        path.write_bytes(blob)
        path.chmod(0o600)
        return path

    def certify(self, public_key: ec.EllipticCurvePublicKey, common_name: str) -> x509.Certificate:
        """A signer's certificate from this CA for a key held anywhere: a PKCS#12 file here, or a token
        (PKCS#11) whose private key never leaves it."""
        now = dt.datetime.now(dt.UTC)
        return (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, _organisation(self.ca_cert)))
            .issuer_name(self.ca_cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()), critical=False
            )
            .add_extension(
                x509.CRLDistributionPoints(
                    [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
                ),
                critical=False,
            )
            .sign(self.ca_key, hashes.SHA256())
        )

    @property
    def ca_pem(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM)

    @property
    def crl_der(self) -> bytes:
        return self.crl.public_bytes(serialization.Encoding.DER)


def _organisation(cert: x509.Certificate) -> str:
    found = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(found[0].value) if found else ""


def _usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _crl(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> x509.CertificateRevocationList:
    """A fresh, empty CRL of the demo CA (nothing is revoked in the demo), valid for a week."""
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(cert.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=7))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
