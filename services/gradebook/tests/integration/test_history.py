"""The history is append-only for the service's role and tamper-evident for anyone who bypasses the
triggers: VerifyJournal names the first broken link of the journal's hash chain."""

from __future__ import annotations

import psycopg
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import JournalSetup, World

pytestmark = pytest.mark.integration


async def verify(w: World, j: JournalSetup) -> pb.VerifyJournalResponse:
    verdict: pb.VerifyJournalResponse = await w.rpc.VerifyJournal(
        pb.VerifyJournalRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    return verdict


async def as_superuser_bypassing_triggers(w: World, statement: str, *params: object) -> None:
    """What only someone with the database's superuser could do: switch triggers off and edit."""
    url = w.admin_url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(statement, params or None)
        await conn.commit()


async def filled(w: World) -> JournalSetup:
    j = await w.journal("kz-medical", students=3, lessons=2)
    await w.write(j, [(lesson, s, "60") for lesson in j.lessons for s in j.students])
    await w.write(j, [(j.lessons[0], j.students[1], "65")], reason="түзету")
    await w.write(j, [(j.lessons[1], j.students[2], "н/б")])
    return j


@pytest.mark.rule("KZ-01")
async def test_history_cannot_be_updated_deleted_or_truncated_by_the_service_role(w: World) -> None:
    j = await filled(w)
    for statement in (
        "UPDATE history SET new_value = '100'",
        "DELETE FROM history WHERE position = 8",
        "TRUNCATE history",
    ):
        with pytest.raises(psycopg.Error) as refused:
            await w.sql(statement)
        assert refused.value.sqlstate in ("42501", "EJ009")  # no privilege, or the trigger
    assert (await verify(w, j)).intact


@pytest.mark.rule("KZ-01")
async def test_verify_journal_reports_the_first_link_broken_by_an_edit_in_sql(w: World) -> None:
    j = await filled(w)
    intact = await verify(w, j)
    assert intact.intact and intact.entries_checked == 8 and intact.first_broken_position == 0
    await as_superuser_bypassing_triggers(
        w, "UPDATE history SET new_value = '95' WHERE journal_id = %s AND position = 7", j.journal_id
    )
    broken = await verify(w, j)
    assert not broken.intact
    assert (broken.first_broken_position, broken.broken_reason) == (7, "hash mismatch")
    assert broken.entries_checked == 6


async def test_verify_journal_detects_a_deleted_tail_and_a_recomputed_row(w: World) -> None:
    j = await filled(w)
    await as_superuser_bypassing_triggers(
        w, "DELETE FROM history WHERE journal_id = %s AND position = 8", j.journal_id
    )
    tail = await verify(w, j)
    assert (tail.intact, tail.first_broken_position, tail.broken_reason) == (False, 8, "head mismatch")
    # An editor who also recomputes the edited row's own hash still breaks the next link.
    await as_superuser_bypassing_triggers(
        w,
        "UPDATE history SET author_id = 'someone-else', hash = sha256(hash) "
        "WHERE journal_id = %s AND position = 3",
        j.journal_id,
    )
    assert (await verify(w, j)).first_broken_position == 3


@pytest.mark.rule("KZ-01")
async def test_verification_recomputes_every_cell_from_the_history(w: World) -> None:
    """An UPDATE of marks in SQL, without a history row, leaves the chain intact but not the state."""
    j = await filled(w)
    assert (await verify(w, j)).intact
    await w.sql(
        "UPDATE marks SET value = '100' WHERE journal_id = %s AND column_id = %s AND student_id = %s",
        j.journal_id, j.lessons[0], j.students[2],
    )  # fmt: skip
    verdict = await verify(w, j)
    assert not verdict.intact and verdict.broken_reason == "state mismatch"
    assert verdict.first_broken_position == 0  # the chain itself is whole
    cell = (verdict.differing_kind, verdict.differing_column_id, verdict.differing_student_id)
    assert cell == ("mark", j.lessons[0], j.students[2])
    # Restoring the value the history says makes the journal intact again: the check compares values.
    await w.sql(
        "UPDATE marks SET value = '60' WHERE journal_id = %s AND column_id = %s AND student_id = %s",
        j.journal_id, j.lessons[0], j.students[2],
    )  # fmt: skip
    assert (await verify(w, j)).intact
