"""the closing guard's queries as static SQL: planned once per connection, not on every statement (issue 19)

`ejournal_closed_cells_guard` (0002, last restated by 0009) runs after every statement on marks and
attendance, over its transition tables. It built its queries as text and ran them with EXECUTE, which
PostgreSQL parses and plans anew on every call: on a teacher's save (an upsert fires the guard twice,
once for its INSERT part and once for its UPDATE part) that planning was about a tenth of PostgreSQL's
CPU for the whole save. The same queries written as static statements in the function are prepared by
PL/pgSQL once per connection and trigger (a function is compiled per trigger, so each trigger's
transition tables keep their own shape), and having no parameters they keep their first, generic plan.

Only the form changes: per operation the same rows are read (INSERT: the new rows; DELETE: the old;
UPDATE: both), the same fast path (no touched journal locked or with a closed section: nothing more to
check), the same exception for routing (0009: every row only learns its journal's university, by the
owner's rights), the same refusal (EJ005) unless the caller's reopen grant covers the section.

Revision ID: 0012_closed_guard_static_sql
Revises: 0011_unit_routes_substitutions
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op

from ejournal_platform.migrations import earlier_migration

revision = "0012_closed_guard_static_sql"
down_revision = "0011_unit_routes_substitutions"
branch_labels = None
depends_on = None

# The rows each operation touches: a statement changing a closed cell is refused whichever side of the
# change (its old row or its new one) sits in the closed section.
TOUCHED = {
    "INSERT": "SELECT journal_id, column_id FROM new_rows",
    "DELETE": "SELECT journal_id, column_id FROM old_rows",
    "UPDATE": "SELECT journal_id, column_id FROM new_rows UNION ALL SELECT journal_id, column_id FROM old_rows",
}


def _any_closed(touched: str) -> str:
    """Whether any journal the statement touched is locked or has a closed section (FOUND). The touched
    journals go in as an array, so each is one lookup of the journals' key: joined to the transition
    table instead, the planner (which expects as many journals as rows) chose to read every journal."""
    return f"""
        PERFORM FROM journals j
        WHERE j.journal_id = ANY (ARRAY(SELECT DISTINCT journal_id FROM ({touched}) r))
          AND (j.locked_at IS NOT NULL
               OR EXISTS (SELECT 1 FROM sections s WHERE s.journal_id = j.journal_id AND s.closed_at IS NOT NULL))
        LIMIT 1;"""


def _first_refused(touched: str) -> str:
    """The first touched cell of a locked journal or a closed section that the caller's grant does not
    reopen (a locked journal is never reopened), into `bad`. Each touched cell looks up its journal,
    column and section by their keys (OFFSET 0 keeps each lookup a parameterised index scan, whatever
    the planner expects of the transition table's size)."""
    return f"""
        SELECT t.journal_id, c.section_id INTO bad
        FROM (SELECT DISTINCT journal_id, column_id FROM ({touched}) r) t
        CROSS JOIN LATERAL (SELECT j.locked_at FROM journals j WHERE j.journal_id = t.journal_id OFFSET 0) j
        LEFT JOIN LATERAL (SELECT c.section_id FROM columns c
                           WHERE c.journal_id = t.journal_id AND c.column_id = t.column_id OFFSET 0) c ON true
        LEFT JOIN LATERAL (SELECT s.closed_at FROM sections s
                           WHERE s.journal_id = t.journal_id AND s.section_id = c.section_id OFFSET 0) s ON true
        WHERE (j.locked_at IS NOT NULL OR s.closed_at IS NOT NULL)
          AND NOT EXISTS (
              SELECT 1 FROM reopen_grants g
              WHERE g.grant_id::text = caller_grant AND g.teacher_id::text = caller
                AND g.journal_id = t.journal_id AND g.section_id = c.section_id
                AND g.ended_at IS NULL AND g.expires_at > clock_timestamp()
                AND j.locked_at IS NULL)
        LIMIT 1;"""


def _by_operation(statement: Callable[[str], str]) -> str:
    """One static statement per operation: PL/pgSQL prepares a statement when it first runs it, so a
    trigger only ever prepares its own operation's (an INSERT trigger has no old_rows to name)."""
    return f"""
    IF TG_OP = 'INSERT' THEN{statement(TOUCHED["INSERT"])}
    ELSIF TG_OP = 'DELETE' THEN{statement(TOUCHED["DELETE"])}
    ELSE{statement(TOUCHED["UPDATE"])}
    END IF;"""


GUARD = f"""
-- Statement-level over transition tables: the hot path (nothing closed) is one cached query; a statement
-- that touches a closed section or locked journal passes only under the caller's reopen grant, or when
-- every row of it just learns its journal's university and nothing else changes, with the owner's rights
-- (the routing function's).
CREATE OR REPLACE FUNCTION ejournal_closed_cells_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    routed boolean;
    caller_grant text;
    caller text;
BEGIN
    -- Fast path: none of the touched journals is locked or has a closed section.{_by_operation(_any_closed)}
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.university_id IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM new_rows n JOIN journals j ON j.journal_id = n.journal_id
                           WHERE n.university_id IS NULL OR n.university_id IS DISTINCT FROM j.university_id)
           AND NOT EXISTS (SELECT to_jsonb(n) - 'university_id' FROM new_rows n
                           EXCEPT ALL SELECT to_jsonb(o) - 'university_id' FROM old_rows o)
           AND pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'MEMBER')
        INTO routed;
        IF routed THEN
            RETURN NULL;
        END IF;
    END IF;
    caller_grant := coalesce(current_setting('ejournal.grant_id', true), '');
    caller := coalesce(current_setting('ejournal.actor_id', true), '');{_by_operation(_first_refused)}
    IF FOUND THEN
        RAISE EXCEPTION 'journal % section % is closed: the record is read-only', bad.journal_id, bad.section_id
            USING ERRCODE = 'EJ005', HINT = 'changes after closing need a reopen grant (KZ-08, KZ-13)';
    END IF;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.execute(GUARD)


def downgrade() -> None:
    # 0009's closing guard, exactly as that migration wrote it.
    guards = earlier_migration(__file__, "2026_12_03_0009_record_learns_university.py").GUARDS
    start = guards.index("CREATE OR REPLACE FUNCTION ejournal_closed_cells_guard()")
    op.execute(guards[start : guards.index("END $$;", start) + len("END $$;")])
