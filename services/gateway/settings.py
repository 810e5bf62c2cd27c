from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ejournal_platform.services import SERVICES


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_GATEWAY_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    identity_address: str = "127.0.0.1:50051"
    curriculum_address: str = "127.0.0.1:50052"
    gradebook_address: str = "127.0.0.1:50053"
    reporting_address: str = "127.0.0.1:50054"
    workflow_address: str = "127.0.0.1:50055"
    notifier_address: str = "127.0.0.1:50056"
    subscribers_address: str = "127.0.0.1:50057"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    # /metrics answers only "Authorization: Bearer <this>"; empty: /metrics is not served at all.
    metrics_token: str = Field(default="", repr=False)

    def service_addresses(self) -> dict[str, str]:
        return {service: str(getattr(self, f"{service}_address")) for service in SERVICES}
