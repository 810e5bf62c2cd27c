"""the record learns its university when its faculty arrives late (issue 18, docs/scale.md "What stays unrouted")

A journal opened before the gradebook knew its faculty's place writes its rows with university_id NULL
(migration 0008's fill triggers find nothing to copy). When curriculum's StructureUnitDefined places the
faculty, `journals.university_id` is learned (migration 0007's trigger on `names`); from now on that
change is copied onto every row of the journal still without one, in every table that carries the
journal's, by one SECURITY DEFINER trigger function: the record's tables are append-only (history,
statements, reopen_grant_log, dispute_messages) or guarded (a closed section's marks, counters, ended
grants), and the service's role keeps no right to change them itself. Likewise a course unit (and so
its lessons, control events, sub-units and integrated statements) and an enrollment learn their place
when the structure unit that places them arrives.

The guards let exactly that change through and nothing else: an UPDATE whose sole difference is
university_id going from NULL to a value, made with the table owner's rights (`ejournal_only_routed`:
the routing functions', not the service role's); every other update is refused as before. The
university is not hashed: the history chain and VerifyJournal are unchanged. Rows that waited before
this migration (their journal learned its university under 0007/0008) are routed once by it.

The routing reads only the unrouted rows: the partitioned tables by the journal's term (one partition)
and journal id (their primary keys' prefix), the others through small partial indexes of the rows whose
university is NULL (empty in a deployment whose structure arrives first).

Revision ID: 0009_record_learns_university
Revises: 0008_outbox_partitions
Create Date: 2026-12-03
"""

from alembic import op

revision = "0009_record_learns_university"
down_revision = "0008_outbox_partitions"
branch_labels = None
depends_on = None

# The one change the record's guards allow: a row learning its university, everything else equal, made
# with the table owner's rights — that is, by the routing functions below (SECURITY DEFINER) or a
# migration; the service's role, which may update some of these tables (marks, columns, counters), may
# not make even this change itself.
ONLY_ROUTED = """
CREATE FUNCTION ejournal_only_routed(p_table oid, p_old jsonb, p_new jsonb) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT p_old ->> 'university_id' IS NULL AND p_new ->> 'university_id' IS NOT NULL
       AND (p_old - 'university_id') = (p_new - 'university_id')
       AND pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = p_table), 'MEMBER')
$$;
"""

# The guards of migrations 0002 and 0003, each with that one exception (bodies otherwise unchanged).
# Where a guard runs on every update of its table (sections, columns, journals, counters), the cheap
# test of the column comes first, so an ordinary update does not build the rows' JSON.
GUARDS = """
CREATE OR REPLACE FUNCTION ejournal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_LEVEL = 'ROW' AND ejournal_only_routed(TG_RELID, to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'EJ009';
END $$;

CREATE OR REPLACE FUNCTION ejournal_grant_ends_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.ended_at IS NOT NULL AND NOT ejournal_only_routed(TG_RELID, to_jsonb(OLD), to_jsonb(NEW)) THEN
        RAISE EXCEPTION 'an ended reopen grant cannot change' USING ERRCODE = 'EJ005';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ejournal_column_frozen_when_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.university_id IS NULL AND NEW.university_id IS NOT NULL
       AND ejournal_only_routed(TG_RELID, to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM sections s WHERE s.journal_id = OLD.journal_id AND s.section_id = OLD.section_id
          AND s.closed_at IS NOT NULL)
       AND (TG_OP = 'DELETE' OR NEW IS DISTINCT FROM OLD) THEN
        RAISE EXCEPTION 'journal % section % is closed: the record is read-only', OLD.journal_id, OLD.section_id
            USING ERRCODE = 'EJ005';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM sections s WHERE s.journal_id = NEW.journal_id AND s.section_id = NEW.section_id
          AND s.closed_at IS NOT NULL)
       AND (TG_OP = 'INSERT' OR NEW.section_id IS DISTINCT FROM OLD.section_id) THEN
        RAISE EXCEPTION 'journal % section % is closed: the record is read-only', NEW.journal_id, NEW.section_id
            USING ERRCODE = 'EJ005';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ejournal_closed_stays_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.university_id IS NULL AND NEW.university_id IS NOT NULL
       AND ejournal_only_routed(TG_RELID, to_jsonb(OLD), to_jsonb(NEW)) THEN
        RETURN NEW;  -- a counter, section or journal learning its university: nothing else moves
    END IF;
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

-- Statement-level over transition tables: the hot path (nothing closed) is untouched; a statement that
-- touches a closed section or locked journal passes only when every row of it just learns its journal's
-- university and nothing else changes, with the owner's rights (the routing function's).
CREATE OR REPLACE FUNCTION ejournal_closed_cells_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT journal_id, column_id FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT journal_id, column_id FROM old_rows'
        ELSE 'SELECT journal_id, column_id FROM new_rows UNION ALL SELECT journal_id, column_id FROM old_rows'
    END;
    bad record;
    hits bigint;
    routed boolean;
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
"""

# Where the routing finds a journal's unrouted rows without scanning the table: only rows whose
# university is NULL are indexed, so these stay (nearly) empty and cost the write path nothing.
UNROUTED_INDEXES = """
CREATE INDEX ix_checkins_unrouted ON checkins (journal_id) WHERE university_id IS NULL;
CREATE INDEX ix_reopen_grants_unrouted ON reopen_grants (journal_id) WHERE university_id IS NULL;
CREATE INDEX ix_reopen_grant_log_unrouted ON reopen_grant_log (journal_id) WHERE university_id IS NULL;
CREATE INDEX ix_statement_counters_unrouted ON statement_counters (term_id) WHERE university_id IS NULL;
CREATE INDEX ix_course_units_unrouted ON course_units (course_unit_id) WHERE university_id IS NULL;
CREATE INDEX ix_enrollments_unrouted ON enrollments (group_id) WHERE university_id IS NULL;
"""

# A journal learning its university hands it to its rows. SECURITY DEFINER (the owner's rights, a fixed
# search_path, no EXECUTE for anyone): the service's role only updates `journals` (through the `names`
# trigger) and keeps no right to change its record; this function does only that one change, which the
# guards above let through.
ROUTE_JOURNAL = """
CREATE FUNCTION ejournal_route_journal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    j uuid := NEW.journal_id;
    u uuid := NEW.university_id;
    t uuid := NEW.term_id;
BEGIN
    UPDATE journal_teachers SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE sections SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE columns SET university_id = u WHERE journal_id = j AND university_id IS NULL;
    UPDATE chain_heads SET university_id = u WHERE journal_id = j AND university_id IS NULL;
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
REVOKE ALL ON FUNCTION ejournal_route_journal() FROM PUBLIC;
CREATE TRIGGER journals_route_record AFTER UPDATE OF university_id ON journals
    FOR EACH ROW WHEN (OLD.university_id IS NULL AND NEW.university_id IS NOT NULL)
    EXECUTE FUNCTION ejournal_route_journal();
"""

# A course unit learning its place hands it on to what hangs from it (its lessons, control events and
# sub-units, whose own triggers carry it further, and its integrated statements, which are append-only:
# hence SECURITY DEFINER here too). A structure unit arriving (`names`, not a person) places the unrouted
# course units and enrollments it now reaches: the same sources as migration 0008's fill triggers.
ROUTE_UNITS = """
CREATE FUNCTION ejournal_route_course_unit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
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
REVOKE ALL ON FUNCTION ejournal_route_course_unit() FROM PUBLIC;
CREATE TRIGGER course_units_route_rows AFTER UPDATE OF university_id ON course_units
    FOR EACH ROW WHEN (OLD.university_id IS NULL AND NEW.university_id IS NOT NULL)
    EXECUTE FUNCTION ejournal_route_course_unit();

CREATE FUNCTION ejournal_place_units() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
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
REVOKE ALL ON FUNCTION ejournal_place_units() FROM PUBLIC;
CREATE TRIGGER names_place_units AFTER INSERT OR UPDATE OF parent_id, kind ON names
    FOR EACH ROW WHEN (NEW.kind <> 'person') EXECUTE FUNCTION ejournal_place_units();
"""


# Once, for the rows that waited before this migration: a journal that learned its university under
# 0007/0008 left its record NULL. Set-based, parents first; runs as the owner, so the guards' exception
# lets it through. The partitioned tables are read whole once (no index finds their NULL rows): at 20 M
# marks, a scan of each of the three, not a rewrite (only the NULL rows are written).
BACKFILL = """
UPDATE course_units u SET university_id = p.university_id
FROM (SELECT c.course_unit_id,
             COALESCE(ejournal_university_of(c.faculty_id), ejournal_university_of(c.department_id))
                 AS university_id
      FROM course_units c WHERE c.university_id IS NULL) p
WHERE u.course_unit_id = p.course_unit_id AND p.university_id IS NOT NULL;
UPDATE enrollments e SET university_id = ejournal_university_of(e.group_id)
WHERE e.university_id IS NULL AND ejournal_university_of(e.group_id) IS NOT NULL;
"""
for table in ("lessons", "control_events"):
    BACKFILL += (
        f"UPDATE {table} r SET university_id = u.university_id FROM course_units u"
        " WHERE r.course_unit_id = u.course_unit_id AND r.university_id IS NULL"
        " AND u.university_id IS NOT NULL;\n"
    )
for table in (
    "journal_teachers", "sections", "columns", "chain_heads", "checkins", "reopen_grants",
    "reopen_grant_log", "disputes", "statements", "marks", "attendance", "history",
):  # fmt: skip
    BACKFILL += (
        f"UPDATE {table} r SET university_id = j.university_id FROM journals j"
        " WHERE r.journal_id = j.journal_id AND r.university_id IS NULL AND j.university_id IS NOT NULL;\n"
    )
BACKFILL += """
UPDATE statements r SET university_id = u.university_id FROM course_units u
WHERE r.course_unit_id = u.course_unit_id AND r.university_id IS NULL AND u.university_id IS NOT NULL;
UPDATE dispute_messages m SET university_id = d.university_id FROM disputes d
WHERE m.dispute_id = d.dispute_id AND m.university_id IS NULL AND d.university_id IS NOT NULL;
UPDATE substitutions s SET university_id = j.university_id FROM journals j
WHERE j.journal_id = s.journal_ids[1] AND s.university_id IS NULL AND j.university_id IS NOT NULL;
UPDATE statement_counters c SET university_id = (
    SELECT j.university_id FROM journals j
    WHERE j.term_id::text = c.term_id AND j.university_id IS NOT NULL LIMIT 1)
WHERE c.university_id IS NULL;
"""


def upgrade() -> None:
    op.execute(ONLY_ROUTED)
    op.execute(GUARDS)
    op.execute(UNROUTED_INDEXES)
    op.execute(ROUTE_JOURNAL)
    op.execute(ROUTE_UNITS)
    op.execute(BACKFILL)


def downgrade() -> None:
    raise NotImplementedError("the journal's record is never migrated down")
