from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings, deployment
from services.workflow.search_attributes import NAMESPACE, TASK_QUEUE

LOOPBACK = ("127.0.0.1", "::1", "localhost")


class WorkflowSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_WORKFLOW_", extra="ignore", frozen=True)

    service_name: str = "workflow"
    grpc_port: int = 50055
    service_secret: str = deployment("", repr=False)
    temporal_address: str
    temporal_namespace: str = NAMESPACE
    # Temporal Cloud or a Temporal behind mutual TLS: an API key, or a client certificate and key
    # (PEM files); a CA file when the server's certificate is not from a public authority.
    temporal_tls: bool = False
    temporal_api_key: str = Field(default="", repr=False)
    temporal_tls_cert_file: Path | None = None
    temporal_tls_key_file: Path | None = None
    temporal_tls_ca_file: Path | None = None
    task_queue: str = TASK_QUEUE
    gradebook_address: str
    # The university's time zone: the daily and weekly checks run after its midnight.
    time_zone: str = deployment("Asia/Almaty")
    utc_offset_hours: int = deployment(5)
    activity_timeout_seconds: float = 30.0
    # The monthly backup (KZ-16): the operator tool that takes one, where its folders are kept, and
    # the tool's own settings file (deploy/ops/settings.py: every database it dumps). The file is
    # handed to the tool alone, so this process holds no other service's database URL.
    backup_command: str = "python -m deploy.ops.backup"
    backup_dir: Path = deployment(Path(".ejournal/backups"))
    backup_env_file: Path | None = deployment(None)
    # The Temporal SDK's own metrics (temporal_*: polls, task latencies, slots): its runtime serves
    # them at http://<this>/metrics (host:port) with no token, so only on loopback, and the service's
    # own /metrics (probe port, behind the metrics token) appends them; empty: not served.
    temporal_metrics_address: str = ""

    @field_validator("temporal_metrics_address")
    @classmethod
    def _sdk_metrics_on_loopback(cls, address: str) -> str:
        host = address.rpartition(":")[0].strip("[]")
        if address and host not in LOOPBACK:
            raise ValueError(
                "EJOURNAL_WORKFLOW_TEMPORAL_METRICS_ADDRESS must be on loopback (127.0.0.1:<port>): the "
                "SDK serves its metrics without a token; the service's /metrics carries them"
            )
        return address
