"""Closing (KZ-05) at the database level, statements (numbered, immutable, hashed), the kg-jasu lock
(KG-06), and reopen grants with individual statements."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import grpc
import psycopg
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = pytest.mark.integration


async def close(w: World, j: JournalSetup, kind: str, who: object = None) -> pb.CloseSectionResponse:
    closed: pb.CloseSectionResponse = await w.rpc.CloseSection(
        pb.CloseSectionRequest(
            journal_id=j.journal_id, section=j.sections[kind], reason="deadline", idempotency_key=new_id()
        ),
        metadata=who or w.service(),
    )
    return closed


async def fill_current(w: World, j: JournalSetup) -> None:
    cells = [(lesson, s, "70") for lesson in j.lessons for s in j.students]
    cells += [(j.sections["current"], s, "80") for s in j.students]
    await w.write(j, cells)


@pytest.mark.rule("KZ-05")
async def test_a_closed_section_is_read_only_for_teachers_through_the_service(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    closed = await close(w, j, "current")
    assert not closed.already_closed and closed.statement_number == 1
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, [(j.lessons[0], j.students[0], "99")])
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "closed" in (refused.value.details() or "")
    # The midterm section is still open.
    await w.write(j, [(j.sections["midterm"], j.students[0], "66")])
    # Closing again is idempotent and returns the same statement.
    again = await close(w, j, "current")
    assert again.already_closed and again.statement_id == closed.statement_id


@pytest.mark.rule("KZ-05")
async def test_a_closed_section_rejects_direct_sql_as_the_service_role(w: World) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    await close(w, j, "current")
    lesson, student = j.lessons[0], j.students[0]
    for statement, params in (
        (
            "UPDATE marks SET value = '100', version = version + 1 WHERE column_id = %s AND student_id = %s",
            (lesson, student),
        ),
        ("DELETE FROM marks WHERE column_id = %s AND student_id = %s", (lesson, student)),
        (
            "INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by, "
            "term_id) VALUES (%s, %s, %s, '100', 1, now(), 'sql', "
            "(SELECT term_id FROM journals WHERE journal_id = %s)) ON CONFLICT DO NOTHING",
            (j.journal_id, j.lessons[1], str(uuid.uuid4()), j.journal_id),
        ),
        (
            "INSERT INTO attendance (journal_id, column_id, student_id, status, source, version, updated_at, "
            "updated_by, term_id) VALUES (%s, %s, %s, 'absent', 'sql', 1, now(), 'sql', "
            "(SELECT term_id FROM journals WHERE journal_id = %s))",
            (j.journal_id, lesson, student, j.journal_id),
        ),
        ("UPDATE sections SET closed_at = NULL WHERE section_id = %s", (j.sections["current"],)),
        ("UPDATE columns SET section_id = NULL WHERE column_id = %s", (lesson,)),
    ):
        with pytest.raises(psycopg.Error) as refused:
            await w.sql(statement, *params)
        assert refused.value.sqlstate == "EJ005", statement
    assert (
        await w.sql("SELECT value FROM marks WHERE column_id = %s AND student_id = %s", lesson, student)
    ) == [("70",)]
    # Cells of an open section are still writable by plain SQL: the guard is about closing only.
    await w.sql(
        "INSERT INTO marks (journal_id, column_id, student_id, value, version, updated_at, updated_by, "
        "term_id) VALUES (%s, %s, %s, '50', 1, now(), 'sql', "
        "(SELECT term_id FROM journals WHERE journal_id = %s))",
        j.journal_id,
        j.sections["midterm"],
        student,
        j.journal_id,
    )


async def test_statements_are_numbered_without_gaps_immutable_and_hashed(w: World) -> None:
    journals = [
        await w.journal("kz-medical", students=2, lessons=1, term_id=(term := new_id())) for _ in range(1)
    ]
    journals += [await w.journal("kz-medical", students=2, lessons=1, term_id=term) for _ in range(3)]
    results = await asyncio.gather(*(close(w, j, "current") for j in journals))
    assert sorted(r.statement_number for r in results) == [1, 2, 3, 4]
    statement = (
        await w.rpc.GetStatement(
            pb.GetStatementRequest(statement_id=results[0].statement_id),
            metadata=w.teacher(journals[0].teacher_id),
        )
    ).statement
    assert statement.series == "section" and statement.kind == "section"
    assert sorted(x.student_id for x in statement.lines) == sorted(journals[0].students)
    assert [(s.person_id, s.role) for s in statement.signers] == [
        (journals[0].teacher_id, "teacher"),
        ("service:workflow", "closed_by"),
    ]
    content = (await w.sql("SELECT content FROM statements WHERE statement_id = %s", statement.statement_id))[
        0
    ][0]
    assert hashlib.sha256(content.encode()).hexdigest() == statement.content_hash
    for sql in ("UPDATE statements SET content = 'x'", "DELETE FROM statements", "TRUNCATE statements"):
        with pytest.raises(psycopg.Error) as refused:
            await w.sql(sql)
        assert refused.value.sqlstate in ("42501", "EJ009")  # no privilege, or the trigger
    with pytest.raises(psycopg.Error):
        await w.sql("UPDATE statement_counters SET last_number = 2")


@pytest.mark.rule("KZ-05")
async def test_the_journals_teacher_may_close_and_another_teacher_may_not(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await close(w, j, "current", who=w.teacher(new_id()))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    closed = await close(w, j, "current", who=w.teacher(j.teacher_id))
    assert not closed.already_closed


async def test_the_workflow_closing_a_section_no_journal_carries_closes_nothing_and_a_teacher_is_refused(
    w: World,
) -> None:
    """At a control event's deadline the workflow closes its section in every journal that has it; when
    none has it yet that is an empty answer, not a refusal the activity would retry without end."""
    request = pb.CloseSectionRequest(section=new_id(), reason="deadline", idempotency_key=new_id())
    closed = await w.rpc.CloseSection(request, metadata=w.service())
    assert list(closed.closed) == []
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.rpc.CloseSection(request, metadata=w.teacher(new_id()))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.rule("KG-06")
async def test_kg_journal_locks_once_the_intermediate_attestation_scores_are_set(w: World) -> None:
    j = await w.journal("kg-jasu", students=2, lessons=2, controls=("current", "intermediate_attestation"))
    exam = j.sections["intermediate_attestation"]
    await w.write(j, [(j.lessons[0], s, "4") for s in j.students])
    await w.write(j, [(exam, j.students[0], "5")])
    await w.write(j, [(exam, j.students[0], "4")])  # one score set, the other not yet: still editable
    await w.write(j, [(exam, j.students[1], "3")])
    header = await w.rpc.GetJournal(
        pb.GetJournalRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    assert header.journal.locked_at
    attestation = next(s for s in header.journal.sections if s.section == exam)
    assert attestation.closed_at and attestation.statement_id
    for column in (exam, j.lessons[1], j.lessons[0]):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await w.write(j, [(column, j.students[1], "5")])
        assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "KG-06" in (refused.value.details() or "")
    with pytest.raises(psycopg.Error) as direct:
        await w.sql("UPDATE marks SET value = '5' WHERE journal_id = %s", j.journal_id)
    assert direct.value.sqlstate == "EJ005"
    with pytest.raises(psycopg.Error):
        await w.sql("UPDATE journals SET locked_at = NULL WHERE journal_id = %s", j.journal_id)
    statement = (
        await w.rpc.GetStatement(
            pb.GetStatementRequest(statement_id=attestation.statement_id), metadata=w.teacher(j.teacher_id)
        )
    ).statement
    assert {(x.student_id, x.value, x.traditional) for x in statement.lines} == {
        (j.students[0], "4", "хорошо"),
        (j.students[1], "3", "удовлетворительно"),
    }


async def grant(
    w: World, j: JournalSetup, kind: str, case_id: str, expires: timedelta = timedelta(days=2)
) -> str:
    reply = await w.rpc.GrantReopen(
        pb.GrantReopenRequest(
            case_id=case_id,
            teacher_id=j.teacher_id,
            journal_id=j.journal_id,
            section=j.sections[kind],
            expires_at=(datetime.now(UTC) + expires).isoformat(),
            reason="KZ-13 decision",
        ),
        metadata=w.service(),
    )
    return str(reply.grant_id)


@pytest.mark.rule("KZ-05")
async def test_only_the_workflow_service_grants_a_reopen_and_the_grant_opens_only_its_section(
    w: World,
) -> None:
    j = await w.journal("kz-medical", students=2, lessons=2)
    await fill_current(w, j)
    closed = await close(w, j, "current")
    case = new_id()
    for who in (w.teacher(j.teacher_id), w.person(new_id(), ("registrar_head", "university", new_id()))):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await w.rpc.GrantReopen(
                pb.GrantReopenRequest(
                    case_id=case,
                    teacher_id=j.teacher_id,
                    journal_id=j.journal_id,
                    section=j.sections["current"],
                    expires_at=(datetime.now(UTC) + timedelta(days=2)).isoformat(),
                ),
                metadata=who,
            )
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    grant_id = await grant(w, j, "current", case)
    assert await grant(w, j, "current", case) == grant_id  # idempotent by case id
    # Without a reason the correction is refused; with one it is written under the case.
    with pytest.raises(grpc.aio.AioRpcError) as no_reason:
        await w.write(j, [(j.lessons[0], j.students[0], "90")])
    assert no_reason.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    written = await w.write(j, [(j.lessons[0], j.students[0], "90")], reason="дата қате")
    assert written.reopen_case_id == case
    # Another teacher gets nothing from the grant, and plain SQL without the grant is still refused.
    with pytest.raises(psycopg.Error) as direct:
        await w.sql("UPDATE marks SET value = '1' WHERE column_id = %s", j.lessons[0])
    assert direct.value.sqlstate == "EJ005"
    history = await w.rpc.GetCellHistory(
        pb.GetCellHistoryRequest(journal_id=j.journal_id, column_id=j.lessons[0], student_id=j.students[0]),
        metadata=w.teacher(j.teacher_id),
    )
    assert (history.entries[-1].case_id, history.entries[-1].grant_id) == (case, grant_id)
    ended = await w.rpc.EndReopen(pb.EndReopenRequest(case_id=case, reason="submitted"), metadata=w.service())
    assert ended.corrected_student_ids == [j.students[0]]
    individual = (
        await w.rpc.GetStatement(
            pb.GetStatementRequest(statement_id=ended.individual_statement_id),
            metadata=w.teacher(j.teacher_id),
        )
    ).statement
    assert individual.kind == "individual" and individual.original_statement_id == closed.statement_id
    assert individual.case_id == case and [x.student_id for x in individual.lines] == [j.students[0]]
    original = (
        await w.rpc.GetStatement(
            pb.GetStatementRequest(statement_id=closed.statement_id), metadata=w.teacher(j.teacher_id)
        )
    ).statement
    assert {x.student_id: x.points for x in original.lines}[
        j.students[0]
    ] == "73"  # (70+70+80)/3, never rewritten
    assert {x.student_id: x.points for x in individual.lines}[j.students[0]] == "80"  # (90+70+80)/3
    # Re-closed: the teacher is refused again; ending again is idempotent.
    with pytest.raises(grpc.aio.AioRpcError) as reclosed:
        await w.write(j, [(j.lessons[0], j.students[0], "91")], reason="once more")
    assert reclosed.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    again = await w.rpc.EndReopen(pb.EndReopenRequest(case_id=case, reason="submitted"), metadata=w.service())
    assert again.already_ended and again.individual_statement_id == ended.individual_statement_id


@pytest.mark.rule("KZ-05")
async def test_an_expired_grant_no_longer_opens_the_section_even_in_sql(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    await fill_current(w, j)
    await close(w, j, "current")
    case = new_id()
    grant_id = await grant(w, j, "current", case, expires=timedelta(seconds=1.5))
    statement = "UPDATE marks SET value = '71' WHERE column_id = %s"
    url = w.url.replace("postgresql+psycopg://", "postgresql://")
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await conn.execute("SELECT set_config('ejournal.grant_id', %s, true)", (grant_id,))
        await conn.execute("SELECT set_config('ejournal.actor_id', %s, true)", (j.teacher_id,))
        await conn.execute(statement, (j.lessons[0],))  # covered by the active grant
        await conn.rollback()
    await asyncio.sleep(1.6)
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await conn.execute("SELECT set_config('ejournal.grant_id', %s, true)", (grant_id,))
        await conn.execute("SELECT set_config('ejournal.actor_id', %s, true)", (j.teacher_id,))
        with pytest.raises(psycopg.Error) as expired:
            await conn.execute(statement, (j.lessons[0],))
        assert expired.value.sqlstate == "EJ005"
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await w.write(j, [(j.lessons[0], j.students[0], "71")], reason="late")
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_kg_jasu_has_no_reopen_procedure(w: World) -> None:
    j = await w.journal("kg-jasu", students=1, lessons=1, controls=("current",))
    await close(w, j, "current")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await grant(w, j, "current", new_id())
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.rule("KZ-05")
async def test_an_expired_grant_is_ended_by_the_sweeper_with_its_individual_statement(w: World) -> None:
    from services.gradebook.service_layer.reopen import end_expired_grants

    j = await w.journal("kz-medical", students=2, lessons=1)
    await fill_current(w, j)
    closed = await close(w, j, "current")
    case = new_id()
    await grant(w, j, "current", case, expires=timedelta(seconds=1.5))
    await w.write(j, [(j.lessons[0], j.students[1], "100")], reason="тексерілді")
    assert await end_expired_grants(w.gradebook) == 0  # not expired yet
    await asyncio.sleep(1.6)
    assert await end_expired_grants(w.gradebook) == 1
    statements = await w.rpc.ListStatements(
        pb.ListStatementsRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    individual = [s for s in statements.statements if s.kind == "individual"]
    assert [(s.case_id, s.original_statement_id, [x.student_id for x in s.lines]) for s in individual] == [
        (case, closed.statement_id, [j.students[1]])
    ]
    ended = await w.rpc.EndReopen(pb.EndReopenRequest(case_id=case, reason="expired"), metadata=w.service())
    assert ended.already_ended and ended.individual_statement_id == individual[0].statement_id


async def test_a_kg_journals_lesson_marks_take_the_fast_path_and_its_attestation_scores_the_unit_of_work(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a batch with an intermediate attestation's cell can set the last final score (KG-06), so only
    such a batch of a KG journal needs the unit of work after its writes; lesson marks write without it."""
    j = await w.journal("kg-jasu", students=2, lessons=2, controls=("current", "intermediate_attestation"))
    units: list[object] = []
    unit_of_work = w.gradebook.unit_of_work

    def counted() -> object:
        units.append(None)
        return unit_of_work()

    monkeypatch.setattr(w.gradebook, "unit_of_work", counted)
    await w.write(j, [(j.lessons[0], s, "4") for s in j.students])
    assert units == []
    await w.write(j, [(j.sections["intermediate_attestation"], s, "5") for s in j.students])
    assert len(units) == 1
    header = await w.rpc.GetJournal(
        pb.GetJournalRequest(journal_id=j.journal_id), metadata=w.teacher(j.teacher_id)
    )
    assert header.journal.locked_at
