from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
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
    # How the relay's connection is secured: "none" (only the local mail server on loopback),
    # "starttls" (port 587) or "tls" (implicit TLS, port 465). The certificate is verified against
    # `smtp_ca_file` (PEM), or the system's CAs when it is empty.
    smtp_security: Literal["none", "starttls", "tls"] = deployment("none")
    smtp_ca_file: str = ""
    # An authenticated relay's account (AUTH after TLS); an empty username sends without AUTH.
    smtp_username: str = deployment("")
    smtp_password: str = deployment("", repr=False)
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

    @model_validator(mode="after")
    def _credentials_travel_encrypted(self) -> NotifierSettings:
        """A password is never sent in the clear to another machine (AUTH PLAIN is only base64)."""
        loopback = self.smtp_host in ("127.0.0.1", "::1", "localhost")
        if self.smtp_username and self.smtp_security == "none" and not loopback:
            raise ValueError(
                "EJOURNAL_NOTIFIER_SMTP_SECURITY must be starttls or tls when a username is set "
                f"for the relay {self.smtp_host}: the password would travel in the clear"
            )
        return self
