from pydantic import Field
from pydantic_settings import SettingsConfigDict

from ejournal_platform.settings import ServiceSettings, deployment


class SubscribersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EJOURNAL_SUBSCRIBERS_", extra="ignore", frozen=True)

    service_name: str = "subscribers"
    grpc_port: int = 50057
    # Seconds before each retry of a delivery the receiver did not accept (~11 h in all); after the
    # last one the delivery is parked in the subscriber's dead-letter list.
    retry_delays: tuple[float, ...] = (5.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 10800.0, 21600.0)
    # How long a receiver may take to answer one delivery.
    delivery_timeout: float = Field(default=10.0, gt=0, le=120)
    # Deliveries in flight at once (different subscribers or subjects; one subject is always sequential).
    concurrency: int = Field(default=32, ge=1, le=1000)
    # Per subject, how many waiting deliveries one round sends in order.
    chain: int = Field(default=50, ge=1, le=1000)
    poll_seconds: float = Field(default=0.5, gt=0, le=60)
    # Prometheus metrics over HTTP on this port (/metrics); unset: none; 0: any free port.
    metrics_port: int | None = deployment(None, ge=0, le=65535)
    # Events whose university is not known yet wait this long for curriculum's structure, then are dropped.
    park_hours: float = Field(default=72.0, gt=0)
    # Allow http:// webhook URLs to loopback addresses (tests, a receiver on the same host).
    allow_loopback_http: bool = deployment(True)  # a cluster sets false: receivers are outside
