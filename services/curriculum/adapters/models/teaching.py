"""Teaching load (KG-02), calendar-thematic plans (KZ-17) and the schedule."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, created_at, derived_university_id


class TeachingLoad(Base):
    __tablename__ = "teaching_loads"
    __table_args__ = (
        UniqueConstraint(
            "teacher_id", "course_unit_id", "group_id", "subgroup_id", "lesson_type",
            name="uq_teaching_loads_natural_key", postgresql_nulls_not_distinct=True,
        ),
        Index("ix_teaching_loads_group_id", "group_id"),
        Index("ix_teaching_loads_course_unit_id", "course_unit_id"),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    teacher_id: Mapped[uuid.UUID]
    course_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_units.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"))
    subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    lesson_type: Mapped[str] = mapped_column(Text)
    term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("terms.id"))
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    faculty_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("faculties.id"))
    hours: Mapped[int] = mapped_column(default=0)
    revision: Mapped[int] = mapped_column(default=1)
    removed_at: Mapped[datetime | None]
    university_id: Mapped[uuid.UUID] = derived_university_id()


class PlanUploader(Base):
    """KZ-15: a person the department head appointed (by a department meeting) to upload plans."""

    __tablename__ = "plan_uploaders"

    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    protocol_number: Mapped[str] = mapped_column(Text)
    protocol_date: Mapped[date]
    appointed_by: Mapped[str] = mapped_column(Text)
    appointed_at: Mapped[datetime] = created_at()
    university_id: Mapped[uuid.UUID] = derived_university_id()


class LessonPlan(Base):
    __tablename__ = "lesson_plans"
    __table_args__ = (
        UniqueConstraint(
            "course_unit_id", "lesson_type", "group_id", "subgroup_id",
            name="uq_lesson_plans_natural_key", postgresql_nulls_not_distinct=True,
        ),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    course_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_units.id"))
    lesson_type: Mapped[str] = mapped_column(Text)
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id"))
    subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    protocol_number: Mapped[str] = mapped_column(Text)
    protocol_date: Mapped[date]
    uploaded_by: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime]
    revision: Mapped[int] = mapped_column(default=1)
    university_id: Mapped[uuid.UUID] = derived_university_id()


class LessonPlanItem(Base):
    __tablename__ = "lesson_plan_items"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lesson_plans.id"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date]
    starts_at: Mapped[time]
    ends_at: Mapped[time | None]
    topic: Mapped[str] = mapped_column(Text)
    hours: Mapped[int]
    teacher_id: Mapped[uuid.UUID]
    classroom_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("classrooms.id"))
    university_id: Mapped[uuid.UUID] = derived_university_id()


class Lesson(Base):
    __tablename__ = "lessons"
    __table_args__ = (
        UniqueConstraint(
            "course_unit_id", "group_id", "subgroup_id", "lesson_type", "date", "starts_at",
            name="uq_lessons_natural_key", postgresql_nulls_not_distinct=True,
        ),
        Index("ix_lessons_group_id_date", "group_id", "date"),
        Index("ix_lessons_teacher_id_date", "teacher_id", "date"),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    course_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_units.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"))
    subgroup_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("subgroups.id"))
    lesson_type: Mapped[str] = mapped_column(Text)
    date: Mapped[date]
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    classroom_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("classrooms.id"))
    teacher_id: Mapped[uuid.UUID]
    topic: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[int] = mapped_column(default=0)
    term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("terms.id"))
    load_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teaching_loads.id"))
    revision: Mapped[int] = mapped_column(default=1)
    cancelled_at: Mapped[datetime | None]
    university_id: Mapped[uuid.UUID] = derived_university_id()
