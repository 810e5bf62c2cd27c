"""PostgreSQL encodes a grid's mark cells (adapters/grid_cells_sql.py) exactly as grid_wire.mark_cells
does in Python: the same cells parse from both, for every varint length a value or version can take;
a student still gets only their own cells."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.testing.fixtures import Databases
from services.gradebook.adapters import grid_wire
from services.gradebook.adapters.grid_cells_sql import mark_cells_sql
from services.gradebook.tests.world import World

pytestmark = pytest.mark.integration

LONG = "қ" * 100  # 200 bytes: a two-byte length, and a cell longer than 127 bytes
CELLS = [
    (str(uuid.uuid4()), str(uuid.uuid4()), value, version)
    for value, version in (
        ("5", 1),
        ("н/б", 127),
        (None, 128),
        ("", 0),
        ("0", 16383),
        ("100", 16384),
        (LONG, 2**21),
        ("зч", 2**35 + 7),
        ("2", 2**62),
    )
]


def _sorted(cells: list[pb.MarkCell]) -> list[pb.MarkCell]:
    return sorted(cells, key=lambda c: (c.column_id, c.student_id))


async def test_postgres_encodes_the_cells_grid_wire_encodes(databases: Databases) -> None:
    url = databases.fresh("gradebook").replace("postgresql+psycopg://", "postgresql://")
    rows = "(VALUES " + ", ".join(["(%s::uuid, %s::uuid, %s::text, %s::bigint)"] * len(CELLS)) + ")"
    relation = f"{rows} AS m(column_id, student_id, value, version)"
    parameters = [x for cell in CELLS for x in cell]
    async with await psycopg.AsyncConnection.connect(url) as conn:
        found = await (await conn.execute(mark_cells_sql(relation), parameters)).fetchone()
        nothing = await (await conn.execute(mark_cells_sql(relation + " WHERE false"), parameters)).fetchone()
    assert found is not None and nothing == (None,)
    encoded = bytes(found[0])
    expected = grid_wire.mark_cells(CELLS)
    assert len(encoded) == len(expected)
    ours = pb.GetJournalGridResponse.FromString(encoded).cells
    theirs = pb.GetJournalGridResponse.FromString(expected).cells
    assert len(ours) == len(CELLS)
    assert _sorted(list(ours)) == _sorted(list(theirs))
    assert {c.version for c in ours} == {version for *_, version in CELLS}


async def test_a_student_reads_only_their_own_cells_of_the_grid(w: World) -> None:
    """The cells come encoded from PostgreSQL, so a student's read chooses them in the query (as a
    parent's would, by the child's id): their own row only, while the teacher reads every cell."""
    j = await w.journal("kz-medical", students=3)
    lesson = j.lessons[0]
    await w.write(j, [(lesson, s, "5") for s in j.students])

    async def cells(who: object) -> list[str]:
        grid = await w.rpc.GetJournalGrid(pb.GetJournalGridRequest(journal_id=j.journal_id), metadata=who)
        return sorted(c.student_id for c in grid.cells)

    assert await cells(w.teacher(j.teacher_id)) == sorted(j.students)
    assert await cells(w.student(j.students[1], j.group_id)) == [j.students[1]]
