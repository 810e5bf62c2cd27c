"""Advisory locks identity's use cases take (transaction-scoped: released at commit or rollback)."""

from __future__ import annotations

from sqlalchemy import text

FIRST_ADMINISTRATOR_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('ejournal.first_administrator'))")

# Signing keys are created, encrypted and rotated under one lock (its id: KEY_LOCK in keys.py).
KEY_ROTATION_LOCK = text("SELECT pg_advisory_xact_lock(:id)")
