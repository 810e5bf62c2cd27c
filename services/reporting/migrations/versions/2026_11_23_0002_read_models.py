"""read models (rebuildable projections of the events) and reporting's own records (report jobs,
archive records, backup records)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('archive_record',
    sa.Column('archive_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), server_default='', nullable=False),
    sa.Column('item_id', sa.Text(), server_default='', nullable=False),
    sa.Column('profile_code', sa.Text(), server_default='', nullable=False),
    sa.Column('term_ends_on', sa.Date(), nullable=True),
    sa.Column('kept_until', sa.Date(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('bundle', sa.Text(), server_default='', nullable=False),
    sa.Column('bundle_sha256', sa.Text(), server_default='', nullable=False),
    sa.Column('item_sha256', sa.Text(), server_default='', nullable=False),
    sa.Column('archived_by', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('archive_id', name=op.f('pk_archive_record'))
    )
    op.create_table('backup_record',
    sa.Column('backup_id', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('location', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.Text(), server_default='', nullable=False),
    sa.Column('manifest', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('backup_id', name=op.f('pk_backup_record'))
    )
    op.create_table('report_job',
    sa.Column('job_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), server_default='', nullable=False),
    sa.Column('params', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('requested_by', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.Text(), server_default='', nullable=False),
    sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total', sa.Integer(), server_default='0', nullable=False),
    sa.Column('error', sa.Text(), server_default='', nullable=False),
    sa.Column('content_type', sa.Text(), server_default='', nullable=False),
    sa.Column('filename', sa.Text(), server_default='', nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_report_job'))
    )
    op.create_table('rm_attendance',
    sa.Column('journal_id', sa.Text(), nullable=False),
    sa.Column('lesson_id', sa.Text(), nullable=False),
    sa.Column('student_id', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), server_default='', nullable=False),
    sa.Column('source', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('journal_id', 'lesson_id', 'student_id', name=op.f('pk_rm_attendance'))
    )
    op.create_table('rm_corrective_measure',
    sa.Column('measure_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('scope_type', sa.Text(), server_default='', nullable=False),
    sa.Column('scope_id', sa.Text(), server_default='', nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('case_id', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_by', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('measure_id', name=op.f('pk_rm_corrective_measure'))
    )
    op.create_table('rm_course_unit',
    sa.Column('course_unit_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), server_default='', nullable=False),
    sa.Column('parent_id', sa.Text(), server_default='', nullable=False),
    sa.Column('profile_code', sa.Text(), server_default='', nullable=False),
    sa.Column('title', sa.Text(), server_default='', nullable=False),
    sa.Column('code', sa.Text(), server_default='', nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('academic_year_id', sa.Text(), server_default='', nullable=False),
    sa.Column('specialty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('course_number', sa.Integer(), server_default='0', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('removed', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('course_unit_id', name=op.f('pk_rm_course_unit'))
    )
    op.create_table('rm_dispute',
    sa.Column('dispute_id', sa.Text(), nullable=False),
    sa.Column('journal_id', sa.Text(), server_default='', nullable=False),
    sa.Column('column_id', sa.Text(), server_default='', nullable=False),
    sa.Column('student_id', sa.Text(), server_default='', nullable=False),
    sa.Column('disputed_value', sa.Text(), server_default='', nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.Text(), server_default='', nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('late', sa.Boolean(), server_default='false', nullable=False),
    sa.PrimaryKeyConstraint('dispute_id', name=op.f('pk_rm_dispute'))
    )
    op.create_table('rm_enrollment',
    sa.Column('student_id', sa.Text(), nullable=False),
    sa.Column('group_id', sa.Text(), server_default='', nullable=False),
    sa.Column('subgroup_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('student_id', name=op.f('pk_rm_enrollment'))
    )
    op.create_index('ix_rm_enrollment_group', 'rm_enrollment', ['group_id'], unique=False)
    op.create_table('rm_journal',
    sa.Column('journal_id', sa.Text(), nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('course_unit_id', sa.Text(), server_default='', nullable=False),
    sa.Column('group_id', sa.Text(), server_default='', nullable=False),
    sa.Column('subgroup_id', sa.Text(), server_default='', nullable=False),
    sa.Column('lesson_type', sa.Text(), server_default='', nullable=False),
    sa.Column('teacher_ids', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('profile_code', sa.Text(), server_default='', nullable=False),
    sa.Column('title', sa.Text(), server_default='', nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived', sa.Boolean(), server_default='false', nullable=False),
    sa.PrimaryKeyConstraint('journal_id', name=op.f('pk_rm_journal'))
    )
    op.create_index('ix_rm_journal_unit_group', 'rm_journal', ['course_unit_id', 'group_id'], unique=False)
    op.create_table('rm_journal_check',
    sa.Column('journal_id', sa.Text(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('teacher_id', sa.Text(), server_default='', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('lessons', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lessons_filled', sa.Integer(), server_default='0', nullable=False),
    sa.Column('filled_percent', sa.Text(), server_default='', nullable=False),
    sa.Column('attendance_percent', sa.Text(), server_default='', nullable=False),
    sa.Column('findings', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('journal_id', 'week_start', name=op.f('pk_rm_journal_check'))
    )
    op.create_table('rm_lesson',
    sa.Column('lesson_id', sa.Text(), nullable=False),
    sa.Column('course_unit_id', sa.Text(), server_default='', nullable=False),
    sa.Column('group_id', sa.Text(), server_default='', nullable=False),
    sa.Column('subgroup_id', sa.Text(), server_default='', nullable=False),
    sa.Column('lesson_type', sa.Text(), server_default='', nullable=False),
    sa.Column('lesson_date', sa.Date(), nullable=True),
    sa.Column('starts_at', sa.Text(), server_default='', nullable=False),
    sa.Column('ends_at', sa.Text(), server_default='', nullable=False),
    sa.Column('classroom_id', sa.Text(), server_default='', nullable=False),
    sa.Column('topic', sa.Text(), server_default='', nullable=False),
    sa.Column('number', sa.Integer(), server_default='0', nullable=False),
    sa.Column('teacher_id', sa.Text(), server_default='', nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('load_id', sa.Text(), server_default='', nullable=False),
    sa.Column('cancelled', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('lesson_id', name=op.f('pk_rm_lesson'))
    )
    op.create_index('ix_rm_lesson_unit_group', 'rm_lesson', ['course_unit_id', 'group_id', 'lesson_type'], unique=False)
    op.create_table('rm_mark',
    sa.Column('journal_id', sa.Text(), nullable=False),
    sa.Column('column_id', sa.Text(), nullable=False),
    sa.Column('student_id', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), server_default='', nullable=False),
    sa.Column('column_kind', sa.Text(), server_default='', nullable=False),
    sa.Column('section', sa.Text(), server_default='', nullable=False),
    sa.Column('author_id', sa.Text(), server_default='', nullable=False),
    sa.Column('on_behalf_of_id', sa.Text(), server_default='', nullable=False),
    sa.Column('case_id', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('journal_id', 'column_id', 'student_id', name=op.f('pk_rm_mark'))
    )
    op.create_table('rm_person',
    sa.Column('person_id', sa.Text(), nullable=False),
    sa.Column('login', sa.Text(), server_default='', nullable=False),
    sa.Column('full_name', sa.Text(), server_default='', nullable=False),
    sa.Column('last_name', sa.Text(), server_default='', nullable=False),
    sa.Column('first_name', sa.Text(), server_default='', nullable=False),
    sa.Column('patronymic', sa.Text(), server_default='', nullable=False),
    sa.Column('category', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('group_id', sa.Text(), server_default='', nullable=False),
    sa.Column('profile_code', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_rm_person'))
    )
    op.create_table('rm_reopen_case',
    sa.Column('case_id', sa.Text(), nullable=False),
    sa.Column('journal_id', sa.Text(), server_default='', nullable=False),
    sa.Column('section', sa.Text(), server_default='', nullable=False),
    sa.Column('teacher_id', sa.Text(), server_default='', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('step', sa.Text(), server_default='', nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Text(), server_default='', nullable=False),
    sa.Column('last_seq', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_rm_reopen_case'))
    )
    op.create_table('rm_reopen_grant',
    sa.Column('grant_id', sa.Text(), nullable=False),
    sa.Column('case_id', sa.Text(), server_default='', nullable=False),
    sa.Column('teacher_id', sa.Text(), server_default='', nullable=False),
    sa.Column('journal_id', sa.Text(), server_default='', nullable=False),
    sa.Column('section', sa.Text(), server_default='', nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('reclosed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reclose_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('individual_statement_id', sa.Text(), server_default='', nullable=False),
    sa.Column('corrected_student_ids', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('grant_id', name=op.f('pk_rm_reopen_grant'))
    )
    op.create_table('rm_reopen_step',
    sa.Column('case_id', sa.Text(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.Text(), server_default='', nullable=False),
    sa.Column('actor_id', sa.Text(), server_default='', nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('detail', sa.Text(), server_default='', nullable=False),
    sa.Column('step', sa.Text(), server_default='', nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('overdue', sa.Boolean(), server_default='false', nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'seq', name=op.f('pk_rm_reopen_step'))
    )
    op.create_table('rm_role',
    sa.Column('assignment_id', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Text(), server_default='', nullable=False),
    sa.Column('role', sa.Text(), server_default='', nullable=False),
    sa.Column('scope_type', sa.Text(), server_default='', nullable=False),
    sa.Column('scope_id', sa.Text(), server_default='', nullable=False),
    sa.Column('revoked', sa.Boolean(), server_default='false', nullable=False),
    sa.PrimaryKeyConstraint('assignment_id', name=op.f('pk_rm_role'))
    )
    op.create_index('ix_rm_role_scope', 'rm_role', ['role', 'scope_type', 'scope_id'], unique=False)
    op.create_table('rm_sanction',
    sa.Column('proposal_id', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), server_default='', nullable=False),
    sa.Column('subject_id', sa.Text(), server_default='', nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('measure', sa.Text(), server_default='', nullable=False),
    sa.Column('case_id', sa.Text(), server_default='', nullable=False),
    sa.Column('reference', sa.Text(), server_default='', nullable=False),
    sa.Column('confirmed_by', sa.Text(), server_default='', nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('proposal_id', name=op.f('pk_rm_sanction'))
    )
    op.create_table('rm_section',
    sa.Column('journal_id', sa.Text(), nullable=False),
    sa.Column('section', sa.Text(), nullable=False),
    sa.Column('control_kind', sa.Text(), server_default='', nullable=False),
    sa.Column('section_date', sa.Date(), nullable=True),
    sa.Column('closing_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.Text(), server_default='', nullable=False),
    sa.Column('statement_id', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('journal_id', 'section', name=op.f('pk_rm_section'))
    )
    op.create_table('rm_statement',
    sa.Column('statement_id', sa.Text(), nullable=False),
    sa.Column('series', sa.Text(), server_default='', nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('kind', sa.Text(), server_default='', nullable=False),
    sa.Column('journal_id', sa.Text(), server_default='', nullable=False),
    sa.Column('section', sa.Text(), server_default='', nullable=False),
    sa.Column('course_unit_id', sa.Text(), server_default='', nullable=False),
    sa.Column('group_id', sa.Text(), server_default='', nullable=False),
    sa.Column('content_hash', sa.Text(), server_default='', nullable=False),
    sa.Column('formed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('formed_by', sa.Text(), server_default='', nullable=False),
    sa.Column('original_statement_id', sa.Text(), server_default='', nullable=False),
    sa.Column('case_id', sa.Text(), server_default='', nullable=False),
    sa.Column('student_ids', sa.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('archived', sa.Boolean(), server_default='false', nullable=False),
    sa.PrimaryKeyConstraint('statement_id', name=op.f('pk_rm_statement'))
    )
    op.create_index('ix_rm_statement_journal', 'rm_statement', ['journal_id'], unique=False)
    op.create_table('rm_teaching_load',
    sa.Column('load_id', sa.Text(), nullable=False),
    sa.Column('teacher_id', sa.Text(), server_default='', nullable=False),
    sa.Column('course_unit_id', sa.Text(), server_default='', nullable=False),
    sa.Column('group_id', sa.Text(), server_default='', nullable=False),
    sa.Column('subgroup_id', sa.Text(), server_default='', nullable=False),
    sa.Column('lesson_type', sa.Text(), server_default='', nullable=False),
    sa.Column('term_id', sa.Text(), server_default='', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('hours', sa.Integer(), server_default='0', nullable=False),
    sa.Column('profile_code', sa.Text(), server_default='', nullable=False),
    sa.Column('removed', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('load_id', name=op.f('pk_rm_teaching_load'))
    )
    op.create_table('rm_term',
    sa.Column('term_id', sa.Text(), nullable=False),
    sa.Column('academic_year_id', sa.Text(), server_default='', nullable=False),
    sa.Column('number', sa.Integer(), server_default='0', nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('term_id', name=op.f('pk_rm_term'))
    )
    op.create_table('rm_ungraded_day',
    sa.Column('journal_id', sa.Text(), nullable=False),
    sa.Column('lesson_date', sa.Date(), nullable=False),
    sa.Column('teacher_id', sa.Text(), server_default='', nullable=False),
    sa.Column('department_id', sa.Text(), server_default='', nullable=False),
    sa.Column('faculty_id', sa.Text(), server_default='', nullable=False),
    sa.Column('course_unit_id', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('journal_id', 'lesson_date', name=op.f('pk_rm_ungraded_day'))
    )


def downgrade() -> None:
    raise NotImplementedError("archive and backup records are never migrated down")
