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
    # Delivered webhook rows are kept this many days (status counts, duplicate guard), then pruned.
    delivered_keep_days: float = Field(default=7.0, gt=0)

    # NATS for outside systems (docs/subscribers.md "NATS"): a separate nats-server in operator mode
    # that trusts the export account; unset: NATS subscribers are not offered (registration is refused).
    export_nats_url: str | None = None
    # The address given to integrators in their credentials' answer; empty: export_nats_url.
    export_public_url: str = ""
    # The export account's public NKey (A...), and the seed of one of its signing keys (SA...), with
    # which this service signs its own user and one user per outside system.
    export_account: str = ""
    export_signing_seed: str = Field(default="", repr=False)
    # Each university's export stream EXPORT_<university>: copies, and how much and how long it keeps
    # (how far back a new subscriber can replay); -1 bytes / 0 days: everything, for ever.
    export_replicas: int = Field(default=1, ge=1, le=5)
    export_max_bytes: int = Field(default=-1, ge=-1)
    export_max_age_days: float = Field(default=0, ge=0)
    # Per university: at most this many NATS subscribers (durable consumers on its stream).
    export_max_consumers: int = Field(default=50, ge=1)
    # Per subscriber: its credentials expire after this many days (register again for new ones), and
    # what one connection may hold.
    export_credentials_days: float = Field(default=365.0, gt=0)
    export_max_subscriptions: int = Field(default=100, ge=1)
    export_max_payload: int = Field(default=1024 * 1024, ge=1024)
    # The export stream carries each event as canonical JSON (default) or as protobuf.
    export_content_type: str = "application/json"
