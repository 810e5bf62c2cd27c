from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from ejournal_platform.services import SERVICES
from ejournal_platform.settings import deployment


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_GATEWAY_", extra="ignore", frozen=True)

    host: str = deployment("127.0.0.1")  # a pod listens on 0.0.0.0
    port: int = deployment(8080, ge=0, le=65535)
    # Every service it calls; no default, so a deployment that forgets one fails at start.
    identity_address: str
    curriculum_address: str
    gradebook_address: str
    reporting_address: str
    workflow_address: str
    notifier_address: str
    subscribers_address: str
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"
    # /metrics answers only "Authorization: Bearer <this>"; empty: /metrics is not served at all.
    metrics_token: str = deployment("", repr=False)
    # Traces go to this OTLP/HTTP collector (http://collector:4318); empty: none are recorded.
    otlp_endpoint: str = ""

    def service_addresses(self) -> dict[str, str]:
        return {service: str(getattr(self, f"{service}_address")) for service in SERVICES}
