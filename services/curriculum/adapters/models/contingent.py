"""The contingent: movements by order (append-only history) and the placements they produce."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, created_at, derived_university_id


class Movement(Base):
    """One order's effect on one student: enrolled, transferred or expelled. Never updated."""

    __tablename__ = "movements"
    __table_args__ = (
        # The same order applied twice to the same student is the same movement (idempotent retries).
        UniqueConstraint("student_id", "kind", "order_number", "order_date", name="uq_movements_order"),
        Index("ix_movements_student_id", "student_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    student_id: Mapped[uuid.UUID]
    student_name: Mapped[str] = mapped_column(Text, default="")
    from_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id"))
    from_subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id"))
    subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    order_number: Mapped[str] = mapped_column(Text)
    order_date: Mapped[date]
    effective_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = created_at()
    university_id: Mapped[uuid.UUID] = derived_university_id()


class Placement(Base):
    """A student in a group (and subgroup) over [valid_from, valid_until); valid_until NULL = still there."""

    __tablename__ = "placements"
    __table_args__ = (
        Index("ix_placements_group_id_valid_from", "group_id", "valid_from"),
        Index("ix_placements_student_id", "student_id"),
        Index(
            "uq_placements_open",
            "student_id",
            "group_id",
            unique=True,
            postgresql_where=text("valid_until IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    student_id: Mapped[uuid.UUID]
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"))
    subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("movements.id"))
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("movements.id"))
    university_id: Mapped[uuid.UUID] = derived_university_id()
