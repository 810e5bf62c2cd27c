"""The declarative base of curriculum's typed models; its metadata is the service's whole schema."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, cast

from sqlalchemy import DateTime, FetchedValue, MetaData, Table, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ejournal_platform.db import new_metadata

metadata: MetaData = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map: ClassVar[dict[Any, Any]] = {uuid.UUID: Uuid(), datetime: DateTime(timezone=True)}


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True)


def created_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now())


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for bulk statements (imports)."""
    return cast(Table, model.__table__)


def derived_university_id(*, index: bool = False) -> Mapped[Any]:
    """The row's university, copied by the database from its parent on insert (migration 0007,
    ejournal_platform.tenancy): INSERTs leave it out. Annotate Mapped[uuid.UUID] (or | None)."""
    return mapped_column(Uuid, server_default=FetchedValue(), index=index)
