"""University structure: faculties/schools, departments, specialties, groups, subgroups, classrooms."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, derived_university_id


class University(Base):
    __tablename__ = "universities"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    profile_code: Mapped[str] = mapped_column(Text)
    time_zone: Mapped[str] = mapped_column(Text)


class Faculty(Base):
    __tablename__ = "faculties"
    __table_args__ = (UniqueConstraint("university_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    university_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("universities.id"))
    code: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("faculty_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    faculty_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("faculties.id"))
    code: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    university_id: Mapped[uuid.UUID] = derived_university_id()


class Specialty(Base):
    __tablename__ = "specialties"
    __table_args__ = (UniqueConstraint("faculty_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    faculty_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("faculties.id"))
    code: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    university_id: Mapped[uuid.UUID] = derived_university_id()


class Group(Base):
    """A group of one academic year and course (year of study)."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("academic_year_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    specialty_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("specialties.id"), index=True)
    academic_year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academic_years.id"))
    course_number: Mapped[int]
    code: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text)
    university_id: Mapped[uuid.UUID] = derived_university_id(index=True)


class Subgroup(Base):
    """KG-02: a part of a group taught and graded separately."""

    __tablename__ = "subgroups"
    __table_args__ = (UniqueConstraint("group_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"))
    code: Mapped[str] = mapped_column(Text)
    university_id: Mapped[uuid.UUID] = derived_university_id()


class Classroom(Base):
    """A room; its secret keys the rotating QR check-in codes the gradebook shows (KG-09)."""

    __tablename__ = "classrooms"
    __table_args__ = (UniqueConstraint("university_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    university_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("universities.id"))
    code: Mapped[str] = mapped_column(Text)
    building: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(default=0)
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    secret_version: Mapped[int] = mapped_column(default=1)
    rotated_at: Mapped[datetime]
