"""contacts and notice preferences; one-time Telegram link codes (issue 17)

Revision ID: 0003_contacts
Revises: 0002
Create Date: 2026-12-02

Frozen DDL, like 0002.
"""

from alembic import op

revision = "0003_contacts"
down_revision = "0002"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE contacts (
    person_id UUID NOT NULL REFERENCES people (id),
    phone TEXT DEFAULT '' NOT NULL,
    telegram_chat_id TEXT DEFAULT '' NOT NULL,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    quiet_from_hour INTEGER DEFAULT 0 NOT NULL,
    quiet_to_hour INTEGER DEFAULT 0 NOT NULL,
    digest_hour INTEGER DEFAULT 18 NOT NULL,
    preferences JSONB DEFAULT '{}' NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_contacts PRIMARY KEY (person_id)
);
CREATE TABLE telegram_link_codes (
    digest BYTEA NOT NULL,
    person_id UUID NOT NULL REFERENCES people (id),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_telegram_link_codes PRIMARY KEY (digest)
);
CREATE INDEX ix_telegram_link_codes_person_id ON telegram_link_codes (person_id);
"""


def upgrade() -> None:
    op.execute(DDL)


def downgrade() -> None:
    op.execute("DROP TABLE telegram_link_codes; DROP TABLE contacts;")
