"""Course unit kinds (KZ-02): module grade = integrated average of the modular disciplines' exams; one
integrated exam over all blocks of an integrated discipline; integrated statements formed only by the
department that finishes the teaching (KZ-04)."""

from __future__ import annotations

from datetime import date, timedelta

import grpc
import pytest

from ejournal.curriculum.v1 import events_pb2 as cur
from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from services.gradebook.tests.world import CONTROL_KINDS, UNIT_KINDS, JournalSetup, World, new_id

pytestmark = pytest.mark.integration


async def parent_unit(w: World, kind: str, department: str, term: str) -> str:
    unit = new_id()
    await w.apply(
        cur.CourseUnitDefined(
            course_unit_id=unit,
            kind=UNIT_KINDS[kind],
            profile_code="kz-medical",
            title="Модуль",
            term_id=term,
            department_id=department,
            faculty_id=new_id(),
            revision=1,
            has_own_exam=kind == "integrated_discipline",
        )
    )
    return unit


async def module_setup(w: World) -> tuple[str, list[JournalSetup], str, str]:
    term, group, first_dep, last_dep = new_id(), new_id(), new_id(), new_id()
    module = await parent_unit(w, "module", first_dep, term)
    students = [new_id(), new_id()]
    for s in students:
        await w.apply(
            cur.StudentEnrolled(
                movement_id=new_id(), student_id=s, group_id=group, effective_date="2026-09-01"
            )
        )
    parts = [
        await w.journal(
            "kz-medical",
            lessons=1,
            controls=("intermediate_attestation",),
            unit_kind="modular_discipline",
            parent_id=module,
            position=i + 1,
            group_id=group,
            term_id=term,
            student_ids=students,
            department_id=dep,
            start=date.today() - timedelta(days=10 - 4 * i),
        )
        for i, dep in enumerate((first_dep, last_dep))
    ]
    return module, parts, first_dep, last_dep


@pytest.mark.rule("KZ-02")
async def test_module_grade_is_the_integrated_average_of_its_modular_disciplines_exams(w: World) -> None:
    module, (first, second), _first_dep, last_dep = await module_setup(w)
    a, b = first.students
    exam1, exam2 = first.sections["intermediate_attestation"], second.sections["intermediate_attestation"]
    await w.write(first, [(exam1, a, "80"), (exam1, b, "60")])
    head = w.person(new_id(), ("department_head", "department", last_dep))
    request = pb.GetIntegratedTotalsRequest(course_unit_id=module, group_id=first.group_id)
    partial = {t.student_id: t for t in (await w.rpc.GetIntegratedTotals(request, metadata=head)).students}
    assert partial[a].incomplete and partial[a].grade == ""  # the second modular exam is still missing
    await w.write(second, [(exam2, a, "91"), (exam2, b, "н/б")])
    found = {t.student_id: t for t in (await w.rpc.GetIntegratedTotals(request, metadata=head)).students}
    assert (found[a].grade, found[a].letter, found[a].gpa, found[a].passed) == ("86", "B+", "3.33", True)
    assert {p.course_unit_id: p.value for p in found[a].parts} == {
        first.course_unit_id: "80",
        second.course_unit_id: "91",
    }
    # н/б at an exam counts 0 points: (60 + 0) / 2 = 30, below the module's minimum of 50.
    assert (found[b].grade, found[b].letter, found[b].passed) == ("30", "FX", False)


@pytest.mark.rule("KZ-04")
async def test_integrated_statement_is_formed_only_by_the_department_that_finishes_the_teaching(
    w: World,
) -> None:
    module, (first, second), first_dep, last_dep = await module_setup(w)
    exam1, exam2 = first.sections["intermediate_attestation"], second.sections["intermediate_attestation"]
    await w.write(first, [(exam1, s, "70") for s in first.students])
    await w.write(second, [(exam2, s, "90") for s in first.students])
    request = pb.FormIntegratedStatementRequest(
        course_unit_id=module, group_id=first.group_id, idempotency_key=new_id()
    )
    for outsider in (
        w.person(new_id(), ("department_head", "department", first_dep)),
        w.teacher(first.teacher_id, first_dep),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await w.rpc.FormIntegratedStatement(request, metadata=outsider)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    head = w.person(new_id(), ("department_head", "department", last_dep))
    formed = await w.rpc.FormIntegratedStatement(request, metadata=head)
    assert (
        formed.statement_series == "integrated" and formed.statement_number == 1 and not formed.already_formed
    )
    again = await w.rpc.FormIntegratedStatement(request, metadata=w.teacher(second.teacher_id, last_dep))
    assert again.already_formed and again.statement_id == formed.statement_id
    statement = (
        await w.rpc.GetStatement(pb.GetStatementRequest(statement_id=formed.statement_id), metadata=head)
    ).statement
    assert statement.kind == "integrated" and statement.course_unit_id == module
    assert {line.student_id: line.points for line in statement.lines} == dict.fromkeys(first.students, "80")


@pytest.mark.rule("KZ-02")
async def test_an_integrated_discipline_has_one_integrated_exam_after_its_last_block(w: World) -> None:
    term, group, dep = new_id(), new_id(), new_id()
    discipline = await parent_unit(w, "integrated_discipline", dep, term)
    student = new_id()
    await w.apply(
        cur.StudentEnrolled(
            movement_id=new_id(), student_id=student, group_id=group, effective_date="2026-09-01"
        )
    )
    blocks = [
        await w.journal(
            "kz-medical",
            lessons=2,
            controls=("current",),
            unit_kind="block",
            parent_id=discipline,
            position=i + 1,
            is_last_part=i == 1,
            group_id=group,
            term_id=term,
            student_ids=[student],
            department_id=dep,
        )
        for i in range(2)
    ]
    exam = new_id()
    await w.apply(
        cur.ControlEventScheduled(
            control_event_id=exam,
            kind=CONTROL_KINDS["intermediate_attestation"],
            course_unit_id=discipline,
            group_id=group,
            date=date.today().isoformat(),
            term_id=term,
            profile_code="kz-medical",
            revision=1,
        )
    )
    grids = [
        await w.rpc.GetJournalGrid(
            pb.GetJournalGridRequest(journal_id=b.journal_id), metadata=w.teacher(b.teacher_id)
        )
        for b in blocks
    ]
    # The integrated exam is a column of the last block's journal only: one exam over all blocks.
    assert [exam in {c.column_id for c in g.columns} for g in grids] == [False, True]
    await w.write(blocks[1], [(exam, student, "77")])
    found = await w.rpc.GetIntegratedTotals(
        pb.GetIntegratedTotalsRequest(course_unit_id=discipline, group_id=group),
        metadata=w.teacher(blocks[1].teacher_id),
    )
    assert [(t.grade, t.letter, t.passed) for t in found.students] == [("77", "B-", True)]
