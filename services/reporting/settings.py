from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_REPORTING_", extra="ignore", frozen=True)

    service_name: str = "reporting"
    grpc_port: int = 50054
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_reporting"
    # The gradebook, asked for a statement's lines (GetStatement), with reporting's own service token.
    gradebook_address: str = "127.0.0.1:50053"
    # Where backups (KZ-16) and archive bundles (KG-12) are written.
    backup_dir: Path = Path(".ejournal/backups")
    archive_dir: Path = Path(".ejournal/archive")
    # The portal's public address; a statement's QR code opens <public_url>/verify/<number>.
    public_url: str = "http://127.0.0.1:8000"
    # The demo PKI (a CA and one PKCS#12 key per signer, made at first start) and a timestamp
    # authority's URL, when the university has one (PAdES signatures then carry a timestamp).
    signing_dir: Path = Path(".ejournal/signing")
    # Encrypts every private key under signing_dir (a Secret in a cluster): keys are never stored plain.
    signing_key_passphrase: SecretStr = SecretStr("")
    university_name: str = "ejournal demo university"
    tsa_url: str = ""
    # Events applied per read-model transaction.
    consumer_batch: int = Field(default=500, ge=1, le=10_000)
