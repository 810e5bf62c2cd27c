"""Tenancy (issue 18): every row that belongs to a university carries `university_id`.

A shared deployment sharded by university (docs/scale.md) needs the key in the row itself, not only
reachable through a parent. Tables whose rows are a university's either own the column as a fact of
the row (identity's `people`, curriculum's `faculties`, subscribers' `subscribers`…) or carry a copy of
their parent's, which the database fills:

- `add_derived_university_id` (a migration step) adds the column, backfills it from the parent rows,
  installs a `BEFORE INSERT` trigger that fills it from the parent when an insert leaves it out (so
  every insert path fills it, bulk imports and raw SQL included, without each caller knowing the
  university), and makes it NOT NULL where a row always has a parent that knows its university.
- The models declare the column with `server_default=FetchedValue()`, so SQLAlchemy leaves it out of
  INSERTs and the trigger fills it.

The tables that belong to no university are listed with the reason in `NOT_UNIVERSITY_TABLES` (the
one place); tests/contract/test_tenancy.py fails for a table that neither has `university_id` nor is
listed there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

UNIVERSITY_ID = "university_id"

# The services whose tables are held to the rule by tests/contract/test_tenancy.py: all that have tables.
COVERED_SERVICES = ("identity", "curriculum", "notifier", "reporting", "subscribers", "gradebook", "workflow")

_EVENT_TABLES = {
    "outbox": "events on their way to NATS: the event names its subject, pruned after 7 days; a "
    "shared deployment publishes per university by the payload, not by this row",
    "inbox": "ids of events already consumed (deduplication only), pruned like the outbox",
}

NOT_UNIVERSITY_TABLES: Mapping[str, Mapping[str, str]] = {
    "identity": {
        **_EVENT_TABLES,
        "signing_keys": "the deployment's token-signing keys: every service verifies every caller's "
        "token with the same keys, whatever the caller's university",
    },
    "curriculum": {
        **_EVENT_TABLES,
        "universities": "the tenants themselves: the row's own id is the university",
    },
    "notifier": {**_EVENT_TABLES},
    "reporting": {
        **_EVENT_TABLES,
        "backup_record": "a backup of the whole deployment's reporting database (KZ-16), not of one "
        "university",
    },
    "subscribers": {
        **_EVENT_TABLES,
        "anchors": "the structure tree events are routed by: a row's university is what walking "
        "parent_id finds, and rows arrive before their parents (events are parked until then)",
        "parked": "events whose university is not known yet (their structure has not arrived): "
        "routed, and so given a university, when it does",
    },
    "gradebook": {
        **_EVENT_TABLES,
        "names": "the structure tree (and people's printable names) rows are placed by: a unit's "
        "university is what walking parent_id finds (ejournal_university_of), and units arrive before "
        "their parents; a person's name is printed in whichever university's statements name them",
        "idempotency_keys": "a caller's stored replies by (subject, operation, key): deduplication of "
        "calls, like the inbox's of events; it is read by the caller's key before the journal (and so "
        "its university) is known, so it is routed by the caller (subject), not by a university",
    },
    "workflow": {
        **_EVENT_TABLES,
        "effects": "keys of side effects done once (a reminder sent, a check reported), deduplication "
        "like the inbox: the key names what it was done for, the row itself is no university's fact",
    },
}


@dataclass(frozen=True)
class Derived:
    """A table whose `university_id` is its parent's.

    `source` is an SQL expression of the university with `{row}` standing for the table's row (a
    scalar subquery on the parent, usually); `not_null` when every row has a parent that knows it;
    `on_update` when a later update may name the parent (projections that learn it late).
    """

    table: str
    source: str
    not_null: bool = True
    on_update: bool = False
    index: bool = False


def trigger_function_sql(
    derived: Derived, column_type: str, waits_for: tuple[tuple[str, str], ...] = ()
) -> str:
    """The BEFORE trigger's function. `waits_for` names the parents a row may wait for, as (the parent's
    table, the row's column naming it): a row that finds no university takes a shared lock on each
    (`anchor_lock_sql`) and asks once more, so a parent being placed by a concurrent transaction is
    either seen now or, committed after, fills this row itself (its exclusive lock waits for ours)."""
    source = f"({derived.source.format(row='NEW')})::{column_type}"
    locks = "".join(
        f"\n            PERFORM {anchor_lock_sql(anchor, f'NEW.{column}', shared=True)};"
        for anchor, column in waits_for
    )
    retry = (
        f"""
        IF NEW.university_id IS NULL THEN{locks}
            NEW.university_id := {source};
        END IF;"""
        if waits_for
        else ""
    )
    return f"""
CREATE OR REPLACE FUNCTION {derived.table}_fill_university_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.university_id IS NULL THEN
        NEW.university_id := {source};{retry}
    END IF;
    RETURN NEW;
END $$"""


def anchor_lock_sql(anchor: str, key: str, *, shared: bool) -> str:
    """A transaction-scoped advisory lock on one parent row's key, whether or not the row exists yet.

    Under READ COMMITTED a child inserted beside its parent's uncommitted insert sees no parent, and
    the parent's fill of its waiting children sees no child: both commit and the child waits for ever.
    Children take the lock shared and parents exclusive, so one of the two waits for the other's commit
    and then sees it. (A NULL key takes no lock: the lock functions are strict.)"""
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    return f"{function}(hashtext('{anchor}'), hashtext({key}))"


def add_derived_university_id(derived: Derived, column_type: str = "text") -> None:
    """Migration step: add, backfill, fill on insert (a trigger), then NOT NULL where it always has one.

    The backfill runs with the table's own triggers off (append-only tables refuse UPDATE even to
    their owner's migrations otherwise); migrations run as the owner role, who may do that.
    """
    from alembic import op

    table = derived.table
    op.execute(f"ALTER TABLE {table} ADD COLUMN university_id {column_type}")
    op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    op.execute(f"UPDATE {table} AS r SET university_id = ({derived.source.format(row='r')})::{column_type}")
    op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    op.execute(trigger_function_sql(derived, column_type))
    events = "INSERT OR UPDATE" if derived.on_update else "INSERT"
    # The WHEN clause is checked before the function is called: an insert that supplies the university
    # (the gradebook's hot write path does) costs no function call at all.
    op.execute(
        f"CREATE TRIGGER {table}_fill_university_id BEFORE {events} ON {table} "
        f"FOR EACH ROW WHEN (NEW.university_id IS NULL) EXECUTE FUNCTION {table}_fill_university_id()"
    )
    if derived.not_null:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN university_id SET NOT NULL")
    if derived.index:
        op.execute(f"CREATE INDEX ix_{table}_university_id ON {table} (university_id)")


def drop_derived_university_id(table: str) -> None:
    from alembic import op

    op.execute(f"DROP TRIGGER IF EXISTS {table}_fill_university_id ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {table}_fill_university_id()")
    op.execute(f"ALTER TABLE {table} DROP COLUMN university_id")
