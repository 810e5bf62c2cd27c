from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings


class CurriculumSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_CURRICULUM_", extra="ignore", frozen=True)

    service_name: str = "curriculum"
    grpc_port: int = 50052
