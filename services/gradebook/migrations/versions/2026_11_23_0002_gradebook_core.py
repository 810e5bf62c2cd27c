"""gradebook core: projections of curriculum and identity, journals, marks, attendance, history chain,
closing, reopen grants, statements, check-ins, disputes, idempotency keys; the database-level guards.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = """
-- projections of curriculum events (KZ-02, KG-02)
CREATE TABLE course_units (
    course_unit_id uuid PRIMARY KEY,
    kind text NOT NULL,
    parent_id uuid,
    profile_code text NOT NULL DEFAULT '',
    title text NOT NULL DEFAULT '',
    code text NOT NULL DEFAULT '',
    term_id uuid,
    department_id uuid,
    faculty_id uuid,
    position integer NOT NULL DEFAULT 0,
    is_last_part boolean NOT NULL DEFAULT false,
    has_own_exam boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE INDEX ix_course_units_parent ON course_units (parent_id);

CREATE TABLE enrollments (
    movement_id uuid PRIMARY KEY,
    student_id uuid NOT NULL,
    group_id uuid NOT NULL,
    subgroup_id uuid,
    since date NOT NULL,
    until date  -- exclusive; NULL while the student is in the group
);
CREATE INDEX ix_enrollments_group ON enrollments (group_id, student_id) WHERE until IS NULL;
CREATE INDEX ix_enrollments_student ON enrollments (student_id);

CREATE TABLE lessons (
    lesson_id uuid PRIMARY KEY,
    course_unit_id uuid NOT NULL,
    group_id uuid NOT NULL,
    subgroup_id uuid,
    lesson_type text NOT NULL,
    date date NOT NULL,
    starts_at text NOT NULL DEFAULT '',
    ends_at text NOT NULL DEFAULT '',
    classroom_id uuid,
    topic text NOT NULL DEFAULT '',
    number integer NOT NULL DEFAULT 0,
    teacher_id uuid,
    term_id uuid,
    cancelled boolean NOT NULL DEFAULT false,
    revision bigint NOT NULL DEFAULT 0
);
CREATE INDEX ix_lessons_unit_group ON lessons (course_unit_id, group_id);

CREATE TABLE control_events (
    control_event_id uuid PRIMARY KEY,
    kind text NOT NULL,
    course_unit_id uuid NOT NULL,
    group_id uuid NOT NULL,
    subgroup_id uuid,
    date date NOT NULL,
    grade_entry_deadline timestamptz,
    closing_deadline timestamptz,
    term_id uuid,
    profile_code text NOT NULL DEFAULT '',
    revision bigint NOT NULL DEFAULT 0
);
CREATE INDEX ix_control_events_unit_group ON control_events (course_unit_id, group_id);

CREATE TABLE substitutions (
    substitution_id uuid PRIMARY KEY,
    absent_teacher_id uuid NOT NULL,
    substitute_id uuid NOT NULL,
    journal_ids uuid[] NOT NULL DEFAULT '{}',
    course_unit_ids uuid[] NOT NULL DEFAULT '{}',
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    protocol text NOT NULL DEFAULT ''
);
CREATE INDEX ix_substitutions_substitute ON substitutions (substitute_id);
CREATE INDEX ix_substitutions_absent ON substitutions (absent_teacher_id);

-- journals: one per term x course unit x group/subgroup x lesson type
CREATE TABLE journals (
    journal_id uuid PRIMARY KEY,
    term_id uuid NOT NULL,
    course_unit_id uuid NOT NULL,
    group_id uuid NOT NULL,
    subgroup_id uuid,
    lesson_type text NOT NULL,
    profile_code text NOT NULL,
    department_id uuid,
    faculty_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    locked_at timestamptz,
    locked_by text,
    CONSTRAINT uq_journals_key UNIQUE NULLS NOT DISTINCT (term_id, course_unit_id, group_id, subgroup_id, lesson_type)
);
CREATE INDEX ix_journals_unit_group ON journals (course_unit_id, group_id);
CREATE INDEX ix_journals_department ON journals (department_id);

CREATE TABLE journal_teachers (
    load_id uuid PRIMARY KEY,
    journal_id uuid NOT NULL REFERENCES journals,
    teacher_id uuid NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX ix_journal_teachers_journal ON journal_teachers (journal_id);
CREATE INDEX ix_journal_teachers_teacher ON journal_teachers (teacher_id);

CREATE TABLE sections (
    journal_id uuid NOT NULL REFERENCES journals,
    section_id uuid NOT NULL,
    control_kind text NOT NULL,
    date date NOT NULL,
    closing_deadline timestamptz,
    closed_at timestamptz,
    closed_by text,
    close_reason text,
    statement_id uuid,
    PRIMARY KEY (journal_id, section_id)
);
CREATE INDEX ix_sections_section ON sections (section_id);

CREATE TABLE columns (
    journal_id uuid NOT NULL REFERENCES journals,
    column_id uuid NOT NULL,
    kind text NOT NULL,
    date date NOT NULL,
    starts_at text NOT NULL DEFAULT '',
    topic text NOT NULL DEFAULT '',
    number integer NOT NULL DEFAULT 0,
    section_id uuid,
    control_kind text,
    lesson_type text NOT NULL DEFAULT '',
    classroom_id uuid,
    cancelled boolean NOT NULL DEFAULT false,
    PRIMARY KEY (journal_id, column_id)
);
CREATE INDEX ix_columns_column ON columns (column_id);

-- the record: marks and attendance, one row per cell, versioned for optimistic concurrency
CREATE TABLE marks (
    journal_id uuid NOT NULL,
    column_id uuid NOT NULL,
    student_id uuid NOT NULL,
    value text,  -- NULL: cleared back to "no mark yet"
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (journal_id, column_id, student_id)
);

CREATE TABLE attendance (
    journal_id uuid NOT NULL,
    column_id uuid NOT NULL,
    student_id uuid NOT NULL,
    status text NOT NULL,
    source text NOT NULL,
    checked_in_at timestamptz,
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (journal_id, column_id, student_id)
);

CREATE TABLE checkins (
    column_id uuid NOT NULL,
    student_id uuid NOT NULL,
    journal_id uuid NOT NULL,
    checked_in_at timestamptz NOT NULL,
    time_window bigint NOT NULL,
    PRIMARY KEY (column_id, student_id)
);

-- history: append-only, a sha256 chain per journal
CREATE TABLE history (
    journal_id uuid NOT NULL,
    position bigint NOT NULL,
    kind text NOT NULL,
    column_id uuid NOT NULL,
    student_id uuid NOT NULL,
    old_value text,
    new_value text,
    author_id text NOT NULL,
    on_behalf_of_id text,
    reason text,
    grant_id uuid,
    case_id text,
    recorded_at timestamptz NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (journal_id, position)
);
-- No index per cell: a cell's history is read from its journal's chain (primary key prefix), and every
-- index here would be paid by each of the thousands of rows a deadline-rush batch appends.
CREATE INDEX ix_history_grant ON history (grant_id) WHERE grant_id IS NOT NULL;

CREATE TABLE chain_heads (
    journal_id uuid PRIMARY KEY REFERENCES journals,
    position bigint NOT NULL,
    hash bytea NOT NULL
);

-- reopen grants (KZ-13 step 3), created only by the workflow service
CREATE TABLE reopen_grants (
    grant_id uuid PRIMARY KEY,
    case_id text NOT NULL UNIQUE,
    teacher_id uuid NOT NULL,
    journal_id uuid NOT NULL,
    section_id uuid NOT NULL,
    granted_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    granted_by text NOT NULL,
    reason text NOT NULL DEFAULT '',
    ended_at timestamptz,
    end_reason text,
    individual_statement_id uuid,
    FOREIGN KEY (journal_id, section_id) REFERENCES sections (journal_id, section_id)
);
CREATE INDEX ix_reopen_grants_open ON reopen_grants (journal_id, section_id) WHERE ended_at IS NULL;

-- statements: gapless numbers per series and term from a locked counter row
CREATE TABLE statement_counters (
    series text NOT NULL,
    term_id text NOT NULL,
    last_number bigint NOT NULL,
    PRIMARY KEY (series, term_id)
);

CREATE TABLE statements (
    statement_id uuid PRIMARY KEY,
    series text NOT NULL,
    term_id text NOT NULL,
    number bigint NOT NULL,
    kind text NOT NULL,
    journal_id uuid,
    section_id uuid,
    course_unit_id uuid,
    group_id uuid,
    control_kind text NOT NULL DEFAULT '',
    formed_at timestamptz NOT NULL,
    formed_by text NOT NULL,
    content text NOT NULL,        -- canonical JSON: lines and signers
    content_hash text NOT NULL,   -- sha256 hex of content
    original_statement_id uuid,
    case_id text,
    idempotency_key text,
    CONSTRAINT uq_statements_number UNIQUE (series, term_id, number)
);
CREATE INDEX ix_statements_journal ON statements (journal_id);
CREATE UNIQUE INDEX uq_statements_integrated ON statements (course_unit_id, group_id) WHERE kind = 'integrated';

-- disputes (KG-10)
CREATE TABLE disputes (
    dispute_id uuid PRIMARY KEY,
    journal_id uuid NOT NULL REFERENCES journals,
    column_id uuid NOT NULL,
    student_id uuid NOT NULL,
    disputed_value text NOT NULL DEFAULT '',
    opened_at timestamptz NOT NULL,
    answer_due_at timestamptz NOT NULL,
    status text NOT NULL,
    answered_by text,
    answered_at timestamptz,
    corrected_value text,
    decision_reason text
);
CREATE INDEX ix_disputes_journal ON disputes (journal_id);
CREATE INDEX ix_disputes_student ON disputes (student_id);
CREATE UNIQUE INDEX uq_disputes_open_cell ON disputes (journal_id, column_id, student_id) WHERE status = 'open';

CREATE TABLE dispute_messages (
    dispute_id uuid NOT NULL REFERENCES disputes,
    seq integer NOT NULL,
    author_id text NOT NULL,
    author_role text NOT NULL,
    text text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (dispute_id, seq)
);

-- idempotency keys: the first result of a call, returned to its retries
CREATE TABLE idempotency_keys (
    subject text NOT NULL,
    operation text NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    response bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, operation, key)
);
-- A stored response can be large (a grid's cells); compressing it costs more than it saves.
ALTER TABLE idempotency_keys ALTER COLUMN response SET STORAGE EXTERNAL;
"""

# KZ-05 / KG-06 at the database level: a write of a mark or of attendance in a closed section (or a
# locked journal) fails for every role that writes through SQL, unless the transaction names an active,
# unexpired reopen grant for that section (SET LOCAL ejournal.grant_id) and its teacher
# (SET LOCAL ejournal.actor_id). Statement-level triggers over transition tables: a batch of thousands
# of cells pays one check, and the common case (nothing closed in the journal) ends after one lookup.
GUARDS = """
CREATE FUNCTION ejournal_closed_cells_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT journal_id, column_id FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT journal_id, column_id FROM old_rows'
        ELSE 'SELECT journal_id, column_id FROM new_rows UNION ALL SELECT journal_id, column_id FROM old_rows'
    END;
    bad record;
    hits bigint;
BEGIN
    -- Fast path: none of the touched journals is locked or has a closed section.
    EXECUTE format($q$
        SELECT 1 AS hit FROM (SELECT DISTINCT journal_id FROM (%s) r) t
        JOIN journals j ON j.journal_id = t.journal_id
        WHERE j.locked_at IS NOT NULL
           OR EXISTS (SELECT 1 FROM sections s WHERE s.journal_id = t.journal_id AND s.closed_at IS NOT NULL)
        LIMIT 1 $q$, touched) INTO bad;
    GET DIAGNOSTICS hits = ROW_COUNT;
    IF hits = 0 THEN
        RETURN NULL;
    END IF;
    EXECUTE format($q$
        SELECT t.journal_id, c.section_id FROM (SELECT DISTINCT journal_id, column_id FROM (%s) r) t
        JOIN journals j ON j.journal_id = t.journal_id
        LEFT JOIN columns c ON c.journal_id = t.journal_id AND c.column_id = t.column_id
        LEFT JOIN sections s ON s.journal_id = t.journal_id AND s.section_id = c.section_id
        WHERE (j.locked_at IS NOT NULL OR s.closed_at IS NOT NULL)
          AND NOT EXISTS (
              SELECT 1 FROM reopen_grants g
              WHERE g.grant_id::text = $1 AND g.teacher_id::text = $2
                AND g.journal_id = t.journal_id AND g.section_id = c.section_id
                AND g.ended_at IS NULL AND g.expires_at > clock_timestamp()
                AND j.locked_at IS NULL)
        LIMIT 1 $q$, touched)
    INTO bad
    USING coalesce(current_setting('ejournal.grant_id', true), ''),
          coalesce(current_setting('ejournal.actor_id', true), '');
    GET DIAGNOSTICS hits = ROW_COUNT;
    IF hits > 0 THEN
        RAISE EXCEPTION 'journal % section % is closed: the record is read-only', bad.journal_id, bad.section_id
            USING ERRCODE = 'EJ005', HINT = 'changes after closing need a reopen grant (KZ-08, KZ-13)';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER marks_closed_insert AFTER INSERT ON marks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard();
CREATE TRIGGER marks_closed_update AFTER UPDATE ON marks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard();
CREATE TRIGGER marks_closed_delete AFTER DELETE ON marks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard();
CREATE TRIGGER attendance_closed_insert AFTER INSERT ON attendance
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard();
CREATE TRIGGER attendance_closed_update AFTER UPDATE ON attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard();
CREATE TRIGGER attendance_closed_delete AFTER DELETE ON attendance
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard();
CREATE TRIGGER marks_no_truncate BEFORE TRUNCATE ON marks
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
"""

# Append-only and immutable tables: no UPDATE, DELETE or TRUNCATE for any role that goes through SQL
# (owner and superuser included; only disabling triggers, which the hash chain then exposes, bypasses).
APPEND_ONLY = """
CREATE FUNCTION ejournal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'EJ009';
END $$;

CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER statements_immutable BEFORE UPDATE OR DELETE ON statements
    FOR EACH ROW EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER dispute_messages_append_only BEFORE UPDATE OR DELETE ON dispute_messages
    FOR EACH ROW EXECUTE FUNCTION ejournal_append_only();

-- A closed section stays closed; a locked journal stays locked; counters only move forward by one.
CREATE FUNCTION ejournal_closed_stays_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'sections' THEN
        IF TG_OP = 'DELETE' AND OLD.closed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a closed section cannot be deleted' USING ERRCODE = 'EJ005';
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.closed_at IS NOT NULL AND (
            NEW.closed_at IS DISTINCT FROM OLD.closed_at OR NEW.statement_id IS DISTINCT FROM OLD.statement_id
            OR NEW.section_id IS DISTINCT FROM OLD.section_id OR NEW.journal_id IS DISTINCT FROM OLD.journal_id
        ) THEN
            RAISE EXCEPTION 'a closed section cannot be reopened or altered' USING ERRCODE = 'EJ005';
        END IF;
    ELSIF TG_TABLE_NAME = 'journals' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'journals are never deleted' USING ERRCODE = 'EJ009';
        END IF;
        IF OLD.locked_at IS NOT NULL AND NEW.locked_at IS DISTINCT FROM OLD.locked_at THEN
            RAISE EXCEPTION 'a locked journal cannot be unlocked' USING ERRCODE = 'EJ005';
        END IF;
    ELSIF TG_TABLE_NAME = 'columns' THEN
        IF EXISTS (SELECT 1 FROM sections s WHERE s.journal_id = OLD.journal_id
                   AND s.section_id = OLD.section_id AND s.closed_at IS NOT NULL)
           AND (TG_OP = 'DELETE' OR NEW.section_id IS DISTINCT FROM OLD.section_id) THEN
            RAISE EXCEPTION 'a column of a closed section cannot leave it' USING ERRCODE = 'EJ005';
        END IF;
    ELSIF TG_TABLE_NAME = 'statement_counters' THEN
        IF TG_OP = 'DELETE' OR NEW.last_number <> OLD.last_number + 1 THEN
            RAISE EXCEPTION 'statement numbers only move forward by one' USING ERRCODE = 'EJ009';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sections_stay_closed BEFORE UPDATE OR DELETE ON sections
    FOR EACH ROW EXECUTE FUNCTION ejournal_closed_stays_closed();
CREATE TRIGGER journals_stay_locked BEFORE UPDATE OR DELETE ON journals
    FOR EACH ROW EXECUTE FUNCTION ejournal_closed_stays_closed();
CREATE TRIGGER columns_stay_in_closed BEFORE UPDATE OR DELETE ON columns
    FOR EACH ROW EXECUTE FUNCTION ejournal_closed_stays_closed();
CREATE TRIGGER counters_forward BEFORE UPDATE OR DELETE ON statement_counters
    FOR EACH ROW EXECUTE FUNCTION ejournal_closed_stays_closed();
"""


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(APPEND_ONLY)
    op.execute(GUARDS)


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
