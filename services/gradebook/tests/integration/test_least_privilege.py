"""What the issue's probes did as superuser, done in SQL as the gradebook's own role: every
closed-section and history guard holds, and a grant cannot be forged."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from services.gradebook.tests.integration.test_closing import close, fill_current, grant
from services.gradebook.tests.world import World, new_id

pytestmark = pytest.mark.integration

REFUSED = ("42501", "EJ005", "EJ009")  # no privilege, closed section, append-only


async def in_one_transaction(w: World, *statements: tuple[str, tuple[object, ...]]) -> None:
    async with await psycopg.AsyncConnection.connect(
        w.url.replace("postgresql+psycopg://", "postgresql://")
    ) as conn:
        for statement, params in statements:
            await conn.execute(statement, params or None)
        await conn.commit()


@pytest.mark.rule("KZ-05")
async def test_closed_section_and_history_hold_against_the_service_role(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    await w.write(j, [(j.lessons[1], j.students[1], "н/б")])
    await close(w, j, "current")
    lesson, student, section = j.lessons[0], j.students[0], j.sections["current"]
    before = await w.sql("SELECT count(*), max(position) FROM history WHERE journal_id = %s", j.journal_id)
    [(term,)] = await w.sql(
        "SELECT replace(term_id::text, '-', '') FROM journals WHERE journal_id = %s", j.journal_id
    )
    attempts: list[tuple[str, tuple[object, ...]]] = [
        ("SET session_replication_role = replica", ()),
        ("UPDATE marks SET value = '100' WHERE column_id = %s AND student_id = %s", (lesson, student)),
        ("DELETE FROM marks WHERE column_id = %s", (lesson,)),
        (
            "INSERT INTO attendance (journal_id, column_id, student_id, status, source, version, updated_at, "
            "updated_by, term_id) VALUES (%s, %s, %s, 'absent', 'sql', 1, now(), 'sql', "
            "(SELECT term_id FROM journals WHERE journal_id = %s))",
            (j.journal_id, lesson, student, j.journal_id),
        ),
        ("UPDATE columns SET date = date + 1 WHERE column_id = %s", (lesson,)),
        ("UPDATE columns SET cancelled = true WHERE column_id = %s", (lesson,)),
        ("DELETE FROM columns WHERE column_id = %s", (lesson,)),
        (
            "INSERT INTO columns (journal_id, column_id, kind, date, section_id) SELECT journal_id, "
            "gen_random_uuid(), 'lesson', date, section_id FROM columns WHERE column_id = %s",
            (lesson,),
        ),
        ("UPDATE sections SET closed_at = NULL WHERE section_id = %s", (section,)),
        ("DELETE FROM sections WHERE section_id = %s", (section,)),
        ("UPDATE history SET new_value = '100' WHERE journal_id = %s", (j.journal_id,)),
        ("DELETE FROM history WHERE journal_id = %s", (j.journal_id,)),
        ("UPDATE statements SET content = 'x'", ()),
        ("DELETE FROM statements", ()),
        ("DELETE FROM journals WHERE journal_id = %s", (j.journal_id,)),
        *[
            (f"TRUNCATE {table}", ())
            for table in (
                "attendance",
                "marks",
                "history",
                "statements",
                "dispute_messages",
                "reopen_grants",
                "sections CASCADE",
                "columns",
                "journals CASCADE",
            )
        ],
        ("ALTER TABLE marks DISABLE TRIGGER ALL", ()),
        ("DROP TRIGGER marks_closed_update ON marks", ()),
        # The term's partitions (migration 0007): no right on them, only through the parents.
        *[
            (statement.format(f"{table}_{term}"), params)
            for table, statement, params in (
                ("marks", "UPDATE {} SET value = '100' WHERE column_id = %s", (lesson,)),
                ("marks", "DELETE FROM {} WHERE column_id = %s", (lesson,)),
                ("attendance", "DELETE FROM {}", ()),
                ("history", "UPDATE {} SET new_value = '100' WHERE journal_id = %s", (j.journal_id,)),
                ("history", "DELETE FROM {}", ()),
                ("history", "TRUNCATE {}", ()),
                ("history", "ALTER TABLE history DETACH PARTITION {}", ()),
            )
        ],
        ("CREATE OR REPLACE FUNCTION ejournal_closed_cells_guard() RETURNS trigger LANGUAGE sql AS ''", ()),
    ]
    for statement, params in attempts:
        with pytest.raises(psycopg.Error) as refused:
            await w.sql(statement, *params)
        assert refused.value.sqlstate in REFUSED, statement
    assert await w.sql(
        "SELECT value FROM marks WHERE column_id = %s AND student_id = %s", lesson, student
    ) == [("70",)]
    assert (
        await w.sql("SELECT count(*), max(position) FROM history WHERE journal_id = %s", j.journal_id)
        == before
    )


@pytest.mark.rule("KZ-13")
async def test_a_forged_grant_opens_nothing(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    await fill_current(w, j)
    await close(w, j, "current")
    lesson, student, section = j.lessons[0], j.students[0], j.sections["current"]
    forged = str(uuid.uuid4())
    with pytest.raises(psycopg.Error) as refused:
        await w.sql(
            "INSERT INTO reopen_grants (grant_id, case_id, teacher_id, journal_id, section_id, granted_at, "
            "expires_at, granted_by) VALUES (%s, 'forged', %s, %s, %s, now(), now() + interval '1 day', "
            "'me')",
            forged, j.teacher_id, j.journal_id, section,
        )  # fmt: skip
    assert refused.value.sqlstate == "42501"
    # The checking function refuses a teacher who does not teach the journal, and a section not closed.
    for teacher, target in ((new_id(), section), (j.teacher_id, j.sections["midterm"])):
        with pytest.raises(psycopg.Error) as refused:
            await w.sql(
                "SELECT ejournal_record_reopen_grant(%s, 'forged', %s, %s, %s, now(), "
                "now() + interval '1 day', 'me', '')",
                forged, teacher, j.journal_id, target,
            )  # fmt: skip
        assert refused.value.sqlstate == "EJ005"
    with pytest.raises(psycopg.Error) as refused:
        await in_one_transaction(
            w,
            ("SELECT set_config('ejournal.grant_id', %s, true)", (forged,)),
            ("SELECT set_config('ejournal.actor_id', %s, true)", (j.teacher_id,)),
            ("UPDATE marks SET value = '99' WHERE column_id = %s AND student_id = %s", (lesson, student)),
        )
    assert refused.value.sqlstate == "EJ005"


@pytest.mark.rule("KZ-13")
async def test_a_real_grant_is_logged_and_cannot_be_revived_or_extended(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    await fill_current(w, j)
    await close(w, j, "current")
    grant_id = await grant(w, j, "current", "case-" + new_id())
    assert await w.sql("SELECT recorded_by FROM reopen_grant_log WHERE grant_id = %s", grant_id) == [
        ("ejournal_gradebook",)
    ]
    for statement in (
        "UPDATE reopen_grants SET expires_at = expires_at + interval '1 year' WHERE grant_id = %s",
        "UPDATE reopen_grants SET teacher_id = gen_random_uuid() WHERE grant_id = %s",
        "DELETE FROM reopen_grants WHERE grant_id = %s",
        "DELETE FROM reopen_grant_log WHERE grant_id = %s",
    ):
        with pytest.raises(psycopg.Error) as refused:
            await w.sql(statement, grant_id)
        assert refused.value.sqlstate == "42501", statement
    await w.sql(
        "UPDATE reopen_grants SET ended_at = now(), end_reason = 'done' WHERE grant_id = %s", grant_id
    )
    with pytest.raises(psycopg.Error) as refused:
        await w.sql("UPDATE reopen_grants SET ended_at = NULL WHERE grant_id = %s", grant_id)
    assert refused.value.sqlstate == "EJ005"


async def test_a_missing_journal_is_refused_exactly_like_a_foreign_one(w: World) -> None:
    """No existence oracle: another teacher's journal and a journal that does not exist answer alike."""
    import grpc

    from ejournal.gradebook.v1 import gradebook_service_pb2 as pb

    j = await w.journal("kz-medical", students=1, lessons=1)
    stranger = w.teacher(new_id())
    answers = []
    for journal_id in (j.journal_id, new_id()):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await w.rpc.GetJournal(pb.GetJournalRequest(journal_id=journal_id), metadata=stranger)
        answers.append((refused.value.code(), refused.value.details()))
    assert answers[0] == answers[1] and answers[0][0] == grpc.StatusCode.PERMISSION_DENIED
