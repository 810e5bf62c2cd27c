from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings, deployment


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_IDENTITY_", extra="ignore", frozen=True)

    service_name: str = "identity"
    # Identity verifies tokens with its own keys; it never calls itself.
    identity_address: str = ""
    grpc_port: int = 50051
    access_token_minutes: int = Field(default=5, ge=1, le=60)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # argon2id cost; see services/identity/adapters/passwords.py for the measurement behind them.
    argon2_time_cost: int = Field(default=2, ge=1, le=10)
    argon2_memory_kib: int = Field(default=32 * 1024, ge=8 * 1024, le=1024 * 1024)
    argon2_parallelism: int = Field(default=1, ge=1, le=8)
    # Encrypts the token signing keys stored in the database (a Secret in a cluster; the launcher keeps
    # one in its home folder). Without it identity does not start: keys are never stored plain.
    signing_key_passphrase: SecretStr = deployment(SecretStr(""))
    # Client credentials of service identities, as JSON: {"workflow": "<secret>", ...}.
    service_secrets: dict[str, str] = Field(default_factory=dict, json_schema_extra={"deployment": True})
