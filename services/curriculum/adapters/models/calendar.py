"""Academic years, terms and control events with their deadlines (the academic calendar, KZ-06)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, derived_university_id


class AcademicYear(Base):
    __tablename__ = "academic_years"
    __table_args__ = (UniqueConstraint("university_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    university_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("universities.id"))
    code: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # KZ-03: when the working curriculum may change without the registrar.
    load_from: Mapped[date]
    load_until: Mapped[date]
    correction_from: Mapped[date]
    correction_until: Mapped[date]


class Term(Base):
    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("academic_year_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    academic_year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academic_years.id"))
    number: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    revision: Mapped[int] = mapped_column(default=1)
    university_id: Mapped[uuid.UUID] = derived_university_id()


class ControlEvent(Base):
    __tablename__ = "control_events"
    __table_args__ = (
        UniqueConstraint(
            "course_unit_id", "group_id", "subgroup_id", "kind", "date",
            name="uq_control_events_natural_key", postgresql_nulls_not_distinct=True,
        ),
        Index("ix_control_events_group_id", "group_id"),
        Index("ix_control_events_term_id", "term_id"),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    course_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_units.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"))
    subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("terms.id"))
    date: Mapped[date]
    grade_entry_deadline: Mapped[datetime]
    closing_deadline: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)
    university_id: Mapped[uuid.UUID] = derived_university_id()
