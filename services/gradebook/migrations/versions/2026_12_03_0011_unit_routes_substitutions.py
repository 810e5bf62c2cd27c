"""a substitution named by course unit only learns its university when its course unit does (issue 18)

A substitution for no journal (identity's SubstitutionAppointed with course units only) takes its
university from its first course unit (0008's fill, 0010's wait). When that unit was not placed yet, the
substitution kept NULL: 0009 routes substitutions only from `ejournal_route_journal` (by
`journal_ids[1]`), and `ejournal_route_course_unit` never looked at them.

Now the course unit's routing fills them too, after the structure's key it already takes (0010): the
substitution's fill waits on that key in shared mode when it finds no university, so a substitution
stored while its unit is being placed is seen by one side or the other, as 0010 does for lessons and
control events. It sets only a NULL university, from the same source the fill reads (the first journal,
else the first course unit), so a substitution whose journal is placed later keeps what it learned.

Two partial indexes find a unit's, and a journal's (0009's routing), waiting substitutions without
reading the table once per unit or journal placed (placing a faculty places all its units and
journals, one routing each); they hold only the NULL rows, so they are empty once the structure is in.

Rows that waited before this migration are routed once, here.

Revision ID: 0011_unit_routes_substitutions
Revises: 0010_routing_locks_parent
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

from ejournal_platform.tenancy import anchor_lock_sql

revision = "0011_unit_routes_substitutions"
down_revision = "0010_routing_locks_parent"
branch_labels = None
depends_on = None

ROUTE_STRUCTURE = f"PERFORM {anchor_lock_sql('names', chr(39) * 2, shared=False)};"

# 0010's function with the substitutions added; everything else as it was.
ROUTE_COURSE_UNIT = f"""
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
    UPDATE substitutions SET university_id = NEW.university_id
    WHERE course_unit_ids[1] = NEW.course_unit_id AND university_id IS NULL;
    RETURN NULL;
END $$;
"""

INDEXES = """
CREATE INDEX ix_substitutions_unrouted_unit ON substitutions ((course_unit_ids[1]))
WHERE university_id IS NULL;
CREATE INDEX ix_substitutions_unrouted_journal ON substitutions ((journal_ids[1]))
WHERE university_id IS NULL;
"""

BACKFILL = """
UPDATE substitutions s SET university_id = u.university_id FROM course_units u
WHERE u.course_unit_id = s.course_unit_ids[1] AND s.university_id IS NULL AND u.university_id IS NOT NULL
"""


def upgrade() -> None:
    op.execute(ROUTE_COURSE_UNIT)
    op.execute(INDEXES)
    op.execute(BACKFILL)


def downgrade() -> None:
    op.execute("DROP INDEX ix_substitutions_unrouted_unit, ix_substitutions_unrouted_journal")
