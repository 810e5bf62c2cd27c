"""a row stored while its faculty's university is being learned no longer misses it (issue 18; the
workflow's twin of gradebook's and reporting's 0010)

A row whose university is not known yet is stored with "" and learns it when a JournalOpened of its
faculty names it (section_store.learn_university, in that consumer's transaction). Under READ
COMMITTED the two written at once miss each other: the row's fill trigger finds no journal of its
faculty that knows the university (not committed yet), learn_university finds no row (not committed
yet), both commit and the row keeps "" until another journal of the faculty is opened, if ever.

Now both sides take a transaction-scoped advisory lock (`ejournal_platform.tenancy.anchor_lock_sql`,
one key, `LEARNING`): a row that finds no university takes it shared and asks once more;
learn_university takes it exclusive before it updates. Whoever comes second waits for the first's
commit and then sees it. A row that finds its university takes no lock.

The rows a store writes with its university already decided (journals from JournalOpened, reopen
cases, sanction proposals) had no fill trigger: one is added, `WHEN (NEW.university_id = '')`, filling
it the way learn_university would (a faculty belongs to one university), with the same lock; the
others (migration 0009's) keep their triggers and get the lock in their functions.

Revision ID: 0010_waiting_rows_lock
Revises: 0009_outbox_partitions
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

from ejournal_platform.migrations import earlier_migration
from ejournal_platform.tenancy import anchor_lock_sql, trigger_function_sql

revision = "0010_waiting_rows_lock"
down_revision = "0009_outbox_partitions"
branch_labels = None
depends_on = None

# The one key of "a faculty's university being learned" (section_store.LEARNING takes it exclusive).
WAIT = f"PERFORM {anchor_lock_sql('university_of_faculty', chr(39) * 2, shared=True)};"


_0009 = earlier_migration(__file__, "2026_12_03_0009_university_everywhere.py")

OF_FACULTY = (
    "(SELECT j.university_id FROM journals j WHERE j.faculty_id = NEW.faculty_id"
    " AND j.university_id <> '' LIMIT 1)"
)
# Rows written with their university decided by the store: "" gets a trigger now.
DECIDED = {
    "journals": OF_FACULTY,
    "reopen_cases": (
        "COALESCE(NULLIF((SELECT j.university_id FROM journals j WHERE j.journal_id = NEW.journal_id), ''),"
        f" {OF_FACULTY})"
    ),
    "sanction_proposals": (
        "COALESCE(NULLIF((SELECT c.university_id FROM reopen_cases c WHERE c.case_id = NEW.case_id), ''),"
        f" {OF_FACULTY})"
    ),
}


def _fill_function(table: str, source: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {table}_fill_university_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(NEW.university_id, '') = '' THEN
        NEW.university_id := COALESCE({source}, '');
        IF NEW.university_id = '' THEN
            -- Its faculty's university may be being learned by a transaction not committed yet.
            {WAIT}
            NEW.university_id := COALESCE({source}, '');
        END IF;
    END IF;
    RETURN NEW;
END $$"""


def upgrade() -> None:
    for derived in _0009.DERIVED:
        op.execute(_fill_function(derived.table, derived.source.format(row="NEW")))
    for table, source in DECIDED.items():
        op.execute(_fill_function(table, source))
        op.execute(
            f"CREATE TRIGGER {table}_fill_university_id BEFORE INSERT ON {table} FOR EACH ROW"
            f" WHEN (NEW.university_id = '') EXECUTE FUNCTION {table}_fill_university_id()"
        )


def downgrade() -> None:
    for table in DECIDED:
        op.execute(f"DROP TRIGGER {table}_fill_university_id ON {table}")
        op.execute(f"DROP FUNCTION {table}_fill_university_id()")
    for derived in _0009.DERIVED:  # 0009's functions as they were (no lock, no second look)
        op.execute(trigger_function_sql(derived, "text"))
