"""Typed settings from environment variables.

Each service subclasses ServiceSettings with its own env prefix (EJOURNAL_IDENTITY_...). Where another
part of the system lives (its database, NATS, identity, any other service) has no default: a cluster
that forgot one fails at start naming the variable, instead of quietly calling 127.0.0.1. The local
launcher and the cluster's Deployments set them under the same names. A field whose default suits a
developer's machine but never a cluster (the address to listen on, the health port, secrets, folders)
is marked `deployment()`; `deployment_variables(cls)` lists both kinds, and the manifest test checks
that every Deployment sets them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["auto", "json", "console"]


def deployment(default: Any, **kwargs: Any) -> Any:
    """A field with a default for a developer's machine that every deployment sets itself."""
    return Field(default, json_schema_extra={"deployment": True}, **kwargs)


def deployment_variables(cls: type[BaseSettings]) -> set[str]:
    """The environment variables a deployment of `cls` must set: the fields without a default, and
    the fields marked `deployment()`."""
    prefix = str(cls.model_config.get("env_prefix", "")).upper()
    return {
        prefix + name.upper()
        for name, field in cls.model_fields.items()
        if field.is_required()
        or (isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("deployment"))
    }


class ServiceSettings(BaseSettings):
    """What every service needs; subclasses set env_prefix and may add fields."""

    model_config = SettingsConfigDict(env_prefix="EJOURNAL_", extra="ignore", frozen=True)

    service_name: str = "ejournal"
    grpc_host: str = deployment("127.0.0.1")  # a pod listens on 0.0.0.0
    grpc_port: int = deployment(50050, ge=0, le=65535)
    # HTTP /readyz and /healthz for a cluster's probes (probes.py); unset: none; 0: any free port.
    health_port: int | None = deployment(None, ge=0, le=65535)
    # The service's own database, as its own least-privileged role (ejournal_platform.db_roles).
    database_url: str
    nats_url: str
    # The CA that signed the NATS server's certificate: set, the connection is TLS only and trusts this
    # CA alone (a cluster's NATS serves TLS, engines/nats-values*.yaml); unset, plain NATS (the local
    # stack's, on 127.0.0.1). A client certificate and key only for a server that verifies clients.
    nats_ca_file: Path | None = deployment(None)
    nats_cert_file: Path | None = None
    nats_key_file: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: LogFormat = "auto"
    # Outbox relay: how long it sleeps when there is nothing to publish, and how much it takes at once.
    outbox_idle_seconds: float = Field(default=0.05, gt=0, le=10)
    outbox_batch: int = Field(default=500, ge=1, le=10_000)
    # The service's event stream when it is created: copies across a JetStream cluster (3 on a large
    # cluster), and what it keeps (-1 bytes, 0 days: everything). An existing stream keeps what the
    # operator set; a difference is only logged (ejournal_platform.nats.ensure_stream).
    stream_replicas: int = deployment(1, ge=1, le=5)
    stream_max_bytes: int = Field(default=-1, ge=-1)
    stream_max_age_days: float = Field(default=0, ge=0)
    # Keys of identity's token signer (JWKS) are fetched from here by every service.
    identity_address: str
    # This service's client secret for identity's IssueServiceToken (acting on nobody's behalf);
    # a service that calls others on its own behalf marks it deployment() in its subclass.
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
