"""Marks through gRPC: the scale (KZ-12, KG-04, KG-05), all-or-nothing batches, idempotent retries,
optimistic concurrency, access from teaching load and substitution, the record kept in history."""

from __future__ import annotations

import asyncio
import contextlib
import json

import grpc
import pytest
from sqlalchemy.pool import QueuePool

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal.identity.v1 import events_pb2 as idn
from ejournal_platform.grpc.status import error_info, field_violations
from services.gradebook.tests.world import World, new_id

pytestmark = pytest.mark.integration


async def grid_cells(w: World, j: object, who: object = None) -> dict[tuple[str, str], tuple[str, int]]:
    grid = await w.rpc.GetJournalGrid(
        pb.GetJournalGridRequest(journal_id=j.journal_id),  # type: ignore[attr-defined]
        metadata=who or w.teacher(j.teacher_id),  # type: ignore[attr-defined]
    )
    return {(c.column_id, c.student_id): (c.value, c.version) for c in grid.cells}


@pytest.mark.rule("KZ-12", "KG-04")
async def test_kz_absent_and_unprepared_are_distinct_marks_and_distinct_from_no_mark(w: World) -> None:
    j = await w.journal("kz-medical", students=3)
    lesson = j.lessons[0]
    await w.write(j, [(lesson, j.students[0], "н/б"), (lesson, j.students[1], "0")])
    cells = await grid_cells(w, j)
    assert cells[(lesson, j.students[0])] == ("н/б", 1)
    assert cells[(lesson, j.students[1])] == ("0", 1)
    # The third student has no mark yet: no cell at all, neither "н/б" nor "0".
    assert (lesson, j.students[2]) not in cells
    totals = await w.rpc.GetTotals(
        pb.GetTotalsRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    by_student = {t.student_id: t for t in totals.students}
    assert by_student[j.students[0]].current_control == "0.00"  # н/б counts as 0 points (profile data)
    assert by_student[j.students[1]].current_control == "0.00"
    assert by_student[j.students[2]].current_control == ""  # nothing to average yet


@pytest.mark.rule("KZ-12", "KG-04")
async def test_kz_value_off_the_scale_is_refused_with_the_allowed_values_and_nothing_is_written(
    w: World,
) -> None:
    j = await w.journal("kz-medical", students=3)
    cells = [(j.lessons[0], s, "90") for s in j.students] + [(j.lessons[1], j.students[0], "101")]
    cells.append((j.lessons[1], j.students[1], "нб"))  # the kg-jasu spelling is not on this scale
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, cells)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = dict(field_violations(refused.value))
    assert set(violations) == {"cells[3].value", "cells[4].value"}
    assert "allowed: н/б, 0..100" in violations["cells[3].value"]
    assert await grid_cells(w, j) == {}  # all-or-nothing


@pytest.mark.rule("KG-05", "KG-04")
async def test_kg_scale_is_exactly_nb_5_4_3_2(w: World) -> None:
    j = await w.journal("kg-jasu", students=5)
    lesson = j.lessons[0]
    accepted = await w.write(
        j, [(lesson, s, v) for s, v in zip(j.students, ["нб", "5", "4", "3", "2"], strict=True)]
    )
    assert [c.value for c in accepted.cells] == ["нб", "5", "4", "3", "2"]
    for bad in ("0", "1", "н/б", "отлично", "4+", "85"):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await w.write(j, [(j.lessons[1], j.students[0], bad)])
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        (field, reason), *_ = field_violations(refused.value)
        assert field == "cells[0].value"
        assert "allowed: 5, 4, 3, 2, нб" in reason


@pytest.mark.rule("KG-04")
async def test_cells_outside_the_journal_or_its_roster_are_refused(w: World) -> None:
    j = await w.journal("kg-jasu", students=2)
    other = await w.journal("kg-jasu", students=1)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, [(other.lessons[0], j.students[0], "5"), (j.lessons[0], other.students[0], "5")])
    assert dict(field_violations(refused.value)) == {
        "cells[0].column_id": "is not a column of this journal",
        "cells[1].student_id": "is not on this journal's roster",
    }


async def test_a_large_batch_is_all_or_nothing(w: World) -> None:
    j = await w.journal("kz-medical", students=30, lessons=20)
    cells = [
        (lesson, s, str((i * 7) % 101))
        for i, (lesson, s) in enumerate((x, y) for x in j.lessons for y in j.students)
    ]
    cells[457] = (cells[457][0], cells[457][1], "сто")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, cells)
    assert [f for f, _ in field_violations(refused.value)] == ["cells[457].value"]
    assert await grid_cells(w, j) == {}
    cells[457] = (cells[457][0], cells[457][1], "100")
    written = await w.write(j, cells)
    assert len(written.cells) == 600
    assert len(await grid_cells(w, j)) == 600


async def test_a_retry_with_the_same_key_returns_the_first_result_and_writes_once(w: World) -> None:
    j = await w.journal("kz-medical", students=2)
    key = new_id()
    cells = [(j.lessons[0], j.students[0], "77"), (j.lessons[0], j.students[1], "0")]
    first = await w.write(j, cells, key=key)
    again = await w.write(j, cells, key=key)
    assert not first.replayed and again.replayed
    assert list(again.cells) == list(first.cells)
    history = await w.sql("SELECT count(*) FROM history WHERE journal_id = %s", j.journal_id)
    events = await w.sql(
        "SELECT count(*) FROM outbox WHERE event_type = 'ejournal.gradebook.v1.MarkRecorded'"
    )
    assert history[0][0] == 2 and events[0][0] == 2
    # Reusing a key for another request is a client bug, refused rather than answered wrongly.
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, [(j.lessons[0], j.students[0], "78")], key=key)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_every_pooled_connection_is_back_in_transactions_after_writes_of_every_outcome(
    w: World,
) -> None:
    """A write takes its connection in autocommit mode to send BEGIN and COMMIT itself; the pool must
    get it back in transactional mode after every outcome, or the next use case on that connection
    would commit statement by statement."""
    j = await w.journal("kz-medical", students=2)
    cell, key = (j.lessons[0], j.students[0]), new_id()
    await w.write(j, [(*cell, "70")], key=key)  # written, committed in the pipeline
    await w.write(j, [(*cell, "70")], key=key)  # replayed
    await w.write(j, [(*cell, "70")])  # nothing changed: the key stored alone
    for refused_write in (
        w.write(j, [(*cell, "71")], versions=[0]),  # stale
        w.write(j, [(*cell, "1000")]),  # off the scale
        w.write(j, [(j.lessons[0], new_id(), "70")]),  # not on the roster
    ):
        with pytest.raises(grpc.aio.AioRpcError):
            await refused_write
    pool = w.engine.sync_engine.pool
    assert isinstance(pool, QueuePool)
    pooled = pool.checkedin()
    assert pooled > 0
    async with contextlib.AsyncExitStack() as held:  # all at once: every pooled connection is lent
        for _ in range(pooled):
            connection = await held.enter_async_context(w.engine.connect())
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None and not driver.autocommit


async def test_a_write_whose_key_a_twin_stores_first_while_it_runs_keeps_nothing(w: World) -> None:
    """The write commits in its own round trip (COMMIT last in its pipeline), so a concurrent twin's key
    must abort it rather than let it commit without its key. Made deterministic: the twin is a
    transaction holding the key uncommitted (the write reads no key, then waits on it to store its own),
    committed only once the write waits."""
    import psycopg

    j = await w.journal("kz-medical", students=1)
    key = new_id()
    url = w.url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url) as twin:
        await twin.execute(
            "INSERT INTO idempotency_keys (subject, operation, key, request_hash, response)"
            " VALUES (%s, 'WriteMarks', %s, %s, %s)",
            (j.teacher_id, key, b"another request", b"its reply"),
        )
        write = asyncio.ensure_future(w.write(j, [(j.lessons[0], j.students[0], "70")], key=key))
        waiting = "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s"
        while not await w.sql(waiting, "%INSERT INTO idempotency_keys%"):
            assert not write.done(), write.result()
            await asyncio.sleep(0.05)
        await twin.commit()
    with pytest.raises(grpc.aio.AioRpcError) as refused:  # the twin was another request: refused
        await write
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    written = await w.sql(
        "SELECT (SELECT count(*) FROM marks WHERE journal_id = %s),"
        " (SELECT count(*) FROM history WHERE journal_id = %s),"
        " (SELECT count(*) FROM outbox WHERE subject = %s"
        "  AND event_type = 'ejournal.gradebook.v1.MarkRecorded')",
        j.journal_id, j.journal_id, f"journal/{j.journal_id}",
    )  # fmt: skip
    assert written[0] == (0, 0, 0), "the write committed without its key"


async def test_two_writers_of_one_cell_one_wins_the_other_gets_the_current_value(w: World) -> None:
    j = await w.journal("kz-medical", students=1)
    cell = (j.lessons[0], j.students[0])
    results = await asyncio.gather(
        w.write(j, [(*cell, "61")], versions=[0]),
        w.write(j, [(*cell, "95")], versions=[0]),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, pb.WriteMarksResponse)]
    lost = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].code() == grpc.StatusCode.ABORTED
    current = json.loads(error_info(lost[0])["current"])
    assert current[0].pop("updated_at")  # who wrote the current value and when (issue 21)
    assert current == [
        {
            "cell": 0,
            "column_id": cell[0],
            "student_id": cell[1],
            "value": won[0].cells[0].value,
            "version": 1,
            "author_id": j.teacher_id,
            "author_name": "",  # gradebook knows no name for this test's teacher
        }
    ]
    # The loser retries its own value on the current version and wins now.
    mine = "61" if won[0].cells[0].value == "95" else "95"
    retried = await w.write(j, [(*cell, mine)], versions=[1])
    assert retried.cells[0].version == 2
    assert (await grid_cells(w, j))[cell] == (mine, 2)


async def test_a_stale_version_aborts_the_whole_batch(w: World) -> None:
    j = await w.journal("kz-medical", students=2)
    await w.write(j, [(j.lessons[0], j.students[0], "50")])
    with pytest.raises(grpc.aio.AioRpcError) as stale:
        await w.write(
            j, [(j.lessons[0], j.students[1], "70"), (j.lessons[0], j.students[0], "55")], versions=[0, 0]
        )
    assert stale.value.code() == grpc.StatusCode.ABORTED
    assert json.loads(error_info(stale.value)["current"])[0]["value"] == "50"
    assert (j.lessons[0], j.students[1]) not in await grid_cells(w, j)


@pytest.mark.rule("KZ-01")
async def test_every_change_is_kept_with_author_old_and_new_value_and_reason(w: World) -> None:
    j = await w.journal("kz-medical", students=1)
    cell = (j.lessons[0], j.students[0])
    await w.write(j, [(*cell, "40")])
    await w.write(j, [(*cell, "45")], reason="қате енгізілді")
    await w.write(j, [(*cell, "")], reason="cleared")  # back to "no mark yet"
    grid = await grid_cells(w, j)
    assert grid[cell] == ("", 3)  # a cleared cell keeps its version for concurrency
    history = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id, column_id=cell[0], student_id=cell[1]),
        metadata=w.teacher(j.teacher_id),
    )
    assert [(e.old_value, e.new_value, e.reason) for e in history.entries] == [
        ("", "40", ""),
        ("40", "45", "қате енгізілді"),
        ("45", "", "cleared"),
    ]
    assert {e.author_id for e in history.entries} == {j.teacher_id}
    assert [e.position for e in history.entries] == [1, 2, 3]


@pytest.mark.rule("KG-06")
async def test_a_teacher_marks_and_views_only_the_journals_they_teach(w: World) -> None:
    mine = await w.journal("kg-jasu", students=1)
    theirs = await w.journal("kg-jasu", students=1)
    me = w.teacher(mine.teacher_id)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(theirs, [(theirs.lessons[0], theirs.students[0], "5")], who=me)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await w.rpc.GetJournalGrid(pb.GetJournalGridRequest(journal_id=theirs.journal_id), metadata=me)
    assert hidden.value.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = await w.rpc.ListMyJournals(pb.ListMyJournalsRequest(), metadata=me)
    assert [x.journal_id for x in listed.journals] == [mine.journal_id]


async def test_the_history_names_the_author_and_the_absent_teacher_as_identity_gave_them(w: World) -> None:
    j = await w.journal("kz-medical", students=1)
    substitute = new_id()
    await w.apply(
        idn.PersonCreated(person_id=j.teacher_id, full_name="Оспанов Ерлан Серікұлы", category="staff"),
        idn.PersonCreated(person_id=substitute, full_name="Әлиева Дина Маратқызы", category="staff"),
    )
    await w.write(j, [(j.lessons[0], j.students[0], "70")])
    await w.substitute(j, substitute)
    await w.write(j, [(j.lessons[0], j.students[0], "75")], who=w.teacher(substitute))
    history = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    assert [(e.author_name, e.on_behalf_of_name) for e in history.entries] == [
        ("Оспанов Ерлан Серікұлы", ""),
        ("Әлиева Дина Маратқызы", "Оспанов Ерлан Серікұлы"),
    ]


@pytest.mark.rule("KZ-07")
async def test_a_substitute_writes_under_their_own_login_on_behalf_of_the_absent_teacher(w: World) -> None:
    j = await w.journal("kz-medical", students=1)
    substitute = new_id()
    with pytest.raises(grpc.aio.AioRpcError) as before:
        await w.write(j, [(j.lessons[0], j.students[0], "88")], who=w.teacher(substitute))
    assert before.value.code() == grpc.StatusCode.PERMISSION_DENIED
    await w.substitute(j, substitute)
    await w.write(j, [(j.lessons[0], j.students[0], "88")], who=w.teacher(substitute))
    history = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    assert [(e.author_id, e.on_behalf_of_id) for e in history.entries] == [(substitute, j.teacher_id)]
    listed = await w.rpc.ListMyJournals(pb.ListMyJournalsRequest(), metadata=w.teacher(substitute))
    assert [(x.journal_id, list(x.substituting_for)) for x in listed.journals] == [
        (j.journal_id, [j.teacher_id])
    ]


@pytest.mark.rule("KG-06")
async def test_a_withdrawn_teaching_load_withdraws_access(w: World) -> None:

    j = await w.journal("kg-jasu", students=1)
    load_id = (await w.sql("SELECT load_id FROM journal_teachers WHERE journal_id = %s", j.journal_id))[0][0]
    await w.apply(
        cur.TeachingLoadRemoved(load_id=str(load_id), teacher_id=j.teacher_id, reason="redistributed")
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, [(j.lessons[0], j.students[0], "5")])
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
