from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_IDENTITY_", extra="ignore", frozen=True)

    service_name: str = "identity"
    grpc_port: int = 50051
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_identity"
