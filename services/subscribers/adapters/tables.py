"""The subscribers service's tables (SQLAlchemy Core; migration 0002 creates them by hand).

`subscribers` are the registered outside systems; `anchors` is what it knows of the university's
structure (unit -> parent, journal -> group) to tell which university an event belongs to; `parked`
holds events whose university is not known yet, in arrival order; `deliveries` one row per event and
subscriber (unique: one delivery per event id) with its state.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    FetchedValue,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

from ejournal_platform.db import new_metadata
from ejournal_platform.outbox import define_inbox, define_outbox

metadata = new_metadata()
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)

NOW = func.now()

subscribers = Table(
    "subscribers",
    metadata,
    Column("subscriber_id", Uuid, primary_key=True),
    Column("university_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),  # webhook | nats
    Column("url", Text, nullable=False),
    Column("event_types", ARRAY(Text), nullable=False),
    Column("content_type", Text, nullable=False),
    # The Standard Webhooks secret: needed in clear to sign (HMAC), so the database is the secret store.
    # For a NATS subscriber: its user NKey seed (a retried registration answers the same credentials).
    Column("secret", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("idempotency_key", Text, unique=True),
    # NATS subscribers: the user's public NKey and the durable consumer made for it on its university's
    # export stream (the user may pull only from that consumer).
    Column("nats_user", Text),
    Column("nats_consumer", Text),
)

anchors = Table(
    "anchors",
    metadata,
    Column("anchor_id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),  # university, faculty, department, specialty, group, journal
    Column("parent_id", Uuid),
)

parked = Table(
    "parked",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("event_time", DateTime(timezone=True), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("parked_at", DateTime(timezone=True), nullable=False, server_default=NOW),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("subscriber_id", Uuid, ForeignKey("subscribers.subscriber_id"), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("subject", Text, nullable=False),  # CloudEvents subject: the order key (journal/<id>)
    Column("event_time", DateTime(timezone=True), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("status", Text, nullable=False, server_default="pending"),  # pending | delivered | dead
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("delivered_at", DateTime(timezone=True)),
    Column("dead_at", DateTime(timezone=True)),
    # The subscriber's university, copied by the database on insert (migration 0005; issue 18).
    Column("university_id", Text, nullable=False, server_default=FetchedValue()),
    UniqueConstraint("subscriber_id", "event_id", name="uq_deliveries_subscriber_event"),
)

# Events routed to a university, waiting to be republished on the export NATS
# (`export.<university>.<type>`, stream EXPORT_<university>); deleted once the stream acknowledged them.
exports = Table(
    "exports",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("university_id", Text, nullable=False),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("event_time", DateTime(timezone=True), nullable=False),
    Column("payload", LargeBinary, nullable=False),
)

# The dispatcher reads the waiting deliveries of each subscriber and subject in order.
Index(
    "ix_deliveries_waiting",
    deliveries.c.subscriber_id,
    deliveries.c.subject,
    deliveries.c.seq,
    postgresql_where=deliveries.c.status == "pending",
)
Index(
    "ix_deliveries_dead",
    deliveries.c.subscriber_id,
    deliveries.c.dead_at,
    postgresql_where=deliveries.c.status == "dead",
)
# Pruning finds delivered rows older than the retention.
Index(
    "ix_deliveries_delivered",
    deliveries.c.delivered_at,
    postgresql_where=deliveries.c.status == "delivered",
)
