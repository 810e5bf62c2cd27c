from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings, deployment


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_NOTIFIER_", extra="ignore", frozen=True)

    service_name: str = "notifier"
    service_secret: str = deployment("", repr=False)
    grpc_port: int = 50056
    # Links in notices point into the portal, which the gateway serves.
    portal_url: str
    smtp_host: str
    smtp_port: int = deployment(8025, ge=1, le=65535)
    mail_from: str = deployment("ejournal <noreply@ejournal.example>")
    # The Telegram Bot API: https://api.telegram.org/bot<token>/ in production; empty = no Telegram.
    telegram_api_url: str = ""
    # Seconds between retries of a failed delivery; after the last, it goes to the dead-letter stream.
    retry_delays: tuple[float, ...] = (30.0, 120.0, 600.0, 3600.0, 21600.0)
    # How often the dispatcher looks for due deliveries, and how many it takes at once.
    poll_seconds: float = Field(default=0.5, gt=0, le=60)
    dispatch_batch: int = Field(default=100, ge=1, le=10_000)
    # Absences in a row that make a curator and the parents be told.
    absence_streak: int = Field(default=3, ge=2, le=20)
