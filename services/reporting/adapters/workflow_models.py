"""Read models of the workflow's events: reopen cases with their steps, sanctions, corrective
measures and the weekly journal checks (KZ-10, KZ-13, KZ-14, KG-08). Rebuilt by replay like the rest."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, Table, Text

from services.reporting.adapters.read_models import _text, _university
from services.reporting.adapters.tables import metadata

reopen_case = Table(
    "rm_reopen_case",
    metadata,
    Column("case_id", Text, primary_key=True),
    _text("journal_id"),
    _text("section"),
    _text("teacher_id"),
    _text("department_id"),
    _text("faculty_id"),
    _text("term_id"),
    _text("reason"),
    _text("step"),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    _text("outcome"),
    Column("last_seq", Integer, nullable=False, server_default="0"),
    _university(),
)

reopen_step = Table(
    "rm_reopen_step",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("seq", Integer, primary_key=True),
    _text("action"),
    _text("actor_id"),
    Column("at", DateTime(timezone=True)),
    _text("detail"),
    _text("step"),
    Column("deadline", DateTime(timezone=True)),
    Column("overdue", Boolean, nullable=False, server_default="false"),
    _university(),
)

sanction = Table(
    "rm_sanction",
    metadata,
    Column("proposal_id", Text, primary_key=True),
    _text("subject"),
    _text("subject_id"),
    _text("term_id"),
    Column("count", Integer, nullable=False, server_default="0"),
    _text("measure"),
    _text("case_id"),
    _text("reference"),
    _text("confirmed_by"),
    Column("confirmed_at", DateTime(timezone=True)),
    _university(),
)

corrective_measure = Table(
    "rm_corrective_measure",
    metadata,
    Column("measure_id", Text, primary_key=True),
    _text("kind"),
    _text("description"),
    _text("scope_type"),
    _text("scope_id"),
    _text("term_id"),
    _text("case_id"),
    _text("recorded_by"),
    Column("recorded_at", DateTime(timezone=True)),
    _university(),
)

journal_check = Table(
    "rm_journal_check",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("week_start", Date, primary_key=True),
    _text("teacher_id"),
    _text("department_id"),
    _text("faculty_id"),
    Column("lessons", Integer, nullable=False, server_default="0"),
    Column("lessons_filled", Integer, nullable=False, server_default="0"),
    _text("filled_percent"),
    _text("attendance_percent"),
    _text("findings"),
    _university(),
)

ungraded_day = Table(
    "rm_ungraded_day",
    metadata,
    Column("journal_id", Text, primary_key=True),
    Column("lesson_date", Date, primary_key=True),
    _text("teacher_id"),
    _text("department_id"),
    _text("faculty_id"),
    _text("course_unit_id"),
    _university(),
)
