"""identity's database tables (SQLAlchemy Core; the migration 0002 creates them by hand).

The audit trail (person_audit) and the login audit (login_attempts) are append-only: the migration
installs a trigger that refuses UPDATE and DELETE on them.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    FetchedValue,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ejournal_platform.db import new_metadata
from ejournal_platform.outbox import define_inbox, define_outbox

metadata = new_metadata()
outbox = define_outbox(metadata)
inbox = define_inbox(metadata)

NOW = func.now()


def derived_university_id(*, nullable: bool = False) -> Column[str]:
    """The person's university, copied by the database from the parent row on insert (migration 0006,
    ejournal_platform.tenancy): INSERTs leave it out."""
    return Column("university_id", Text, nullable=nullable, server_default=FetchedValue())


people = Table(
    "people",
    metadata,
    Column("id", Uuid, primary_key=True),
    # One personal account per person (KZ-11): the login is unique and belongs to this row only.
    Column("login", Text, nullable=False, unique=True),
    Column("last_name", Text, nullable=False),
    Column("first_name", Text, nullable=False),
    Column("patronymic", Text, nullable=False, server_default=""),
    Column("language", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("university_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False, server_default=""),
    Column("department_id", Text, nullable=False, server_default=""),
    Column("group_id", Text, nullable=False, server_default=""),
    Column("email", Text, nullable=False, server_default=""),
    # National id (IIN/PIN) when known: the same person cannot get a second account.
    Column("personal_number", Text, unique=True),
    Column("profile_code", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("password_hash", Text),
    Column("password_set_at", DateTime(timezone=True)),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Column("from_login_request", Boolean, nullable=False, server_default="false"),
    Column("create_request_id", Text, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("created_by", Text, nullable=False),
)

person_audit = Table(
    "person_audit",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("actor_id", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("details", JSONB, nullable=False),
    Column("request_id", Text),
    derived_university_id(),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("login", Text, nullable=False),
    Column("person_id", Uuid, index=True),
    Column("client_address", Text, nullable=False),
    Column("user_agent", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    # Failed attempts at logins that name nobody lock out like known ones (auth.login).
    Index("ix_login_attempts_unknown_login", "login", "at", postgresql_where=text("person_id IS NULL")),
    derived_university_id(nullable=True),
)

role_assignments = Table(
    "role_assignments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("role", Text, nullable=False),
    Column("scope_type", Text, nullable=False),
    Column("scope_id", Text, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),
    Column("granted_by", Text, nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", Text),
    Column("revoke_reason", Text),
    derived_university_id(),
)

# A login session = one refresh-token family; revoking it stops every refresh token of the family.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("client_address", Text, nullable=False),
    Column("user_agent", Text, nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoke_reason", Text),
    # Every service asks each second which sessions ended since a moment (token revocation).
    Index("ix_sessions_revoked_at", "revoked_at", postgresql_where=text("revoked_at IS NOT NULL")),
    derived_university_id(),
)

# Refresh tokens are stored as SHA-256 digests only; `used_at` set = spent (a second use is reuse).
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("digest", LargeBinary, primary_key=True),
    Column("session_id", Uuid, ForeignKey("sessions.id"), nullable=False, index=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    derived_university_id(),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", Text, primary_key=True),
    Column("private_pem", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    # The newest non-retired key signs; retired keys stay published until their tokens expired.
    Column("retired_at", DateTime(timezone=True)),
)

login_requests = Table(
    "login_requests",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("request_id", Text, unique=True),
    Column("department_id", Text, nullable=False, index=True),
    Column("faculty_id", Text, nullable=False),
    Column("university_id", Text, nullable=False),
    Column("last_name", Text, nullable=False),
    Column("first_name", Text, nullable=False),
    Column("patronymic", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("position", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("outgoing_number", Text, nullable=False),
    Column("profile_code", Text, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("status", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_reason", Text, nullable=False, server_default=""),
    Column("person_id", Uuid, ForeignKey("people.id")),
    Column("login", Text),
)

substitutions = Table(
    "substitutions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("request_id", Text, unique=True),
    Column("absent_teacher_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("substitute_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("department_id", Text, nullable=False, index=True),
    # Where the absent teacher belongs, so that the registrar and the dean see the substitution.
    Column("university_id", Text, nullable=False),
    Column("faculty_id", Text, nullable=False),
    Column("journal_ids", ARRAY(Text), nullable=False),
    Column("course_unit_ids", ARRAY(Text), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("protocol_number", Text, nullable=False),
    Column("protocol_date", Date),
    Column("reason", Text, nullable=False),
    Column("appointed_by", Text, nullable=False),
    Column("appointed_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    Column("ended_on", Date),
    Column("ended_by", Text),
    Column("end_reason", Text, nullable=False, server_default=""),
)

Index("ix_role_assignments_scope", role_assignments.c.scope_type, role_assignments.c.scope_id)

# Contacts and notice preferences (issue 17); the e-mail stays on `people`. The migration 0003
# creates both tables by hand.
contacts = Table(
    "contacts",
    metadata,
    Column("person_id", Uuid, ForeignKey("people.id"), primary_key=True),
    Column("phone", Text, nullable=False, server_default=""),
    Column("telegram_chat_id", Text, nullable=False, server_default=""),
    Column("language", Text, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("quiet_from_hour", Integer, nullable=False, server_default="0"),
    Column("quiet_to_hour", Integer, nullable=False, server_default="0"),
    Column("digest_hour", Integer, nullable=False, server_default="18"),
    Column("preferences", JSONB, nullable=False, server_default="{}"),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=NOW),
    derived_university_id(),
)

# One-time codes a person sends to the Telegram bot; only their SHA-256 digest is stored.
telegram_link_codes = Table(
    "telegram_link_codes",
    metadata,
    Column("digest", LargeBinary, primary_key=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    derived_university_id(),
)
