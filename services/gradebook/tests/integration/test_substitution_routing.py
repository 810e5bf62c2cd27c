"""A substitution named by course unit only (no journal) learns its university when its course unit
does (issue 18, migration 0011_unit_routes_substitutions). Until 0011 only the journal's routing
filled substitutions, so one for a unit not placed yet kept NULL for ever. Played one after the other,
in a race with the structure (both orders, as test_routing_races does), and on a database that already
holds such a row (the migration's backfill). Each is also played on 0010's schema, where it stays NULL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from google.protobuf.message import Message

from deploy.ops.unrouted import unrouted
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.migrations import upgrade
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.tests.integration.test_routing_races import admin_rows, race, structure_of
from services.gradebook.tests.world import World, new_id, world

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
BEFORE = "0010_routing_locks_parent"


@pytest.fixture
async def old(databases: Databases) -> AsyncIterator[World]:
    """A gradebook on migration 0010's schema, where no course unit routes its substitutions."""
    url = databases.migrated_to("gradebook", BEFORE)
    async with world(url, databases.admin_url(url)) as found:
        yield found


def unit_only_substitution(teacher_id: str, department_id: str, course_unit_id: str) -> Message:
    """Identity's appointment of a substitute for a course unit, naming no journal."""
    today = date.today()
    return idn.SubstitutionAppointed(
        substitution_id=new_id(), absent_teacher_id=teacher_id, substitute_id=new_id(),
        department_id=department_id, course_unit_ids=[course_unit_id],
        starts_on=(today - timedelta(days=1)).isoformat(), ends_on=(today + timedelta(days=5)).isoformat(),
        protocol_number="7", protocol_date=today.isoformat(), appointed_by=new_id(), reason="ауырып қалды",
    )  # fmt: skip


async def substitutions_university(w: World) -> list[tuple[object, ...]]:
    return await admin_rows(w, "SELECT university_id::text FROM substitutions")


async def substituted_before_the_structure(w: World) -> str:
    """An unplaced journal's course unit gets a unit-only substitution; then its structure arrives."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    j = await w.journal(faculty_id=faculty, department_id=department, group_id=group)
    await w.apply(unit_only_substitution(j.teacher_id, department, j.course_unit_id))
    assert await substitutions_university(w) == [(None,)]  # it waits for its unit
    for message in structure_of(university, faculty, department, group):
        await w.apply(message)
    return university


async def test_a_unit_only_substitution_learns_its_university_with_its_unit(w: World) -> None:
    university = await substituted_before_the_structure(w)
    assert await substitutions_university(w) == [(university,)]
    assert unrouted("gradebook", w.admin_url) == []


async def test_on_0010_the_unit_only_substitution_waits_for_ever(old: World) -> None:
    await substituted_before_the_structure(old)
    assert await substitutions_university(old) == [(None,)]
    assert [u.table for u in unrouted("gradebook", old.admin_url)] == ["substitutions"]


async def substituted_while_the_structure_arrives(w: World, *, structure_first: bool) -> str:
    """The unit-only substitution and the structure that places its unit, applied by two consumers at
    once: the first's transaction stays open until the second has finished or waits for a lock."""
    university, faculty, department, group = new_id(), new_id(), new_id(), new_id()
    j = await w.journal(faculty_id=faculty, department_id=department, group_id=group)
    substitution = [unit_only_substitution(j.teacher_id, department, j.course_unit_id)]
    structure = structure_of(university, faculty, department, group)
    await race(w, *((structure, substitution) if structure_first else (substitution, structure)))
    return university


@pytest.mark.parametrize("structure_first", [False, True], ids=["substitution-first", "structure-first"])
async def test_a_unit_only_substitution_stored_while_its_unit_is_placed_is_routed(
    w: World, structure_first: bool
) -> None:
    university = await substituted_while_the_structure_arrives(w, structure_first=structure_first)
    assert await substitutions_university(w) == [(university,)]
    assert unrouted("gradebook", w.admin_url) == []


async def test_on_0010_the_substitution_committed_first_is_missed(old: World) -> None:
    """Substitution first: the routing waits for its commit (0010's key) and then has nothing that
    fills substitutions by unit. (Structure first is routed by 0010's fill, which waits and reads again.)"""
    await substituted_while_the_structure_arrives(old, structure_first=False)
    assert await substitutions_university(old) == [(None,)]


def test_the_migration_routes_the_substitutions_that_waited_before_it(databases: Databases) -> None:
    url = databases.migrated_to("gradebook", BEFORE)
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    unit, faculty, university, substitution = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    waiting = "SELECT university_id FROM substitutions"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO course_units (course_unit_id, term_id, kind, title, faculty_id)"
            " VALUES (%s, gen_random_uuid(), 'discipline', 'D', %s)",
            (unit, faculty),
        )
        conn.execute(
            "INSERT INTO substitutions (substitution_id, absent_teacher_id, substitute_id, course_unit_ids,"
            " starts_on, ends_on) VALUES (%s, gen_random_uuid(), gen_random_uuid(), %s, now(), now())",
            (substitution, [unit]),
        )
        conn.execute(
            "INSERT INTO names (name_id, kind, title, parent_id, defined_at)"
            " VALUES (%s, 'faculty', 'F', %s, now())",
            (faculty, university),
        )  # the unit learns its university; under 0010 the substitution does not
        assert conn.execute("SELECT university_id FROM course_units").fetchone() == (university,)
        assert conn.execute(waiting).fetchone() == (None,)
    upgrade(MIGRATIONS, url)
    with psycopg.connect(plain, autocommit=True) as conn:
        assert conn.execute(waiting).fetchone() == (university,)
