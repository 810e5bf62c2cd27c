from pathlib import Path

from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings
from services.workflow.search_attributes import NAMESPACE, TASK_QUEUE


class WorkflowSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_WORKFLOW_", extra="ignore", frozen=True)

    service_name: str = "workflow"
    grpc_port: int = 50055
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:54329/ejournal_workflow"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = NAMESPACE
    task_queue: str = TASK_QUEUE
    gradebook_address: str = "127.0.0.1:50053"
    # The university's time zone: the daily and weekly checks run after its midnight.
    time_zone: str = "Asia/Almaty"
    utc_offset_hours: int = 5
    activity_timeout_seconds: float = 30.0
    # The monthly backup (KZ-16): the operator tool that takes one, and where its folders are kept.
    backup_command: str = "python -m deploy.ops.backup"
    backup_dir: Path = Path(".ejournal/backups")
    # The Temporal SDK's own metrics (temporal_*: polls, task latencies, slots) are served by its
    # runtime in Prometheus form at http://<this>/metrics (host:port); empty: not served.
    temporal_metrics_address: str = ""
