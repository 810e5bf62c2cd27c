"""reopen cases, history, closed sections, late admissions, reopen counts, sanctions, corrective
measures, fill flags and weekly journal checks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reopen_cases",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("workflow_id", sa.Text, nullable=False),
        sa.Column("journal_id", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("teacher_id", sa.Text, nullable=False),
        sa.Column("department_id", sa.Text, nullable=False),
        sa.Column("faculty_id", sa.Text, nullable=False),
        sa.Column("term_id", sa.Text, nullable=False),
        sa.Column("profile_code", sa.Text, nullable=False),
        sa.Column("step", sa.Text, nullable=False),
        sa.Column("waiting_for", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("deadline", TS),
        sa.Column("overdue", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("closed_at", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("end_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("correction_late", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("recorded_seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("view", JSONB, nullable=False),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("case_id", name="pk_reopen_cases"),
    )
    op.create_index("ix_reopen_cases_teacher", "reopen_cases", ["teacher_id"])
    op.create_index("ix_reopen_cases_department", "reopen_cases", ["department_id"])
    op.create_index("ix_reopen_cases_faculty", "reopen_cases", ["faculty_id"])
    op.create_index("ix_reopen_cases_waiting_for", "reopen_cases", ["waiting_for"], postgresql_using="gin")
    op.create_index(
        "uq_reopen_cases_open_section",
        "reopen_cases",
        ["journal_id", "section"],
        unique=True,
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_index("uq_reopen_cases_request", "reopen_cases", ["submitted_by", "request_id"], unique=True)

    op.create_table(
        "reopen_case_history",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "seq", name="pk_reopen_case_history"),
    )

    op.create_table(
        "journals",
        sa.Column("journal_id", sa.Text, nullable=False),
        sa.Column("term_id", sa.Text, nullable=False),
        sa.Column("course_unit_id", sa.Text, nullable=False),
        sa.Column("group_id", sa.Text, nullable=False),
        sa.Column("department_id", sa.Text, nullable=False),
        sa.Column("faculty_id", sa.Text, nullable=False),
        sa.Column("profile_code", sa.Text, nullable=False),
        sa.Column("teacher_ids", ARRAY(sa.Text), nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("journal_id", name="pk_journals"),
    )
    op.create_index("ix_journals_profile_department", "journals", ["profile_code", "department_id"])

    op.create_table(
        "journal_sections",
        sa.Column("journal_id", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("control_kind", sa.Text, nullable=False, server_default=""),
        sa.Column("teacher_ids", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("department_id", sa.Text, nullable=False, server_default=""),
        sa.Column("faculty_id", sa.Text, nullable=False, server_default=""),
        sa.Column("term_id", sa.Text, nullable=False, server_default=""),
        sa.Column("profile_code", sa.Text, nullable=False, server_default=""),
        sa.Column("event_date", sa.Text, nullable=False, server_default=""),
        sa.Column("closed_at", TS),
        sa.Column("closed_by", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("journal_id", "section", name="pk_journal_sections"),
    )
    op.create_index("ix_journal_sections_section", "journal_sections", ["section"])

    op.create_table(
        "effects",
        sa.Column("effect_key", sa.Text, nullable=False),
        sa.Column("done_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("effect_key", name="pk_effects"),
    )

    op.create_table(
        "late_admissions",
        sa.Column("journal_id", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("teacher_id", sa.Text, nullable=False),
        sa.Column("admitted_by", sa.Text, nullable=False),
        sa.Column("admitted_at", TS, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("journal_id", "section", "teacher_id", name="pk_late_admissions"),
    )

    op.create_table(
        "counted_reopens",
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("teacher_id", sa.Text, nullable=False),
        sa.Column("department_id", sa.Text, nullable=False),
        sa.Column("faculty_id", sa.Text, nullable=False),
        sa.Column("term_id", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("correction_late", sa.Boolean, nullable=False),
        sa.Column("completed_at", TS, nullable=False),
        sa.Column("teacher_count", sa.Integer, nullable=False),
        sa.Column("department_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_counted_reopens"),
    )
    op.create_index("ix_counted_reopens_teacher", "counted_reopens", ["term_id", "teacher_id"])
    op.create_index("ix_counted_reopens_department", "counted_reopens", ["term_id", "department_id"])

    op.create_table(
        "sanction_proposals",
        sa.Column("proposal_id", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("subject_id", sa.Text, nullable=False),
        sa.Column("term_id", sa.Text, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("measure", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="proposed"),
        sa.Column("proposed_at", TS, nullable=False),
        sa.Column("reference", sa.Text, nullable=False, server_default=""),
        sa.Column("confirmed_by", sa.Text, nullable=False, server_default=""),
        sa.Column("confirmed_at", TS),
        sa.PrimaryKeyConstraint("proposal_id", name="pk_sanction_proposals"),
    )
    op.create_index("ix_sanction_proposals_status", "sanction_proposals", ["status"])

    op.create_table(
        "corrective_measures",
        sa.Column("measure_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("scope_type", sa.Text, nullable=False),
        sa.Column("scope_id", sa.Text, nullable=False),
        sa.Column("term_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False, server_default=""),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("measure_id", name="pk_corrective_measures"),
    )

    op.create_table(
        "fill_flags",
        sa.Column("journal_id", sa.Text, nullable=False),
        sa.Column("lesson_date", sa.Date, nullable=False),
        sa.Column("teacher_ids", ARRAY(sa.Text), nullable=False),
        sa.Column("department_id", sa.Text, nullable=False),
        sa.Column("faculty_id", sa.Text, nullable=False),
        sa.Column("course_unit_id", sa.Text, nullable=False),
        sa.Column("flagged_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("journal_id", "lesson_date", name="pk_fill_flags"),
    )

    op.create_table(
        "journal_checks",
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("journal_id", sa.Text, nullable=False),
        sa.Column("teacher_ids", ARRAY(sa.Text), nullable=False),
        sa.Column("department_id", sa.Text, nullable=False),
        sa.Column("faculty_id", sa.Text, nullable=False),
        sa.Column("lessons", sa.Integer, nullable=False),
        sa.Column("lessons_filled", sa.Integer, nullable=False),
        sa.Column("filled_percent", sa.Numeric(5, 1), nullable=False),
        sa.Column("attendance_percent", sa.Numeric(5, 1), nullable=False),
        sa.Column("findings", ARRAY(sa.Text), nullable=False),
        sa.Column("checked_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("week_start", "journal_id", name="pk_journal_checks"),
    )
    op.create_index("ix_journal_checks_teachers", "journal_checks", ["teacher_ids"], postgresql_using="gin")


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
