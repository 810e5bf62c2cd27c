"""Reporting's own operational records (not projections, never dropped by a rebuild): background
report jobs, archive records (KG-12) and backup records (KZ-16)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, Index, Integer, LargeBinary, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from services.reporting.adapters.read_models import _text, _university
from services.reporting.adapters.tables import metadata

report_job = Table(
    "report_job",
    metadata,
    Column("job_id", Text, primary_key=True),
    _text("kind"),
    Column("params", JSONB, nullable=False, server_default="{}"),
    _text("requested_by"),
    _text("status"),  # queued, running, done, failed
    Column("progress", Integer, nullable=False, server_default="0"),
    Column("total", Integer, nullable=False, server_default="0"),
    _text("error"),
    _text("content_type"),
    _text("filename"),
    Column("content", LargeBinary),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    _university(),
)

archive_record = Table(
    "archive_record",
    metadata,
    Column("archive_id", Text, primary_key=True),
    _text("kind"),  # journal or statement
    _text("item_id"),
    _text("profile_code"),
    Column("term_ends_on", Date),
    Column("kept_until", Date),
    Column("archived_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _text("bundle"),  # file name of the archive bundle it went into
    _text("bundle_sha256"),
    _text("item_sha256"),  # hash of the item's archived content
    _text("archived_by"),
    _university(),
)

backup_record = Table(
    "backup_record",
    metadata,
    Column("backup_id", Text, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    _text("location"),
    _text("status"),
    Column("manifest", JSONB, nullable=False, server_default="{}"),
    Column("size_bytes", BigInteger, nullable=False, server_default="0"),
)

# A statement's signed PDF: the first print signed by the university's document key, then one
# incremental signature per approval. Never rebuilt from events: the signatures are the record.
signed_statement = Table(
    "signed_statement",
    metadata,
    Column("statement_id", Text, primary_key=True),
    _text("number"),
    _text("content_hash"),
    Column("pdf", LargeBinary, nullable=False),
    Column("signers", JSONB, nullable=False, server_default="[]"),  # [{role, person_id, signed_at}]
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _university(),
)
Index("ix_signed_statement_number", signed_statement.c.number)

# A signature reserved in a statement's PDF for an external signer (PrepareExternalSignature), until
# its value comes back (CompleteExternalSignature): what pyHanko needs to finish it, and for whom.
external_signature = Table(
    "external_signature",
    metadata,
    Column("signing_id", Text, primary_key=True),
    _text("statement_id"),
    _text("role"),
    _text("person_id"),
    Column("prepared_pdf", LargeBinary, nullable=False),
    Column("pending", JSONB, nullable=False),  # the rest of keys.Pending: numbers and base64 DER
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    _university(),
)
Index("ix_external_signature_statement", external_signature.c.statement_id)
