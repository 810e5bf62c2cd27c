"""a row and the parent it waits for, written at once by two transactions, no longer miss each other (issue 18)

Revision ID: 0010_waiting_lock_parent
Revises: 0009_fill_waiting_by_anchor
Create Date: 2026-12-03

0009 fills a waiting row when the statement placing its parent runs. Two consumers write at once,
under READ COMMITTED: the gradebook's opens a journal while the curriculum's defines the journal's
faculty. The journal's trigger saw no faculty (not committed yet), the faculty's fill saw no journal
(not committed yet), both committed, and the journal waited for ever (CI saw one such rm_journal row
once in the demo). 0007's pass hid this by re-asking every waiting row on every anchor statement.

Now both sides take a transaction-scoped advisory lock on the parent's key
(`ejournal_platform.tenancy.anchor_lock_sql`): a row that finds no university takes it shared and asks
again; every parent a statement writes is locked exclusive before its waiting rows are filled (even a
parent whose own university is unknown places its rows: a faculty names its university). Whoever
comes second waits for the first's commit and then, in its next statement's snapshot, sees its row.
Nothing waits while nothing is waiting: a row that finds its university takes no lock, so a parent's
lock is contended only while a row waits for it. Two batches that each wait for the other can now deadlock (a child of
one waiting for a parent of the other, and the reverse); PostgreSQL then fails one batch, which the
consumer re-applies one event at a time, as for any deadlock.
"""

from __future__ import annotations

from alembic import op

from ejournal_platform.migrations import earlier_migration
from ejournal_platform.tenancy import anchor_lock_sql, trigger_function_sql

revision = "0010_waiting_lock_parent"
down_revision = "0009_fill_waiting_by_anchor"
branch_labels = None
depends_on = None


_0007 = earlier_migration(__file__, "2026_12_02_0007_tenancy_university_id.py")
_0009 = earlier_migration(__file__, "2026_12_03_0009_fill_waiting_by_anchor.py")


def _waits_for() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each waiting table -> the parents it may wait for, as (the parent's table, the naming column)."""
    waits: dict[str, list[tuple[str, str]]] = {}
    for (anchor, _key), waiting in _0009.WAITING_FOR.items():
        for table, column in waiting:
            waits.setdefault(table, []).append((anchor, column))
    return {table: tuple(parents) for table, parents in waits.items()}


def _anchor_function(anchor: str, key: str, waiting: tuple[tuple[str, str], ...], locked: bool) -> str:
    # Keys are locked in one order (their hash's), so two parents' statements never lock crosswise.
    lock = (
        f"\n    PERFORM {anchor_lock_sql(anchor, 'k', shared=False)} FROM ("
        f"SELECT DISTINCT t.{key} AS k, hashtext(t.{key}) AS h FROM touched t ORDER BY h) keys;"
        if locked
        else ""
    )
    updates = "\n".join(
        f"    UPDATE {table} SET university_id = NULL"
        f" WHERE university_id IS NULL AND {column} IN (SELECT t.{key} FROM touched t);"
        for table, column in waiting
    )
    return f"""
CREATE OR REPLACE FUNCTION {anchor}_fill_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > {_0009.MAX_DEPTH} OR NOT EXISTS (SELECT 1 FROM touched) THEN
        RETURN NULL;
    END IF;{lock}
{updates}
    RETURN NULL;
END $$"""


def _apply(locked: bool) -> None:
    waits = _waits_for()
    for derived in _0007.DERIVED:
        op.execute(trigger_function_sql(derived, "text", waits.get(derived.table, ()) if locked else ()))
    for (anchor, key), waiting in _0009.WAITING_FOR.items():
        op.execute(_anchor_function(anchor, key, waiting, locked))


def upgrade() -> None:
    _apply(locked=True)


def downgrade() -> None:
    _apply(locked=False)
