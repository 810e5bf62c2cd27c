"""The gradebook database's MetaData and the column shapes its table modules share."""

import uuid

from sqlalchemy import Column, DateTime, FetchedValue, Uuid

from ejournal_platform.db import new_metadata

metadata = new_metadata()

TS = DateTime(timezone=True)


def university_of_parent() -> Column[uuid.UUID]:
    """The row's university (issue 18's routing key), copied by the database from the row's journal,
    course unit or structure unit when an insert leaves it out (migration 0008, ejournal_platform.tenancy).
    Marks, attendance and history supply it in their own INSERTs (cells_sql.py); the ORM leaves it out."""
    return Column("university_id", Uuid, server_default=FetchedValue())
