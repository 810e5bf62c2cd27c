"""The append-only audit of changes, and the record of every import."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, false, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, created_at, derived_university_id


class AuditEntry(Base):
    """Who changed what, when, from what to what, and why. A trigger refuses UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at()
    actor_id: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[uuid.UUID]
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(Text)
    university_id: Mapped[uuid.UUID | None] = derived_university_id()


class ImportRecord(Base):
    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_kind_sha256", "kind", "sha256"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_changed: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    errors_truncated: Mapped[bool] = mapped_column(default=False)
    # What the import added, updated, removed (sync mode) and refused to remove - in a dry run, what a
    # real run would do (issue 22: GetImport returns them too).
    rows_added: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    rows_updated: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    rows_removed: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    removals_refused: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    sync: Mapped[bool] = mapped_column(default=False, server_default=false())
    language: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    finished_at: Mapped[datetime | None]
    university_id: Mapped[uuid.UUID | None] = derived_university_id()
