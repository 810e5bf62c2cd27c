"""Reports read only the caller's universities (issue 18).

A caller's grants name structure units (a vice-rector's university, a dean's faculty, a head's
department, a curator's group); every read model carries its university (migration 0007), so a
report's rows are limited to the universities those units lie in, in the query itself. `units` None:
no limit (a service identity, whose grant covers everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY

# The same limit for the reports written as SQL text (queries_filling.Scope.sql): the units' own ids
# (a university grant names its university) and the universities the structure places them in.
WITHIN_SQL = (
    "{a}.university_id IN (SELECT unnest(CAST(:caller_units AS text[]))"
    " UNION SELECT rm_university_of(u) FROM unnest(CAST(:caller_units AS text[])) AS u)"
)


def within(column: ColumnElement[Any], units: Sequence[str] | None) -> ColumnElement[bool]:
    if units is None:
        return true()
    ids = literal(list(units), ARRAY(Text))
    unit = func.unnest(ids).column_valued("unit")
    return or_(column.in_(select(func.unnest(ids))), column.in_(select(func.rm_university_of(unit))))
