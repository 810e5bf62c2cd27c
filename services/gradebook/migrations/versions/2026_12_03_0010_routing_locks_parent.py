"""a row and the parent it learns its university from, written at once by two transactions, no longer
miss each other (issue 18; the gradebook's twin of reporting's 0010)

Under READ COMMITTED a row whose parent has no university yet is written with NULL, and the parent's
routing (0007's `names` trigger for journals, 0009's for the record, course units and enrollments)
fills only the rows it can see. When the two are written at once, each sees the other as uncommitted:
the row's fill trigger finds no university, the routing finds no row, both commit, and the row waits
for ever. Curriculum's consumer opening a journal (or scheduling a lesson, which adds a column) while
the faculty's StructureUnitDefined was being applied did exactly that: the journal, its chain head,
teachers, sections, columns, course unit, lessons and enrollments kept NULL.

Now both sides take a transaction-scoped advisory lock (`ejournal_platform.tenancy.anchor_lock_sql`):
a row that finds no university takes it shared and asks once more; every routing takes it exclusive
before it reads the rows it fills. Whoever comes second waits for the first's commit and then, in its
next statement's snapshot, sees the other's rows. A row that finds its university takes no lock (the
fill triggers are `WHEN (NEW.university_id IS NULL)`), so a deployment whose structure arrives first
pays nothing, the mark save included.

Two keys:
- the structure's (`names`, one key): every routing starts where the structure changes (a `names` row
  placing journals, course units and enrollments; a journal or course unit re-projected onto a placed
  faculty), and a course unit or enrollment is placed by walking `names` several levels up, so the
  missing unit may be any ancestor. One key is simple, and it is contended only while rows wait for
  their structure. Every waiting row takes it, except:
- the journal's (`journals`, its id) for marks, attendance and history: their writers lock the
  journal's chain head first (cells_sql.LOCK_HEAD) and the routing updates the head before anything
  else of the journal, then takes this key. A writer holding the head is waited for before the key is
  taken, so its shared lock is granted; were it the structure's key, taken by the routing first, the
  writer (holding the head) and the routing (waiting for it) would deadlock.

What can still deadlock (PostgreSQL then fails one; the consumer re-applies, the caller retries): a
writer that holds a row of an unplaced journal (a dispute it answers, a section it closes, a row it
re-projects) and then writes a waiting row, while the structure's routing waits for that row; two
re-projections that both upgrade the structure's key. Neither can leave a row without its university.

The guards are untouched (append-only, closed sections, the history chain); no function changes its
rights: the fill triggers run as the writer, the routing functions stay SECURITY DEFINER with EXECUTE
revoked from PUBLIC, and advisory locks need no grant.

Revision ID: 0010_routing_locks_parent
Revises: 0009_record_learns_university
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

from ejournal_platform.tenancy import anchor_lock_sql

revision = "0010_routing_locks_parent"
down_revision = "0009_record_learns_university"
branch_labels = None
depends_on = None

WAIT_STRUCTURE = f"PERFORM {anchor_lock_sql('names', chr(39) * 2, shared=True)};"
ROUTE_STRUCTURE = f"PERFORM {anchor_lock_sql('names', chr(39) * 2, shared=False)};"
WAIT_JOURNAL = f"PERFORM {anchor_lock_sql('journals', 'NEW.journal_id::text', shared=True)};"
ROUTE_JOURNAL_KEY = f"PERFORM {anchor_lock_sql('journals', 'j::text', shared=False)};"


def _journal(key: str = "journal_id") -> str:
    return f"(SELECT j.university_id FROM journals j WHERE j.journal_id = NEW.{key})"


def _unit(key: str) -> str:
    return f"(SELECT u.university_id FROM course_units u WHERE u.course_unit_id = NEW.{key})"


UUID_PATTERN = "'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"

# Each table's fill: migration 0008's source (unchanged, with NEW for the row) and the lock it takes
# when it finds none.
FILLS: dict[str, tuple[str, str]] = {
    "course_units": (
        "COALESCE(ejournal_university_of(NEW.faculty_id), ejournal_university_of(NEW.department_id),"
        " (SELECT p.university_id FROM course_units p WHERE p.course_unit_id = NEW.parent_id))",
        WAIT_STRUCTURE,
    ),
    "lessons": (_unit("course_unit_id"), WAIT_STRUCTURE),
    "control_events": (_unit("course_unit_id"), WAIT_STRUCTURE),
    "enrollments": ("ejournal_university_of(NEW.group_id)", WAIT_STRUCTURE),
    "substitutions": (
        "COALESCE((SELECT j.university_id FROM journals j WHERE j.journal_id = NEW.journal_ids[1]),"
        " (SELECT u.university_id FROM course_units u WHERE u.course_unit_id = NEW.course_unit_ids[1]))",
        WAIT_STRUCTURE,
    ),
    "journal_teachers": (_journal(), WAIT_STRUCTURE),
    "sections": (_journal(), WAIT_STRUCTURE),
    "columns": (_journal(), WAIT_STRUCTURE),
    "chain_heads": (_journal(), WAIT_STRUCTURE),
    "checkins": (_journal(), WAIT_STRUCTURE),
    "reopen_grants": (_journal(), WAIT_STRUCTURE),
    "reopen_grant_log": (_journal(), WAIT_STRUCTURE),
    "disputes": (_journal(), WAIT_STRUCTURE),
    "dispute_messages": (
        "(SELECT d.university_id FROM disputes d WHERE d.dispute_id = NEW.dispute_id)",
        WAIT_STRUCTURE,
    ),
    "statements": (f"COALESCE({_journal()}, {_unit('course_unit_id')})", WAIT_STRUCTURE),
    "statement_counters": (
        f"(SELECT j.university_id FROM journals j WHERE j.term_id = (CASE WHEN NEW.term_id ~* {UUID_PATTERN}"
        " THEN NEW.term_id::uuid END) AND j.university_id IS NOT NULL LIMIT 1)",
        WAIT_STRUCTURE,
    ),
    "marks": (_journal(), WAIT_JOURNAL),
    "attendance": (_journal(), WAIT_JOURNAL),
    "history": (_journal(), WAIT_JOURNAL),
}


def _fill_function(table: str, source: str, wait: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {table}_fill_university_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.university_id IS NULL THEN
        NEW.university_id := ({source})::uuid;
        IF NEW.university_id IS NULL THEN
            -- Its parent may be being placed by a transaction not committed yet: wait for it, ask again.
            {wait}
            NEW.university_id := ({source})::uuid;
        END IF;
    END IF;
    RETURN NEW;
END $$"""


# Migration 0007's function for journals and `names`, with the structure's key on both sides.
JOURNAL_UNIVERSITY = f"""
CREATE OR REPLACE FUNCTION ejournal_journal_university() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'journals' THEN
        IF NEW.university_id IS NULL AND NEW.faculty_id IS NOT NULL THEN
            NEW.university_id := (SELECT f.parent_id FROM names f
                                  WHERE f.name_id = NEW.faculty_id AND f.kind = 'faculty');
            IF NEW.university_id IS NULL THEN
                {WAIT_STRUCTURE}
                NEW.university_id := (SELECT f.parent_id FROM names f
                                      WHERE f.name_id = NEW.faculty_id AND f.kind = 'faculty');
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    -- names: a faculty defined (or moved) after its journals
    IF NEW.kind = 'faculty' AND NEW.parent_id IS NOT NULL THEN
        {ROUTE_STRUCTURE}
        UPDATE journals SET university_id = NEW.parent_id
        WHERE faculty_id = NEW.name_id AND university_id IS DISTINCT FROM NEW.parent_id;
    END IF;
    RETURN NULL;
END $$;
"""

# Migration 0009's routing functions, each taking its keys before it reads the rows it fills.
ROUTING = f"""
CREATE OR REPLACE FUNCTION ejournal_route_journal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    j uuid := NEW.journal_id;
    u uuid := NEW.university_id;
    t uuid := NEW.term_id;
BEGIN
    {ROUTE_STRUCTURE}
    -- The chain head before the journal's key: a writer of cells and history locks the head first.
    UPDATE chain_heads SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    {ROUTE_JOURNAL_KEY}
    UPDATE journal_teachers SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE sections SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE columns SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE checkins SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE reopen_grants SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE reopen_grant_log SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE disputes SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE dispute_messages m SET university_id = u FROM disputes d
    WHERE d.journal_id = j AND m.dispute_id = d.dispute_id AND m.university_id IS NULL;
    UPDATE statements SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE statement_counters SET university_id = u WHERE term_id = t::text AND university_id IS NULL;
    UPDATE substitutions SET university_id = u WHERE journal_ids[1] = j AND university_id IS NULL;
    -- The term names the partition: one partition of each is read, by its primary key's prefix.
    UPDATE marks SET university_id = u WHERE term_id = t AND journal_id = j AND university_id IS NULL;
    UPDATE attendance SET university_id = u WHERE term_id = t AND journal_id = j AND university_id IS NULL;
    UPDATE history SET university_id = u WHERE term_id = t AND journal_id = j AND university_id IS NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ejournal_route_course_unit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    {ROUTE_STRUCTURE}
    UPDATE lessons SET university_id = NEW.university_id
    WHERE course_unit_id = NEW.course_unit_id AND university_id IS NULL;
    UPDATE control_events SET university_id = NEW.university_id
    WHERE course_unit_id = NEW.course_unit_id AND university_id IS NULL;
    UPDATE course_units SET university_id = NEW.university_id
    WHERE parent_id = NEW.course_unit_id AND university_id IS NULL;
    UPDATE statements SET university_id = NEW.university_id
    WHERE course_unit_id = NEW.course_unit_id AND university_id IS NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ejournal_place_units() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    {ROUTE_STRUCTURE}
    UPDATE course_units u SET university_id = p.university_id
    FROM (SELECT c.course_unit_id,
                 COALESCE(ejournal_university_of(c.faculty_id), ejournal_university_of(c.department_id))
                     AS university_id
          FROM course_units c WHERE c.university_id IS NULL) p
    WHERE u.course_unit_id = p.course_unit_id AND p.university_id IS NOT NULL;
    UPDATE enrollments e SET university_id = p.university_id
    FROM (SELECT DISTINCT group_id, ejournal_university_of(group_id) AS university_id
          FROM enrollments WHERE university_id IS NULL) p
    WHERE e.group_id = p.group_id AND e.university_id IS NULL AND p.university_id IS NOT NULL;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    for table, (source, wait) in FILLS.items():
        op.execute(_fill_function(table, source, wait))
    op.execute(JOURNAL_UNIVERSITY)
    op.execute(ROUTING)


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
