"""Typed settings from environment variables, with defaults that fit the local stack.

Each service subclasses ServiceSettings with its own env prefix (EJOURNAL_IDENTITY_...), and the
values every service shares (NATS, log format) come from the plain EJOURNAL_ prefix.
"""

from __future__ import annotations

import sys
from typing import Literal, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["auto", "json", "console"]


class ServiceSettings(BaseSettings):
    """What every service needs; subclasses set env_prefix and may add fields."""

    model_config = SettingsConfigDict(env_prefix="EJOURNAL_", extra="ignore", frozen=True)

    service_name: str = "ejournal"
    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(default=50050, ge=0, le=65535)
    # HTTP /readyz and /healthz for a cluster's probes (probes.py); unset: none; 0: any free port.
    health_port: int | None = Field(default=None, ge=0, le=65535)
    database_url: str = "postgresql+psycopg://ejournal:ejournal@127.0.0.1:54329/ejournal"
    nats_url: str = "nats://127.0.0.1:4222"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: LogFormat = "auto"
    # Outbox relay: how long it sleeps when there is nothing to publish, and how much it takes at once.
    outbox_idle_seconds: float = Field(default=0.05, gt=0, le=10)
    outbox_batch: int = Field(default=500, ge=1, le=10_000)
    # Keys of identity's token signer (JWKS) are fetched from here by every service.
    identity_address: str = "127.0.0.1:50051"
    # This service's client secret for identity's IssueServiceToken (acting on nobody's behalf).
    service_secret: str = Field(default="", repr=False)
    # Traces go to this OTLP/HTTP collector (http://collector:4318); empty: none are recorded.
    otlp_endpoint: str = ""
    # The probe port's /metrics answers only "Authorization: Bearer <this>"; empty: not served.
    metrics_token: str = Field(default="", repr=False)


S = TypeVar("S", bound=BaseSettings)


class SettingsError(SystemExit):
    """Raised at start when an environment variable holds a value the service cannot use."""


def load_settings(cls: type[S]) -> S:
    """Read settings or stop with a message naming each offending environment variable."""
    try:
        return cls()
    except ValidationError as error:
        prefix = str(cls.model_config.get("env_prefix", ""))
        lines = []
        for problem in error.errors():
            field = ".".join(str(part) for part in problem["loc"])
            lines.append(f"  {prefix}{field.upper()}: {problem['msg']} (got {problem.get('input')!r})")
        message = f"invalid configuration for {cls.__name__}:\n" + "\n".join(lines)
        print(message, file=sys.stderr)
        raise SettingsError(message) from None
