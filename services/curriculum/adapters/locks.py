"""Advisory locks of curriculum's use cases (transaction-scoped: released at commit or rollback)."""

from __future__ import annotations

from sqlalchemy import text

IMPORT_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
