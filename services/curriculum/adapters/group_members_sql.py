"""A group's members on a date and what deciding who may read them needs, in one statement
(ListGroupMembers: every grid the portal opens waits for these names).

The caller decides access from the row's head (group_access_repo's columns) before anything read here
leaves the service; a refused caller's members are read and dropped, which costs a refusal a little and
saves every allowed read a round trip (the gradebook's grid read does the same: docs/perf/README.md,
"Grid reads"). The members travel as one array per field, all in the same order, so the answer is one
row: a missing group is no row at all, a group with nobody in it NULL arrays. The connection is in
autocommit mode (`ejournal_platform.db.ExplicitTransaction`): the statement runs in a transaction of
its own, as the unit of work's READ COMMITTED transaction gave it a snapshot of its own; there is no
BEGIN or ROLLBACK to wait for.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import psycopg

from services.curriculum.adapters.group_access_repo import (
    ACCESS_COLUMNS,
    ACCESS_COUNT,
    ACCESS_FROM,
    GroupAccess,
    access_of,
)
from services.curriculum.domain.contingent import GroupMember

# One ORDER BY for every array (PostgreSQL sorts the members once for all of them); GroupMember's fields.
_BY_NAME = "ORDER BY lower(m.student_name), p.student_id"
_FIELDS = ("p.student_id::text", "p.subgroup_id::text", "p.valid_from", "m.order_number", "m.order_date",
           "m.student_name")  # fmt: skip
_MEMBERS = (
    "SELECT "
    + ", ".join(f"array_agg({field} {_BY_NAME})" for field in _FIELDS)
    + """
    FROM placements p JOIN movements m ON m.id = p.opened_by
    WHERE p.group_id = g.id AND p.valid_from <= %b AND (p.valid_until IS NULL OR p.valid_until > %b)"""
)


def _statement(members: str) -> str:
    lateral = f"CROSS JOIN LATERAL ({members}) AS members"
    return f"SELECT {ACCESS_COLUMNS}, members.*\n{ACCESS_FROM}\n{lateral}\nWHERE g.id = %b"


# Two texts rather than "(%b IS NULL OR ...)": each keeps a plan of its own once psycopg prepares it.
MEMBERS = _statement(_MEMBERS)
SUBGROUP_MEMBERS = _statement(_MEMBERS + " AND p.subgroup_id = %b")


async def read_group_members(
    conn: psycopg.AsyncConnection[Any], group_id: uuid.UUID, on: date, subgroup_id: uuid.UUID | None
) -> tuple[GroupAccess | None, list[GroupMember]]:
    """The group's access (None: no such group) and its members on `on` (of the subgroup, when given),
    ordered by name, in one statement."""
    async with conn.cursor(binary=True) as cursor:
        if subgroup_id is None:
            await cursor.execute(MEMBERS, (on, on, group_id))
        else:
            await cursor.execute(SUBGROUP_MEMBERS, (on, on, subgroup_id, group_id))
        row = await cursor.fetchone()
    if row is None or row[ACCESS_COUNT] is None:  # no such group, or nobody in it on that date
        return access_of(row, group_id), []
    return access_of(row, group_id), [
        GroupMember(*fields) for fields in zip(*row[ACCESS_COUNT:], strict=True)
    ]
