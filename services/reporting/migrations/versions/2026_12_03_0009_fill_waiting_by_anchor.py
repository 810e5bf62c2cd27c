"""a row waiting for its university is filled when the row it names arrives, and only then (issue 19)

Revision ID: 0009_fill_waiting_by_anchor
Revises: 0008_outbox_partitions
Create Date: 2026-12-03

Migration 0007's `rm_fill_waiting_universities` re-updated every waiting row of every table on each
statement on an anchor table (a structure unit, a person, a journal, a statement, a course unit, a reopen
case), whatever that statement touched. Rows whose structure never arrives (or arrives last, as in a
rebuild that replays the gradebook's stream beside the curriculum's) were updated again by every
batch, and two consumers doing so at once locked the same rows in different orders: PostgreSQL broke
the deadlock by failing one batch, which then fell back to one transaction per event.

Here each anchor's AFTER INSERT and AFTER UPDATE statement triggers see the rows the statement touched
(a transition table) and re-ask only the waiting rows that name one of them: a mark waits for its
journal, so a journal's statement fills that journal's marks and nothing else. The fill of an anchor's
own waiting rows (a journal whose faculty has just arrived) is an UPDATE on that anchor, whose trigger
then fills the rows waiting for those rows: a chain (faculty -> department -> group, or faculty ->
journal -> marks) is filled link by link, each step touching only the rows the step before touched.
Every row still gets its university whenever the parent it is derived from (0007's DERIVED) arrives:
those parents are exactly the anchors, and each DERIVED source is listed below by the column it names
the parent with.
"""

from alembic import op

revision = "0009_fill_waiting_by_anchor"
down_revision = "0008_outbox_partitions"
branch_labels = None
depends_on = None

# A chain is at most a few units deep (rm_university_of walks 8 levels) plus journal -> mark; the
# guard only stops a structure cycle (a unit its own ancestor) from recursing without end.
MAX_DEPTH = 16

# anchor (its key column) -> the waiting rows that name it: (table, the column naming the anchor's key).
WAITING_FOR = {
    ("rm_structure_unit", "unit_id"): (
        ("rm_structure_unit", "parent_id"),
        ("rm_person", "faculty_id"),
        ("rm_course_unit", "faculty_id"),
        ("rm_enrollment", "faculty_id"),
        ("rm_lesson", "group_id"),
        ("rm_teaching_load", "faculty_id"),
        ("rm_journal", "faculty_id"),
        ("rm_statement", "faculty_id"),
        ("rm_reopen_grant", "faculty_id"),
        ("rm_reopen_case", "faculty_id"),
        ("rm_sanction", "subject_id"),
        ("rm_corrective_measure", "scope_id"),
        ("rm_journal_check", "faculty_id"),
        ("rm_ungraded_day", "faculty_id"),
    ),
    ("rm_person", "person_id"): (
        ("rm_role", "person_id"),
        ("rm_sanction", "subject_id"),
        ("report_job", "requested_by"),
    ),
    ("rm_course_unit", "term_id"): (("rm_term", "term_id"),),
    ("rm_journal", "journal_id"): (
        ("rm_section", "journal_id"),
        ("rm_mark", "journal_id"),
        ("rm_attendance", "journal_id"),
        ("rm_dispute", "journal_id"),
        ("rm_corrective_measure", "scope_id"),
        ("archive_record", "item_id"),
    ),
    ("rm_statement", "statement_id"): (
        ("archive_record", "item_id"),
        ("signed_statement", "statement_id"),
        ("external_signature", "statement_id"),
    ),
    ("rm_reopen_case", "case_id"): (("rm_reopen_step", "case_id"),),
}

OLD_ANCHORS = (
    "rm_structure_unit",
    "rm_person",
    "rm_journal",
    "rm_statement",
    "rm_course_unit",
    "rm_reopen_case",
)


def _function(anchor: str, key: str, waiting: tuple[tuple[str, str], ...]) -> str:
    # Setting NULL again fires the waiting table's BEFORE UPDATE trigger (0007), which asks the parent.
    updates = "\n".join(
        f"    UPDATE {table} SET university_id = NULL"
        f" WHERE university_id IS NULL AND {column} IN (SELECT t.{key} FROM touched t);"
        for table, column in waiting
    )
    return f"""
CREATE FUNCTION {anchor}_fill_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > {MAX_DEPTH} OR NOT EXISTS (SELECT 1 FROM touched) THEN
        RETURN NULL;
    END IF;
{updates}
    RETURN NULL;
END $$"""


def upgrade() -> None:
    for anchor in OLD_ANCHORS:
        op.execute(f"DROP TRIGGER {anchor}_fill_waiting ON {anchor}")
    op.execute("DROP FUNCTION rm_fill_waiting_universities()")
    for (anchor, key), waiting in WAITING_FOR.items():
        op.execute(_function(anchor, key, waiting))
        # PostgreSQL allows a transition table on a one-event trigger only: one for each event.
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER {anchor}_fill_waiting_{event.lower()} AFTER {event} ON {anchor}"
                " REFERENCING NEW TABLE AS touched FOR EACH STATEMENT"
                f" EXECUTE FUNCTION {anchor}_fill_waiting()"
            )


# 0007's DERIVED tables, parents first (its one pass re-asked all of them).
DERIVED_0007 = (
    "rm_structure_unit", "rm_person", "rm_role", "rm_course_unit", "rm_term", "rm_enrollment", "rm_lesson",
    "rm_teaching_load", "rm_journal", "rm_section", "rm_mark", "rm_attendance", "rm_statement",
    "rm_reopen_grant", "rm_dispute", "rm_reopen_case", "rm_reopen_step", "rm_sanction",
    "rm_corrective_measure", "rm_journal_check", "rm_ungraded_day", "report_job", "archive_record",
    "signed_statement", "external_signature",
)  # fmt: skip


def downgrade() -> None:
    for anchor, _key in WAITING_FOR:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {anchor}_fill_waiting_{event} ON {anchor}")
        op.execute(f"DROP FUNCTION {anchor}_fill_waiting()")
    updates = "\n".join(
        f"    UPDATE {t} SET university_id = NULL WHERE university_id IS NULL;" for t in DERIVED_0007
    )
    op.execute(
        "CREATE FUNCTION rm_fill_waiting_universities() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        "    IF pg_trigger_depth() > 1 THEN\n        RETURN NULL;\n    END IF;\n"
        f"{updates}\n    RETURN NULL;\nEND $$"
    )
    for anchor in OLD_ANCHORS:
        op.execute(
            f"CREATE TRIGGER {anchor}_fill_waiting AFTER INSERT OR UPDATE ON {anchor}"
            " FOR EACH STATEMENT EXECUTE FUNCTION rm_fill_waiting_universities()"
        )
