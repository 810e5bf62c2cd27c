"""The demo data of both profiles loads, keeps its letters, and a second run changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from ejournal_platform.testing.fixtures import Databases
from services.curriculum.adapters import tables
from services.curriculum.adapters.models import (
    AuditEntry,
    ControlEvent,
    CourseUnit,
    Group,
    Lesson,
    LessonPlan,
    Movement,
    Placement,
    Subgroup,
    TeachingLoad,
    University,
)
from services.curriculum.entrypoints.demo_data import demo_logins
from services.curriculum.entrypoints.seed import demo_scope_ids, seed_demo

pytestmark = pytest.mark.integration


async def counts(url: str) -> dict[str, int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = {}
            for model in (
                University,
                Group,
                Subgroup,
                Movement,
                Placement,
                CourseUnit,
                TeachingLoad,
                Lesson,
                LessonPlan,
                ControlEvent,
                AuditEntry,
            ):
                found[model.__tablename__] = int(
                    await conn.scalar(select(func.count()).select_from(model)) or 0
                )
            found["outbox"] = int(await conn.scalar(select(func.count()).select_from(tables.outbox)) or 0)
            found["kz names"] = int(
                await conn.scalar(
                    select(func.count())
                    .select_from(Movement)
                    .where(Movement.student_name.regexp_match("[әғқңөұүһі]"))
                )
                or 0
            )
            return found
    finally:
        await engine.dispose()


async def test_demo_seed_is_idempotent(databases: Databases) -> None:
    url = databases.fresh("curriculum")
    await seed_demo(url, today=date(2026, 11, 23))
    first = await counts(url)
    assert first["universities"] == 2 and first["groups"] == 5 and first["subgroups"] == 4
    assert first["placements"] == 75 + 24 + 22
    # kz: a discipline, an integrated discipline with 3 blocks, a module with 2 modular disciplines; kg: 2
    assert first["course_units"] == 1 + (1 + 3) + (1 + 2) + 2
    assert first["teaching_loads"] > 0 and first["lessons"] > 100 and first["lesson_plans"] == 3
    assert first["control_events"] > 30 and first["kz names"] > 50
    await seed_demo(url, today=date(2026, 11, 23))
    assert await counts(url) == first
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        stored = {str(i) for i in (await conn.scalars(select(Group.id))).all()}
        stored |= {str(i) for i in (await conn.scalars(select(University.id))).all()}
    await engine.dispose()
    scopes = demo_scope_ids(date(2026, 11, 23))
    assert {scopes[k] for k in ("kz-kaznmu", "kg-jasu", "kz-grp-med-101", "kg-grp-math-21")} <= stored


def test_demo_logins_are_unique_and_named_in_their_letters() -> None:
    people = demo_logins()
    assert len({p.login for p in people}) == len(people)
    names = " ".join(p.full_name for p in people)
    for letter in "әғқңөұүіӨҢҮ":
        if letter.islower():
            assert letter in names.lower(), letter
