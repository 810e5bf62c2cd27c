"""What offline-first entry (issue 21) needs from the gradebook: the client's time of typing kept in
the history beside the time of acceptance and inside the hash chain; a version conflict that says who
wrote the server's value and when; a closed section refused by the time of acceptance, not of typing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.grpc.status import error_info, field_violations
from services.gradebook.tests.integration.test_closed_paths import refused_as_closed
from services.gradebook.tests.integration.test_closing import close, fill_current
from services.gradebook.tests.integration.test_history import as_superuser_bypassing_triggers, verify
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = pytest.mark.integration


async def write_typed(
    w: World, j: JournalSetup, cells: list[tuple[str, str, str, str]], versions: list[int] | None = None
) -> pb.WriteMarksResponse:
    """Cells as (column, student, value, typed_at) — what the browser's outbox sends on reconnect."""
    request = pb.WriteMarksRequest(journal_id=j.journal_id, idempotency_key=new_id())
    for i, (column, student, value, typed_at) in enumerate(cells):
        cell = request.cells.add(column_id=column, student_id=student, value=value, typed_at=typed_at)
        if versions is not None:
            cell.expected_version = versions[i]
    response: pb.WriteMarksResponse = await w.rpc.WriteMarks(request, metadata=w.teacher(j.teacher_id))
    return response


async def history(w: World, j: JournalSetup) -> list[pb.HistoryEntry]:
    answer = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    return list(answer.entries)


async def test_the_time_of_typing_is_kept_beside_the_time_of_acceptance_and_inside_the_chain(
    w: World,
) -> None:
    j = await w.journal("kz-medical", students=3)
    lesson = j.lessons[0]
    typed = datetime(2026, 12, 1, 8, 15, 30, 123000, tzinfo=UTC)
    await w.write(j, [(lesson, j.students[0], "50")])  # online, no typed time
    await write_typed(
        w,
        j,
        [
            (lesson, j.students[1], "70", typed.isoformat()),
            (lesson, j.students[2], "н/б", (typed + timedelta(seconds=4)).astimezone().isoformat()),
            (lesson, j.students[0], "55", ""),  # one cell of the batch without one
        ],
    )
    entries = await history(w, j)
    assert [(e.new_value, e.typed_at) for e in entries] == [
        ("50", ""),
        ("70", typed.isoformat()),
        ("н/б", (typed + timedelta(seconds=4)).isoformat()),
        ("55", ""),
    ]
    accepted = datetime.fromisoformat(entries[1].recorded_at)
    assert accepted > typed  # the server's own clock, not the client's
    assert (await verify(w, j)).intact
    # The typed time is inside the hash: editing it (bypassing the append-only triggers) breaks the chain.
    await as_superuser_bypassing_triggers(
        w,
        "UPDATE history SET typed_at = typed_at - interval '1 day' WHERE journal_id = %s AND position = 3",
        j.journal_id,
    )
    broken = await verify(w, j)
    assert (broken.intact, broken.first_broken_position, broken.broken_reason) == (False, 3, "hash mismatch")


async def test_a_typed_time_that_is_not_rfc_3339_is_refused_naming_the_cell(w: World) -> None:
    j = await w.journal("kz-medical", students=2)
    for bad in ("yesterday", "2026-12-01T08:15:30"):  # words; no offset from UTC
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await write_typed(
                w,
                j,
                [(j.lessons[0], j.students[0], "70", ""), (j.lessons[0], j.students[1], "71", bad)],
            )
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [f for f, _ in field_violations(refused.value)] == ["cells[1].typed_at"]
    assert await history(w, j) == []


async def test_a_conflict_names_who_wrote_the_servers_value_and_when(w: World) -> None:
    j = await w.journal("kz-medical", students=2)
    await as_superuser_bypassing_triggers(
        w,
        "INSERT INTO names (name_id, kind, title, defined_at) VALUES (%s, 'person', %s, now())",
        j.teacher_id,
        "Ахметова Айгүл Серікқызы",
    )
    cell = (j.lessons[0], j.students[0])
    await w.write(j, [(*cell, "80")])
    before = datetime.now(UTC)
    # The offline client saw version 0 for both cells; meanwhile the teacher's own other device wrote one.
    with pytest.raises(grpc.aio.AioRpcError) as stale:
        await write_typed(
            w,
            j,
            [(*cell, "60", before.isoformat()), (j.lessons[0], j.students[1], "61", before.isoformat())],
            versions=[0, 0],
        )
    assert stale.value.code() == grpc.StatusCode.ABORTED
    (current,) = json.loads(error_info(stale.value)["current"])
    written_at = datetime.fromisoformat(current.pop("updated_at"))
    assert current == {
        "cell": 0,
        "column_id": cell[0],
        "student_id": cell[1],
        "value": "80",
        "version": 1,
        "author_id": j.teacher_id,
        "author_name": "Ахметова Айгүл Серікқызы",
    }
    assert written_at <= before
    assert [e.new_value for e in await history(w, j)] == ["80"]  # nothing of the stale batch written


@pytest.mark.rule("KZ-05")
async def test_closing_applies_to_the_time_of_acceptance_not_the_time_of_typing(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    typed_while_open = datetime.now(UTC).isoformat()
    await close(w, j, "current")
    # Typed offline while the section was open, arriving after it closed: refused, with the key a
    # client recognises as "do not retry, offer a reopen".
    await refused_as_closed(write_typed(w, j, [(j.lessons[0], j.students[0], "99", typed_while_open)]))


async def attend_typed(
    w: World,
    j: JournalSetup,
    lesson: str,
    entries: list[tuple[str, str, str]],
    versions: list[int] | None = None,
) -> pb.RecordAttendanceResponse:
    """Entries as (student, status, typed_at) — an attendance save from the browser's outbox."""
    request = pb.RecordAttendanceRequest(journal_id=j.journal_id, lesson_id=lesson, idempotency_key=new_id())
    for i, (student, status, typed_at) in enumerate(entries):
        entry = request.entries.add(student_id=student, status=status, typed_at=typed_at)
        if versions is not None:
            entry.expected_version = versions[i]
    response: pb.RecordAttendanceResponse = await w.rpc.RecordAttendance(
        request, metadata=w.teacher(j.teacher_id)
    )
    return response


async def test_attendance_keeps_the_time_of_marking_in_the_history_and_its_chain(w: World) -> None:
    j = await w.journal("kz-medical", students=3)
    lesson = j.lessons[0]
    typed = datetime(2026, 12, 1, 8, 20, tzinfo=UTC)
    await attend_typed(
        w,
        j,
        lesson,
        [
            (j.students[0], "present", typed.isoformat()),
            (j.students[1], "absent", (typed + timedelta(seconds=3)).isoformat()),
            (j.students[2], "late", ""),  # one entry without one
        ],
    )
    entries = [e for e in await history(w, j) if e.kind == "attendance"]
    assert [(e.new_value, e.typed_at) for e in entries] == [
        ("present", typed.isoformat()),
        ("absent", (typed + timedelta(seconds=3)).isoformat()),
        ("late", ""),
    ]
    assert datetime.fromisoformat(entries[0].recorded_at) > typed
    assert (await verify(w, j)).intact
    await as_superuser_bypassing_triggers(
        w,
        "UPDATE history SET typed_at = typed_at + interval '1 hour' WHERE journal_id = %s AND position = 2",
        j.journal_id,
    )
    assert (await verify(w, j)).first_broken_position == 2
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await attend_typed(w, j, lesson, [(j.students[0], "absent", "this morning")])
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in field_violations(refused.value)] == ["entries[0].typed_at"]


async def test_an_attendance_conflict_names_who_marked_the_servers_status_and_when(w: World) -> None:
    j = await w.journal("kz-medical", students=2)
    await as_superuser_bypassing_triggers(
        w,
        "INSERT INTO names (name_id, kind, title, defined_at) VALUES (%s, 'person', %s, now())",
        j.teacher_id,
        "Ахметова Айгүл Серікқызы",
    )
    lesson = j.lessons[0]
    await attend_typed(w, j, lesson, [(j.students[0], "present", "")])
    before = datetime.now(UTC)
    with pytest.raises(grpc.aio.AioRpcError) as stale:
        await attend_typed(
            w,
            j,
            lesson,
            [(j.students[0], "absent", before.isoformat()), (j.students[1], "absent", before.isoformat())],
            versions=[0, 0],
        )
    assert stale.value.code() == grpc.StatusCode.ABORTED
    (current,) = json.loads(error_info(stale.value)["current"])
    written_at = datetime.fromisoformat(current.pop("updated_at"))
    assert current == {
        "cell": 0,
        "column_id": lesson,
        "student_id": j.students[0],
        "value": "present",
        "version": 1,
        "source": "teacher",
        "author_id": j.teacher_id,
        "author_name": "Ахметова Айгүл Серікқызы",
    }
    assert written_at <= before
    assert [e.new_value for e in await history(w, j) if e.kind == "attendance"] == ["present"]


@pytest.mark.rule("KZ-05")
async def test_attendance_marked_while_open_and_arriving_after_closing_is_refused(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    typed_while_open = datetime.now(UTC).isoformat()
    await close(w, j, "current")
    await refused_as_closed(attend_typed(w, j, j.lessons[0], [(j.students[0], "absent", typed_while_open)]))
