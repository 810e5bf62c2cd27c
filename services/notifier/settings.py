from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_NOTIFIER_", extra="ignore", frozen=True)

    service_name: str = "notifier"
    grpc_port: int = 50056
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_notifier"
    # Links in notices point into the portal, which the gateway serves.
    portal_url: str = "http://127.0.0.1:8000"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    mail_from: str = "ejournal <noreply@ejournal.example>"
    # The Telegram Bot API: https://api.telegram.org/bot<token>/ in production; empty = no Telegram.
    telegram_api_url: str = ""
    # Seconds between retries of a failed delivery; after the last, it goes to the dead-letter stream.
    retry_delays: tuple[float, ...] = (30.0, 120.0, 600.0, 3600.0, 21600.0)
    # How often the dispatcher looks for due deliveries, and how many it takes at once.
    poll_seconds: float = Field(default=0.5, gt=0, le=60)
    dispatch_batch: int = Field(default=100, ge=1, le=10_000)
    # Absences in a row that make a curator and the parents be told.
    absence_streak: int = Field(default=3, ge=2, le=20)
