from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings, deployment


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_REPORTING_", extra="ignore", frozen=True)

    service_name: str = "reporting"
    grpc_port: int = 50054
    # The gradebook, asked for a statement's lines (GetStatement), with reporting's own service token.
    gradebook_address: str
    service_secret: str = deployment("", repr=False)
    # Where backups (KZ-16) and archive bundles (KG-12) are written: a volume on a cluster.
    backup_dir: Path = deployment(Path(".ejournal/backups"))
    archive_dir: Path = deployment(Path(".ejournal/archive"))
    # The portal's public address; a statement's QR code opens <public_url>/verify/<number>.
    public_url: str
    # The demo PKI (a CA and one PKCS#12 key per signer, made at first start) and a timestamp
    # authority's URL, when the university has one (PAdES signatures then carry a timestamp).
    signing_dir: Path = deployment(Path(".ejournal/signing"))
    # Encrypts every private key under signing_dir (a Secret in a cluster): keys are never stored plain.
    signing_key_passphrase: SecretStr = deployment(SecretStr(""))
    university_name: str = deployment("ejournal demo university")
    tsa_url: str = ""
    # A university document key of the deployment's own (a PKCS#12 file issued by a real CA) instead of
    # the demo's, with its passphrase and a PEM file of that CA's roots and CRLs (trusted besides the
    # demo CA). Unset: the university signs with the demo key made under signing_dir.
    university_key_file: Path | None = None
    university_key_passphrase: SecretStr = SecretStr("")
    trust_file: Path | None = None
    # Events applied per read-model transaction.
    consumer_batch: int = Field(default=500, ge=1, le=10_000)
