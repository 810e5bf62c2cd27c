"""The notifier's database tables (SQLAlchemy Core; migration 0002 creates them by hand).

`notices` holds what each person was told (the portal lists it); `deliveries` one row per notice and
channel with its state; `delivery_attempts` every try and its outcome, append-only.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    FetchedValue,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Table,
    Text,
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


def university_id(*, derived: bool = False) -> Column[str]:
    """The row's university (issue 18, ejournal_platform.tenancy), NULL where it is not known (rows
    from before migration 0007; a journal whose structure the gradebook did not know yet).
    `derived`: copied by the database from the parent row on insert, so INSERTs leave it out."""
    if derived:
        return Column("university_id", Text, server_default=FetchedValue())
    return Column("university_id", Text)


notices = Table(
    "notices",
    metadata,
    # uuid5 of (event id, part, recipient): a replayed event cannot create a second notice.
    Column("id", Uuid, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("link", Text, nullable=False),
    Column("deadline", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("read_at", DateTime(timezone=True)),
    university_id(),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("notice_id", Uuid, ForeignKey("notices.id"), nullable=False),
    Column("recipient_id", Text, nullable=False),
    Column("channel", Text, nullable=False),  # email | telegram
    Column("address", Text, nullable=False),
    Column("mode", Text, nullable=False),  # immediate | daily_digest
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),  # pending | sent | dead
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("sent_at", DateTime(timezone=True)),
    university_id(derived=True),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("delivery_id", Uuid, ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("outcome", Text, nullable=False),  # sent | failed | dead_lettered
    Column("error", Text, nullable=False, server_default=""),
    university_id(derived=True),
)

# The lessons of a student's current run of absences in one journal (domain/absences.py).
absence_streaks = Table(
    "absence_streaks",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("student_id", Text, primary_key=True),
    Column("lessons", ARRAY(Text), nullable=False),
    university_id(derived=True),
)

# Each journal's group (the curator's scope) and profile (whose scale says which marks mean absent),
# from the gradebook's JournalOpened: a mark event carries neither. And its names, by which notices
# call it (empty for a journal opened before migration 0006: shown by its id).
journals = Table(
    "journals",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("group_id", Text, nullable=False),
    Column("profile_code", Text, nullable=False),
    Column("discipline", Text, nullable=False, server_default=""),
    Column("group_name", Text, nullable=False, server_default=""),
    Column("lesson_type", Text, nullable=False, server_default=""),
    university_id(),
)

Index("ix_notices_recipient", notices.c.recipient_id, notices.c.created_at)
Index("ix_deliveries_due", deliveries.c.due_at, postgresql_where=deliveries.c.status == "pending")
Index("uq_deliveries_notice_channel", deliveries.c.notice_id, deliveries.c.channel, unique=True)
