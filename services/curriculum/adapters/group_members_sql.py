"""A group's members on a date and what deciding who may read them needs, in one pipelined round trip
(ListGroupMembers: every grid the portal opens waits for these names).

The caller decides access from the first statement's row before anything read here leaves the service;
a refused caller's members are read and dropped, which costs a refusal a little and saves every allowed
read a round trip (the gradebook's grid read does the same: docs/perf/README.md, "Grid reads"). The
connection is in autocommit mode (`ejournal_platform.db.ExplicitTransaction`): the two statements run
in the implicit transaction of the pipeline's one sync, each with its own snapshot, as the unit of
work's READ COMMITTED transaction gave them; there is no BEGIN or ROLLBACK to wait for.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import psycopg

from services.curriculum.adapters.group_access_repo import GroupAccess, group_access_row, queue_group_access
from services.curriculum.domain.contingent import GroupMember

# Only what a member is answered with (GroupMember), ids as text straight from PostgreSQL.
_MEMBERS = """
SELECT p.student_id::text, p.subgroup_id::text, p.valid_from, m.order_number, m.order_date, m.student_name
FROM placements p JOIN movements m ON m.id = p.opened_by
WHERE p.group_id = %b AND p.valid_from <= %b AND (p.valid_until IS NULL OR p.valid_until > %b){subgroup}
ORDER BY lower(m.student_name), p.student_id
"""
# Two texts rather than "(%b IS NULL OR ...)": each keeps a plan of its own once psycopg prepares it.
MEMBERS = _MEMBERS.format(subgroup="")
SUBGROUP_MEMBERS = _MEMBERS.format(subgroup=" AND p.subgroup_id = %b")


async def read_group_members(
    conn: psycopg.AsyncConnection[Any], group_id: uuid.UUID, on: date, subgroup_id: uuid.UUID | None
) -> tuple[GroupAccess | None, list[GroupMember]]:
    """The group's access row (None: no such group) and its members on `on` (of the subgroup, when
    given), ordered by name, in one round trip."""
    access, members = conn.cursor(binary=True), conn.cursor(binary=True)
    async with access, members:
        async with conn.pipeline():
            await queue_group_access(access, group_id)
            if subgroup_id is None:
                await members.execute(MEMBERS, (group_id, on, on))
            else:
                await members.execute(SUBGROUP_MEMBERS, (group_id, on, on, subgroup_id))
        found = await group_access_row(access, group_id)
        rows = await members.fetchall()
    return found, [GroupMember(*row) for row in rows]
