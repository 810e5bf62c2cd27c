"""A reporting server's keys and trust for statements: the demo's CA and PKCS#12 keys, or a deployment's
own university key with that CA's roots and CRLs. Built once from the settings at start, held in Deps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from services.reporting.adapters.signing import pades
from services.reporting.adapters.signing.keys import KeySource, Pkcs12Key
from services.reporting.adapters.signing.pki import DemoPki

UNIVERSITY = "university"


@dataclass(frozen=True)
class Signing:
    """Keys and trust. The demo's: a CA and PKCS#12 keys made at first start under `folder`.
    A deployment may plug its own university document key (`university_key`: a PKCS#12 file issued
    by a real CA, or a PKCS#11 token) with that CA's roots and CRLs (`roots`, `crls`) trusted
    besides the demo CA; people with their own certificates sign through the external signer."""

    pki: DemoPki
    university_name: str = "ejournal"
    tsa_url: str = ""
    university_key: KeySource | None = None
    roots: tuple[bytes, ...] = ()  # DER, trusted besides the demo CA
    crls: tuple[bytes, ...] = ()  # DER, embedded with signatures whose chain they cover

    @classmethod
    def demo(
        cls,
        folder: Path,
        passphrase: bytes,
        university_name: str = "ejournal demo university",
        tsa_url: str = "",
    ) -> Signing:
        return cls(DemoPki.open(folder, passphrase, university_name), university_name, tsa_url)

    @property
    def trust(self) -> pades.Trust:
        ca = self.pki.ca_cert.public_bytes(serialization.Encoding.DER)
        return pades.Trust((ca, *self.roots), (self.pki.crl_der, *self.crls), self.tsa_url)

    def key(self, key_id: str, name: str) -> KeySource:
        return Pkcs12Key(self.pki.signer_p12(key_id, name), self.pki.passphrase)

    def university(self) -> KeySource:
        """The university's document key: the configured one, else the demo's."""
        return self.university_key or self.key(UNIVERSITY, self.university_name)
