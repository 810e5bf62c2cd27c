"""Prometheus metrics every service process exposes on its probe port's `/metrics` (probes.py).

The names are the ones the dashboards and alert rules in deploy/observability/ query; a test parses
those files and checks each name against this module, the gateway's and Temporal's. They live in the
process's default registry, so each service process has one set; Prometheus adds `job`/`instance`.

- gRPC: `ejournal_grpc_server_handled_total{method,code}` and `ejournal_grpc_server_handling_seconds`
  (the request-context interceptor, which already knows the method and the status code);
- outbox: `ejournal_outbox_backlog`, `ejournal_outbox_oldest_age_seconds` (the relay measures them);
- consumers: `ejournal_consumer_pending{consumer}` (not yet delivered), `ejournal_consumer_ack_pending`
  (delivered, not acknowledged), `ejournal_consumer_redeliveries_total{consumer}` (deliveries after
  the first), `ejournal_consumer_dead_letters_total{consumer}`;
- identity: `ejournal_logins_total{outcome}` and `ejournal_lockouts_total`;
- workflow: `ejournal_reopen_steps_overdue` (procedure steps past their deadline).
Temporal's SDK metrics (`temporal_*`) come from its own runtime (services/workflow/adapters/temporal.py).
"""

from __future__ import annotations

import time

from nats.js import JetStreamContext
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

GRPC_HANDLED = Counter(
    "ejournal_grpc_server_handled_total", "gRPC calls answered, by method and status code", ["method", "code"]
)
GRPC_SECONDS = Histogram(
    "ejournal_grpc_server_handling_seconds",
    "gRPC call duration",
    ["method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("ejournal_outbox_backlog", "Outbox rows not yet published to NATS")
OUTBOX_OLDEST_AGE = Gauge(
    "ejournal_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row (0 when none)"
)
CONSUMER_PENDING = Gauge(
    "ejournal_consumer_pending", "Events in the stream not yet delivered to the consumer", ["consumer"]
)
CONSUMER_ACK_PENDING = Gauge(
    "ejournal_consumer_ack_pending", "Events delivered to the consumer and not yet acknowledged", ["consumer"]
)
CONSUMER_REDELIVERIES = Counter(
    "ejournal_consumer_redeliveries_total", "Deliveries of an event after its first", ["consumer"]
)
CONSUMER_DEAD_LETTERS = Counter(
    "ejournal_consumer_dead_letters_total", "Events moved to the dead-letter stream", ["consumer"]
)
LOGINS = Counter("ejournal_logins_total", "Sign-in attempts by outcome", ["outcome"])
LOCKOUTS = Counter("ejournal_lockouts_total", "Sign-in failures that locked an account")
REOPEN_STEPS_OVERDUE = Gauge(
    "ejournal_reopen_steps_overdue", "Steps of open reopen procedures past their deadline"
)


def render() -> tuple[bytes, str]:
    """The exposition text of this process's metrics and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def observe_rpc(method: str, code: str, seconds: float) -> None:
    GRPC_HANDLED.labels(method, code).inc()
    GRPC_SECONDS.labels(method).observe(seconds)


def observe_delivery(consumer: str, num_delivered: int) -> None:
    if num_delivered > 1:
        CONSUMER_REDELIVERIES.labels(consumer).inc()


class ConsumerLag:
    """Asks JetStream for a consumer's pending counts at most every `every` seconds (a fetch loop
    runs far more often; the question is a round trip to the server)."""

    def __init__(self, js: JetStreamContext, stream: str, consumer: str, every: float = 5.0) -> None:
        self._js = js
        self._stream = stream
        self._consumer = consumer
        self._every = every
        self._next = 0.0

    async def observe(self) -> None:
        if time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self._every
        info = await self._js.consumer_info(self._stream, self._consumer)
        CONSUMER_PENDING.labels(self._consumer).set(info.num_pending or 0)
        CONSUMER_ACK_PENDING.labels(self._consumer).set(info.num_ack_pending or 0)
