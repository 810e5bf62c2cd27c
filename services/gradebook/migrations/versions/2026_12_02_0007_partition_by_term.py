"""partition by term: marks, attendance and history become LIST partitions of their term (issues 18, 19);
journals carry their university (every row can be routed: through its journal).

Each of the three tables gets a `term_id` column (its journal's term), keys that include it, and one
partition per term, created ahead of need by `ejournal_term_partitions(term)`: by this migration for
every term already known, and by triggers when a course unit or a journal of a new term arrives (the
projections of curriculum's events come before any mark can be written). A term's grid reads one
partition; a term's deletion, years later, is a DETACH and DROP of its three partitions.

The guards stay where they were: the statement-level triggers of closing (KZ-05, KG-06), the
append-only history and the no-TRUNCATE rules sit on the parent tables, so every statement through them
is checked; each partition gets the statement-level ones too (a statement naming a partition fires only
the partition's), and the service role has no right at all on a partition: it reaches a term's rows
only through the parent, where its rights (history: SELECT and INSERT) are checked.

Existing rows are copied into the partitions with their journal's term inside the migration's
transaction; a row whose journal is unknown stops the migration rather than being lost.

Revision ID: 0007_partition_by_term
Revises: 0006_course_number
Create Date: 2026-12-02
"""

from alembic import op

from ejournal_platform.db_roles import app_role, app_role_exists, restrict_app_role

revision = "0007_partition_by_term"
down_revision = "0006_course_number"
branch_labels = None
depends_on = None

SET_ASIDE = """
ALTER TABLE marks RENAME TO marks_v0;
ALTER TABLE marks_v0 RENAME CONSTRAINT marks_pkey TO marks_v0_pkey;
ALTER TABLE attendance RENAME TO attendance_v0;
ALTER TABLE attendance_v0 RENAME CONSTRAINT attendance_pkey TO attendance_v0_pkey;
ALTER TABLE history RENAME TO history_v0;
ALTER TABLE history_v0 RENAME CONSTRAINT history_pkey TO history_v0_pkey;
ALTER INDEX ix_history_grant RENAME TO ix_history_v0_grant;
"""

TABLES = """
CREATE TABLE marks (
    journal_id uuid NOT NULL,
    column_id uuid NOT NULL,
    student_id uuid NOT NULL,
    value text,  -- NULL: cleared back to "no mark yet"
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    term_id uuid NOT NULL,  -- the journal's term: the partition
    PRIMARY KEY (journal_id, column_id, student_id, term_id)
) PARTITION BY LIST (term_id);

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
    term_id uuid NOT NULL,
    PRIMARY KEY (journal_id, column_id, student_id, term_id)
) PARTITION BY LIST (term_id);

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
    typed_at timestamptz,
    term_id uuid NOT NULL,
    PRIMARY KEY (journal_id, position, term_id)
) PARTITION BY LIST (term_id);
CREATE INDEX ix_history_grant ON history (grant_id) WHERE grant_id IS NOT NULL;
-- A cell's history (the portal's cell dialog) reads its own entries, not its journal's whole chain.
CREATE INDEX ix_history_cell ON history (column_id, student_id);
"""

# One partition per term and table, named <table>_<term without dashes>. SECURITY DEFINER: the service
# role creates no table itself; it may only ask for a term's partitions (the triggers below do). The
# advisory lock serialises two first journals of a new term; a term already partitioned costs one
# catalog lookup.
PARTITIONS = """
CREATE FUNCTION ejournal_term_partitions(p_term uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    suffix text := replace(p_term::text, '-', '');
    parent text;
    part text;
    grantee text;
    made integer := 0;
BEGIN
    IF p_term IS NULL OR to_regclass('public.history_' || suffix) IS NOT NULL THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('ejournal_term_partitions', 0));
    FOREACH parent IN ARRAY ARRAY['marks', 'attendance', 'history'] LOOP  -- history last: it marks "done"
        part := parent || '_' || suffix;
        CONTINUE WHEN to_regclass('public.' || part) IS NOT NULL;
        -- Made apart, then attached: ATTACH PARTITION takes only a SHARE UPDATE EXCLUSIVE lock on the
        -- parent, so the term's cells are made while the other terms' are read and written (CREATE
        -- TABLE ... PARTITION OF would lock the parent exclusively). The indexes and the row-level
        -- triggers of the parent are added to it on attaching.
        EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                       part, parent);
        EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES IN (%L)', parent, part, p_term);
        -- Nobody but the owner touches a partition directly: the service role goes through the parent.
        FOR grantee IN
            SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
            FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = ('public.' || part)::regclass AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('REVOKE ALL ON public.%I FROM %s', part, grantee);
        END LOOP;
        IF parent = 'history' THEN
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON public.%I '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only()', part || '_no_truncate', part);
        ELSE
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON public.%I REFERENCING NEW TABLE AS new_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard()',
                           part || '_closed_insert', part);
            EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON public.%I '
                           'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard()',
                           part || '_closed_update', part);
            EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON public.%I REFERENCING OLD TABLE AS old_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ejournal_closed_cells_guard()',
                           part || '_closed_delete', part);
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON public.%I '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only()', part || '_no_truncate', part);
        END IF;
        made := made + 1;
    END LOOP;
    RETURN made;
END $$;
REVOKE ALL ON FUNCTION ejournal_term_partitions(uuid) FROM PUBLIC;

-- Ahead of need: a course unit of a term (curriculum defines units before it assigns their teaching
-- load) or, at the latest, the journal itself makes the term's partitions before any cell of it exists.
CREATE FUNCTION ejournal_term_partitions_ahead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ejournal_term_partitions(NEW.term_id);
    RETURN NULL;
END $$;
CREATE TRIGGER journals_term_partitions AFTER INSERT OR UPDATE OF term_id ON journals
    FOR EACH ROW EXECUTE FUNCTION ejournal_term_partitions_ahead();
CREATE TRIGGER course_units_term_partitions AFTER INSERT OR UPDATE OF term_id ON course_units
    FOR EACH ROW WHEN (NEW.term_id IS NOT NULL) EXECUTE FUNCTION ejournal_term_partitions_ahead();
"""

COPY = """
SELECT ejournal_term_partitions(term_id)
FROM (SELECT term_id FROM journals UNION SELECT term_id FROM course_units WHERE term_id IS NOT NULL) t;

INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by, term_id)
SELECT m.journal_id, m.column_id, m.student_id, m.value, m.version, m.updated_at, m.updated_by, j.term_id
FROM marks_v0 m JOIN journals j USING (journal_id);
INSERT INTO attendance (journal_id, column_id, student_id, status, source, checked_in_at, version, updated_at,
                        updated_by, term_id)
SELECT a.journal_id, a.column_id, a.student_id, a.status, a.source, a.checked_in_at, a.version, a.updated_at,
       a.updated_by, j.term_id
FROM attendance_v0 a JOIN journals j USING (journal_id);
INSERT INTO history (journal_id, position, kind, column_id, student_id, old_value, new_value, author_id,
                     on_behalf_of_id, reason, grant_id, case_id, recorded_at, prev_hash, hash, typed_at, term_id)
SELECT h.journal_id, h.position, h.kind, h.column_id, h.student_id, h.old_value, h.new_value, h.author_id,
       h.on_behalf_of_id, h.reason, h.grant_id, h.case_id, h.recorded_at, h.prev_hash, h.hash, h.typed_at,
       j.term_id
FROM history_v0 h JOIN journals j USING (journal_id);

DO $$
BEGIN
    IF (SELECT count(*) FROM marks_v0) <> (SELECT count(*) FROM marks)
       OR (SELECT count(*) FROM attendance_v0) <> (SELECT count(*) FROM attendance)
       OR (SELECT count(*) FROM history_v0) <> (SELECT count(*) FROM history) THEN
        RAISE EXCEPTION 'cells or history of an unknown journal: nothing was converted';
    END IF;
END $$;
DROP TABLE marks_v0, attendance_v0, history_v0;
"""

# The same guards as migrations 0002 and 0003 put on the unpartitioned tables, now on the parents
# (after the copy: a closed section's cells are copied as they are).
GUARDS = """
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
CREATE TRIGGER attendance_no_truncate BEFORE TRUNCATE ON attendance
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
-- Row-level: cloned onto every partition, present and future.
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION ejournal_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION ejournal_append_only();
"""

# Every journal names its university (its faculty's parent in curriculum's structure), kept by the
# database on every insert path: when the journal arrives, and when its faculty's name arrives later.
UNIVERSITY = """
ALTER TABLE journals ADD COLUMN university_id uuid;
UPDATE journals j SET university_id = f.parent_id
FROM names f WHERE f.name_id = j.faculty_id AND f.kind = 'faculty';
CREATE INDEX ix_journals_university ON journals (university_id);

CREATE FUNCTION ejournal_journal_university() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'journals' THEN
        IF NEW.university_id IS NULL AND NEW.faculty_id IS NOT NULL THEN
            NEW.university_id := (SELECT f.parent_id FROM names f
                                  WHERE f.name_id = NEW.faculty_id AND f.kind = 'faculty');
        END IF;
        RETURN NEW;
    END IF;
    -- names: a faculty defined (or moved) after its journals
    IF NEW.kind = 'faculty' AND NEW.parent_id IS NOT NULL THEN
        UPDATE journals SET university_id = NEW.parent_id
        WHERE faculty_id = NEW.name_id AND university_id IS DISTINCT FROM NEW.parent_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER journals_university BEFORE INSERT OR UPDATE OF faculty_id ON journals
    FOR EACH ROW EXECUTE FUNCTION ejournal_journal_university();
CREATE TRIGGER names_faculty_university AFTER INSERT OR UPDATE OF parent_id, kind ON names
    FOR EACH ROW EXECUTE FUNCTION ejournal_journal_university();
"""


def upgrade() -> None:
    op.execute(SET_ASIDE)
    op.execute(TABLES)
    op.execute(PARTITIONS)
    if app_role_exists("gradebook"):
        # The triggers run as the writing session's role (the service's); the function, as the owner.
        op.execute(f'GRANT EXECUTE ON FUNCTION ejournal_term_partitions(uuid) TO "{app_role("gradebook")}"')
    op.execute(COPY)
    op.execute(GUARDS)
    # New tables got the service role's default rights; history is append-only again (as in 0003).
    restrict_app_role("gradebook", append_only=["history"])
    op.execute(UNIVERSITY)


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
