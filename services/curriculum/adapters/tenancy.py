"""Lists read only the caller's universities (issue 18).

A caller's grants name units of the structure (a registrar's university, a dean's faculty, a head's
department, a curator's group, a teacher's discipline, a student or parent's student); every table
carries its university (migration 0007), so a list is limited in its query to the universities those
units lie in. A service identity (a grant over "*") is not limited.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, select, true, union_all
from sqlalchemy.orm import InstrumentedAttribute

from ejournal_platform.authz import ANY_SCOPE_ID
from ejournal_platform.context import Principal
from services.curriculum.adapters.models import (
    CourseUnit,
    Department,
    Faculty,
    Group,
    Placement,
    Specialty,
    Subgroup,
    University,
)


def _ids(values: set[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def callers_universities(principal: Principal) -> Select[Any] | None:
    """The universities the caller's grants lie in, as a subquery; None: every one."""
    if principal.is_service or any(g.scope_id == ANY_SCOPE_ID for g in principal.roles):
        return None
    ids = _ids({g.scope_id for g in principal.roles})
    sources = [
        select(University.id.label("university_id")).where(University.id.in_(ids)),
        *(
            select(model.university_id).where(model.id.in_(ids))
            for model in (Faculty, Department, Specialty, Group, Subgroup, CourseUnit)
        ),
        select(Placement.university_id).where(Placement.student_id.in_(ids)),
    ]
    return select(union_all(*sources).subquery().c.university_id)


def of_callers(
    column: ColumnElement[Any] | InstrumentedAttribute[Any], principal: Principal
) -> ColumnElement[bool]:
    universities = callers_universities(principal)
    return true() if universities is None else column.in_(universities)
