"""The outbox and the inbox are partitioned by week of the event's time (RANGE on `occurred_at`).

Neither table has a term: time is what makes their pruning cheap. A week whose events are all older
than the keep period is one DROP TABLE instead of millions of DELETEs and the vacuum after them
(issues 18, 19; docs/scale.md "Partitions").

- Partitions are made ahead of need: `ejournal_event_partitions()` makes this week's and the next two
  weeks' (and the DEFAULT partition once); the relay runs it with its hourly pruning. Given a time
  (`p_from`), it makes that week's: the migration does so for the weeks of the rows it copies. An
  event whose time falls in no week partition (a clock far off, a relay down for weeks) lands in the
  DEFAULT partition, so an insert never fails; when that week's partition is made later, its rows
  move over.
- `ejournal_prune_event_partitions(keep)` drops a week partition whose whole week is older than
  `keep`, but never an outbox week that still holds an unpublished row, nor an inbox week with an id
  processed within `keep` (an event consumed late): there, and in the DEFAULT partition, it DELETEs
  the old rows instead, as the unpartitioned tables were pruned.
- Both functions are SECURITY DEFINER, owned by the service's owner role; the service role may only
  execute them: it creates or drops no table itself, and has no right on a partition (it reaches
  the rows through the parent, where its rights are checked).

Frozen as version 1 (the service migrations `00NN_outbox_partitions` install it; a later change
needs a migration of its own). `install_on_create` gives tables made by `metadata.create_all`
(platform tests, benchmarks) the same partitions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event, text

# The service role's rights on a new partition (the owner's default privileges give it table rights)
# are taken back, like gradebook's term partitions (migration 0007 there).
_REVOKE_FROM_OTHERS = """
        FOR grantee IN
            SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
            FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = ('public.' || part)::regclass AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('REVOKE ALL ON public.%I FROM %s', part, grantee);
        END LOOP;"""

# lock_timeout: a busy moment (the relay holding its batch while JetStream acks) makes the step wait
# at most a second, and queue the service's writes behind it no longer; it is tried again next hour.
PARTITIONS_AHEAD_V1 = (
    """
CREATE OR REPLACE FUNCTION ejournal_event_partitions(
    p_weeks_ahead integer DEFAULT 2, p_from timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET TimeZone = 'UTC' SET lock_timeout = '1s' AS $$
DECLARE
    parent text;
    week timestamptz;
    part text;
    grantee text;
    made integer := 0;
BEGIN
    FOREACH parent IN ARRAY ARRAY['outbox', 'inbox'] LOOP
        CONTINUE WHEN to_regclass('public.' || parent) IS NULL;
        part := parent || '_default';
        IF to_regclass('public.' || part) IS NULL THEN  -- once, when the table is made
            EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I DEFAULT', part, parent);"""
    + _REVOKE_FROM_OTHERS
    + """
        END IF;
        FOR ahead IN 0..p_weeks_ahead LOOP
            week := date_trunc('week', p_from) + make_interval(weeks => ahead);
            part := parent || '_w' || to_char(week, 'YYYYMMDD');
            CONTINUE WHEN to_regclass('public.' || part) IS NOT NULL;  -- the usual case: one lookup
            PERFORM pg_advisory_xact_lock(hashtextextended('ejournal_event_partitions', 0));
            CONTINUE WHEN to_regclass('public.' || part) IS NOT NULL;  -- made while we waited
            BEGIN
                -- Made apart, then attached: ATTACH takes only a SHARE UPDATE EXCLUSIVE lock on the
                -- parent (writes go on); rows of that week already in the DEFAULT partition move first.
                EXECUTE format('CREATE TABLE public.%I '
                               '(LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
                EXECUTE format('WITH moved AS (DELETE FROM public.%I '
                               'WHERE occurred_at >= %L AND occurred_at < %L RETURNING *) '
                               'INSERT INTO public.%I SELECT * FROM moved',
                               parent || '_default', week, week + interval '1 week', part);
                EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I '
                               'FOR VALUES FROM (%L) TO (%L)',
                               parent, part, week, week + interval '1 week');"""
    + _REVOKE_FROM_OTHERS
    + """
                made := made + 1;
            EXCEPTION WHEN lock_not_available THEN
                -- The DEFAULT partition holds that week's rows meanwhile.
                RAISE NOTICE 'partition % waits for a quieter moment', part;
            END;
        END LOOP;
    END LOOP;
    RETURN made;
END $$;
REVOKE ALL ON FUNCTION ejournal_event_partitions(integer, timestamptz) FROM PUBLIC;
"""
)

# Deletes first, drops last. A drop needs the parent's ACCESS EXCLUSIVE lock, held to the commit, so
# the drops come after every DELETE; the lock is taken before a week's last check (in the order inserts
# lock: parent, then partition — no deadlock with a writer), so no unpublished row can slip into a week
# between its check and its drop. A week found still needed under the lock is left for the next run.
PRUNE_V1 = """
CREATE OR REPLACE FUNCTION ejournal_prune_event_partitions(
    p_keep interval, OUT partitions_dropped integer, OUT rows_deleted bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET TimeZone = 'UTC' SET lock_timeout = '1s' AS $$
DECLARE
    cutoff timestamptz := now() - p_keep;
    part record;
    droppable text[] := '{}';
    week_part text;
    n bigint;
BEGIN
    partitions_dropped := 0;
    rows_deleted := 0;
    FOR part IN
        SELECT p.relname::text AS parent, c.relname::text AS name,
               c.relname::text = p.relname::text || '_default' AS is_default,
               CASE WHEN c.relname::text ~ ('^' || p.relname::text || '_w[0-9]{8}$') THEN
                   to_timestamp(right(c.relname::text, 8), 'YYYYMMDD') + interval '1 week' END AS week_end
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relnamespace = 'public'::regnamespace AND p.relname IN ('outbox', 'inbox')
        ORDER BY c.relname
    LOOP
        CONTINUE WHEN NOT part.is_default AND (part.week_end IS NULL OR part.week_end > cutoff);
        IF NOT part.is_default AND NOT ejournal_event_week_needed(part.parent, part.name, cutoff) THEN
            droppable := droppable || part.name;
            CONTINUE;
        END IF;
        -- The DEFAULT partition, or a week still needed: its old rows go one by one.
        IF part.parent = 'outbox' THEN
            EXECUTE format('DELETE FROM public.%I WHERE published_at < %L', part.name, cutoff);
        ELSE
            EXECUTE format('DELETE FROM public.%I WHERE processed_at < %L', part.name, cutoff);
        END IF;
        GET DIAGNOSTICS n = ROW_COUNT;
        rows_deleted := rows_deleted + n;
    END LOOP;
    FOREACH week_part IN ARRAY droppable LOOP
        BEGIN
            EXECUTE format('LOCK TABLE public.%I IN ACCESS EXCLUSIVE MODE', split_part(week_part, '_w', 1));
            CONTINUE WHEN ejournal_event_week_needed(split_part(week_part, '_w', 1), week_part, cutoff);
            EXECUTE format('DROP TABLE public.%I', week_part);
            partitions_dropped := partitions_dropped + 1;
        EXCEPTION WHEN lock_not_available THEN
            RAISE NOTICE 'partition % is busy; it is pruned at the next run', week_part;
        END;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION ejournal_prune_event_partitions(interval) FROM PUBLIC;
"""

# Whether a week past the keep period must stay: an outbox week with an unpublished row (the relay's
# partial index answers), an inbox week with an id processed within the keep period (an event consumed
# late; the BRIN index on processed_at answers).
WEEK_NEEDED_V1 = """
CREATE OR REPLACE FUNCTION ejournal_event_week_needed(p_parent text, p_part text, p_cutoff timestamptz)
RETURNS boolean LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    needed boolean;
BEGIN
    IF p_parent = 'outbox' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE published_at IS NULL)', p_part)
            INTO needed;
    ELSE
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE processed_at >= %L)', p_part, p_cutoff)
            INTO needed;
    END IF;
    RETURN needed;
END $$;
REVOKE ALL ON FUNCTION ejournal_event_week_needed(text, text, timestamptz) FROM PUBLIC;
"""

FUNCTIONS_V1 = (PARTITIONS_AHEAD_V1, WEEK_NEEDED_V1, PRUNE_V1)
MAKE_PARTITIONS = "SELECT ejournal_event_partitions()"


def grant_functions_sql(role: str) -> list[str]:
    """What the service role may do to its event tables' partitions: ask for them, and nothing else."""
    return [
        f'GRANT EXECUTE ON FUNCTION ejournal_event_partitions(integer, timestamptz) TO "{role}"',
        f'GRANT EXECUTE ON FUNCTION ejournal_prune_event_partitions(interval) TO "{role}"',
    ]


def install_on_create(table: Table) -> None:
    """After `metadata.create_all` creates the partitioned parent, give it its partitions."""

    def after_create(target: Table, connection: Any, **_: Any) -> None:
        for statement in FUNCTIONS_V1:
            connection.execute(text(statement))
        connection.execute(text(MAKE_PARTITIONS))

    event.listen(table, "after_create", after_create)
