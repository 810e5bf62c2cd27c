"""Issue 13, personal data and existence oracles in the gradebook: a university-wide role reaches the
journals of its own university only, and a random id is refused exactly like someone else's."""

from __future__ import annotations

import grpc
import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.integration.test_closing import close, fill_current
from services.gradebook.tests.world import JournalSetup, World, new_id

pytestmark = pytest.mark.integration

AT = "2026-09-01T08:00:00+00:00"


async def place_in_university(w: World, j: JournalSetup) -> str:
    """The journal's faculty belongs to a new university (curriculum's structure events)."""
    university = new_id()
    await w.apply(
        cur.StructureUnitDefined(
            unit_id=university, kind="university", code="U", title="U", profile_code=j.profile, defined_at=AT
        ),
        cur.StructureUnitDefined(
            unit_id=j.faculty_id, kind="faculty", code="F", title="F", parent_id=university, defined_at=AT
        ),
    )
    return university


async def refusal(call: object) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call  # type: ignore[misc]
    return refused.value.code(), refused.value.details() or ""


async def test_the_registrar_reads_the_statements_of_its_own_university_only(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    university = await place_in_university(w, j)
    await fill_current(w, j)
    formed = await close(w, j, "current")
    registrar = w.person(new_id(), ("registrar_inspector", "university", university))
    listed = await w.rpc.ListStatements(pb.ListStatementsRequest(journal_id=j.journal_id), metadata=registrar)
    assert [s.statement_id for s in listed.statements] == [formed.statement_id]
    got = await w.rpc.GetStatement(
        pb.GetStatementRequest(statement_id=formed.statement_id), metadata=registrar
    )
    assert got.statement.statement_id == formed.statement_id
    vice_rector = w.person(new_id(), ("vice_rector", "university", university))
    await w.rpc.GetJournal(pb.GetJournalRequest(journal_id=j.journal_id), metadata=vice_rector)

    other = w.person(new_id(), ("registrar_inspector", "university", new_id()))
    code, _ = await refusal(
        w.rpc.ListStatements(pb.ListStatementsRequest(journal_id=j.journal_id), metadata=other)
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


async def test_a_missing_statement_is_refused_exactly_like_a_foreign_one(w: World) -> None:
    j = await w.journal("kz-medical", students=1, lessons=1)
    await fill_current(w, j)
    formed = await close(w, j, "current")
    stranger = w.teacher(new_id())
    foreign = await refusal(
        w.rpc.GetStatement(pb.GetStatementRequest(statement_id=formed.statement_id), metadata=stranger)
    )
    missing = await refusal(
        w.rpc.GetStatement(pb.GetStatementRequest(statement_id=new_id()), metadata=stranger)
    )
    assert foreign == missing
    assert foreign[0] == grpc.StatusCode.PERMISSION_DENIED


async def test_a_parent_asking_for_a_random_id_is_refused_like_for_another_child(w: World) -> None:
    j = await w.journal("kg-jasu", students=2, lessons=1)
    child, classmate = j.students
    parent = w.parent(new_id(), child)
    real = await refusal(
        w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=classmate), metadata=parent)
    )
    random = await refusal(
        w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=new_id()), metadata=parent)
    )
    assert real == random
    assert real[0] == grpc.StatusCode.PERMISSION_DENIED
    # Staff too: a teacher of another journal gets the same refusal for a real and a random student.
    stranger = w.teacher(new_id())
    real = await refusal(
        w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=classmate), metadata=stranger)
    )
    random = await refusal(
        w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=new_id()), metadata=stranger)
    )
    assert real == random
    # The child's own parent still sees the results.
    mine = await w.rpc.GetStudentResults(pb.GetStudentResultsRequest(student_id=child), metadata=parent)
    assert mine.student_id == child and len(mine.journals) == 1
