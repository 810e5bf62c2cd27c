"""Rows as the plain values of domain/records.py: a use case reads ORM rows through the unit of work and
returns these, so nothing mapped leaves the transaction (the helpers are the platform's)."""

from __future__ import annotations

from ejournal_platform.records import record, records

__all__ = ["record", "records"]
