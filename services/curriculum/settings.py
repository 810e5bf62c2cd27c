from ejournal_platform.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class CurriculumSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_CURRICULUM_", extra="ignore", frozen=True)

    service_name: str = "curriculum"
    grpc_port: int = 50052
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_curriculum"
