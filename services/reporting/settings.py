from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_REPORTING_", extra="ignore", frozen=True)

    service_name: str = "reporting"
    grpc_port: int = 50054
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_reporting"
