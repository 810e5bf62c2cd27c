"""What curriculum learns from other services' events (issue 13): the sections gradebook has closed (the
schedule may not change inside them; rows are only added: a reopen lets one teacher correct marks,
never the schedule), and identity's substitutions (a substitute reads the names of the groups they
teach)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.curriculum.adapters.orm import Base, derived_university_id


class ClosedSection(Base):
    __tablename__ = "closed_sections"

    # A section is a control event of curriculum's calendar (gradebook's section id is its id).
    control_event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    journal_id: Mapped[str] = mapped_column(Text, primary_key=True)
    closed_at: Mapped[datetime]
    university_id: Mapped[uuid.UUID | None] = derived_university_id()


class Substitution(Base):
    """A substitution identity appointed (SubstitutionAppointed / SubstitutionEnded): while it runs, the
    substitute teaches the absent teacher's groups in these course units (all of theirs when none are
    named) and reads those groups' names as their teachers do (issue 13)."""

    __tablename__ = "substitutions"

    substitution_id: Mapped[str] = mapped_column(Text, primary_key=True)
    absent_teacher_id: Mapped[str] = mapped_column(Text)
    substitute_id: Mapped[str] = mapped_column(Text)
    course_unit_ids: Mapped[list[str]] = mapped_column(ARRAY(Text))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    ended_on: Mapped[date | None]
    university_id: Mapped[uuid.UUID | None] = derived_university_id()


class RecordedCell(Base):
    """A lesson (or control event) column where gradebook recorded a mark or attendance for a student
    (its MarkRecorded / AttendanceRecorded events): a sync import does not cancel such a lesson, nor
    end such a student's placement (issue 22). Rows are only added: a cleared mark still counts."""

    __tablename__ = "recorded_cells"

    lesson_id: Mapped[str] = mapped_column(Text, primary_key=True)
    student_id: Mapped[str] = mapped_column(Text, primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(Text)  # "mark" or "attendance"
    university_id: Mapped[uuid.UUID | None] = derived_university_id()
