from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings


class GradebookSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_GRADEBOOK_", extra="ignore", frozen=True)

    service_name: str = "gradebook"
    grpc_port: int = 50053
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_gradebook"
