"""The demo data of both profiles loads, keeps its letters, agrees with the demo university identity's
seed reads (same unit ids, same people), and a second run changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from deploy.demo import university as demo
from deploy.demo.seed.curriculum import seed_demo
from ejournal_platform.testing.fixtures import Databases
from services.curriculum.adapters import tables
from services.curriculum.adapters.models import (
    AuditEntry,
    ControlEvent,
    CourseUnit,
    Department,
    Faculty,
    Group,
    Lesson,
    LessonPlan,
    LessonPlanItem,
    Movement,
    Placement,
    PlanUploader,
    Specialty,
    Subgroup,
    TeachingLoad,
    University,
)

pytestmark = pytest.mark.integration
DAY = date(2026, 11, 23)


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
            for language, letters in (("kk", "[әғқңөұүһі]"), ("ky", "[ңөү]")):
                found[f"{language} names"] = int(
                    await conn.scalar(
                        select(func.count())
                        .select_from(Movement)
                        .where(Movement.student_name.regexp_match(letters))
                    )
                    or 0
                )
            return found
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def seeded(databases: Databases) -> str:
    url = databases.fresh("curriculum")
    await seed_demo(url, today=DAY)
    return url


async def test_demo_seed_is_idempotent(seeded: str) -> None:
    first = await counts(seeded)
    assert first["universities"] == 2 and first["groups"] == 7 and first["subgroups"] == 4
    assert first["placements"] == sum(len(g.students) for g in demo.GROUPS) == 145
    # kz: a discipline, an integrated discipline with 3 blocks, a module with 2 modular disciplines,
    # pharmaceutical chemistry; kg: analysis, programming, pedagogy
    assert first["course_units"] == 1 + (1 + 3) + (1 + 2) + 1 + 3
    # kz: 3 groups x (lecture, practical, 3 blocks, 2 modular) + pharmacy's 2; kg: 2 groups x (2 lectures,
    # 2 per subgroup x 2 subgroups) + pedagogy's 2
    assert first["teaching_loads"] == 3 * (2 + 3 + 2) + 2 + 2 * (2 + 2 * 2) + 2
    assert first["lessons"] > 200 and first["lesson_plans"] == 3
    assert first["control_events"] > 40 and first["kk names"] > 50 and first["ky names"] > 20
    await seed_demo(seeded, today=DAY)
    assert await counts(seeded) == first


async def test_every_demo_unit_has_the_id_identity_scopes_roles_by(seeded: str) -> None:
    engine = create_async_engine(seeded)
    async with engine.connect() as conn:
        stored = set()
        for model in (University, Faculty, Department, Specialty, Group):
            stored |= {str(i) for i in (await conn.scalars(select(model.id))).all()}
    await engine.dispose()
    assert set(demo.structure_ids(DAY).values()) <= stored
    # Every scope of every demo role is a unit curriculum keeps (or a demo student, for student scopes).
    students = {s.id for g in demo.GROUPS for s in g.students}
    for person in demo.people():
        for _, scope_type, scope_id in demo.roles(person, DAY):
            assert scope_id in (students if scope_type == "student" else stored), (person.login, scope_type)


async def test_every_person_curriculum_refers_to_is_a_demo_account(seeded: str) -> None:
    accounts = {person.id: person for person in demo.people()}
    engine = create_async_engine(seeded)
    async with engine.connect() as conn:
        referred = {
            str(i)
            for column in (
                Placement.student_id,
                TeachingLoad.teacher_id,
                Lesson.teacher_id,
                LessonPlanItem.teacher_id,
                PlanUploader.person_id,
            )
            for i in (await conn.scalars(select(column).distinct())).all()
        }
        names = {str(i): n for i, n in await conn.execute(select(Movement.student_id, Movement.student_name))}
        teachers = {str(i) for i in (await conn.scalars(select(TeachingLoad.teacher_id).distinct())).all()}
    await engine.dispose()
    assert referred - set(accounts) == set()
    # Students carry the names their accounts have, letters and all.
    assert names == {s.id: s.name.full for g in demo.GROUPS for s in g.students}
    # Every demo teacher teaches something.
    demo_teachers = {p.id for p in demo.STAFF if any(g.role == "teacher" for g in p.grants)}
    assert demo_teachers <= teachers


def test_demo_people_are_unique_and_named_in_their_letters() -> None:
    people = demo.people()
    assert len({p.login for p in people}) == len(people)
    assert len({p.id for p in people}) == len(people)
    names = " ".join(p.full_name for p in people).lower()
    for letter in "әғқңөұүһі":
        assert letter in names, letter
