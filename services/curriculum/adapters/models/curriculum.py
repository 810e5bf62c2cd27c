"""The working curriculum: course units (with their parts) and their hours per lesson type."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, derived_university_id


class CourseUnit(Base):
    __tablename__ = "course_units"
    __table_args__ = (
        # Codes of parts are unique within the same year, specialty and course as well.
        UniqueConstraint(
            "academic_year_id", "specialty_id", "course_number", "code", name="uq_course_units_code"
        ),
        Index("ix_course_units_parent_id", "parent_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    academic_year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academic_years.id"))
    specialty_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("specialties.id"))
    course_number: Mapped[int]
    term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("terms.id"))
    kind: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("course_units.id"))
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    profile_code: Mapped[str] = mapped_column(Text)
    credits: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    has_own_exam: Mapped[bool]
    revision: Mapped[int] = mapped_column(default=1)
    removed_at: Mapped[datetime | None]
    university_id: Mapped[uuid.UUID] = derived_university_id()


class CourseUnitHours(Base):
    __tablename__ = "course_unit_hours"

    course_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_units.id"), primary_key=True)
    lesson_type: Mapped[str] = mapped_column(Text, primary_key=True)
    hours: Mapped[int]
    university_id: Mapped[uuid.UUID] = derived_university_id()
