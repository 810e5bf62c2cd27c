"""All of reporting's tables on one metadata (what Alembic and the rebuild see)."""

from __future__ import annotations

from sqlalchemy import Index

from services.reporting.adapters import ops_tables, read_models, workflow_models
from services.reporting.adapters.tables import inbox, metadata, outbox

READ_MODEL_TABLES = (
    read_models.person,
    read_models.role,
    read_models.course_unit,
    read_models.term,
    read_models.structure_unit,
    read_models.enrollment,
    read_models.lesson,
    read_models.teaching_load,
    read_models.journal,
    read_models.section,
    read_models.mark,
    read_models.attendance,
    read_models.statement,
    read_models.reopen_grant,
    read_models.dispute,
    workflow_models.reopen_case,
    workflow_models.reopen_step,
    workflow_models.sanction,
    workflow_models.corrective_measure,
    workflow_models.journal_check,
    workflow_models.ungraded_day,
)

__all__ = ["READ_MODEL_TABLES", "inbox", "metadata", "ops_tables", "outbox"]


def _index_waiting_rows() -> None:
    """Each table with a university has a partial index of the rows still waiting for it (migration
    0007): the pass that fills them when their structure arrives reads only those."""
    for table in metadata.tables.values():
        if "university_id" in table.c:
            key = next(iter(table.primary_key.columns))
            Index(
                f"ix_{table.name}_university_waiting", key, postgresql_where=table.c.university_id.is_(None)
            )


_index_waiting_rows()
