from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings, deployment


class GradebookSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_GRADEBOOK_", extra="ignore", frozen=True)

    service_name: str = "gradebook"
    grpc_port: int = 50053
    # Classroom QR secrets (KG-09) come from curriculum, called with gradebook's own service token.
    curriculum_address: str
    service_secret: str = deployment("", repr=False)
    # How often expired reopen grants are ended by the gradebook itself (a backstop for the workflow).
    grant_sweep_seconds: float = 30.0
