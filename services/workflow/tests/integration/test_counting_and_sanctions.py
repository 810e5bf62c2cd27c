"""Counting reopens and the disciplinary ladder (KZ-10, KZ-14, KZ-13 steps 5-7) on the dev server, with
the real count activity and database: every completed case counts once; the profile's ladders propose;
the registrar confirms with a reference; deans record corrective measures; the registrar head reads
the term's reasons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest

from deploy.local.servers import TemporalDevServer
from ejournal.workflow.v1 import events_pb2 as ev
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from services.workflow.domain.actors import Actor, Grant
from services.workflow.tests.harness import Harness, running_service
from services.workflow.tests.support import DEPARTMENT, FACULTY, TERM, People

pytestmark = pytest.mark.integration


@pytest.fixture
async def service(databases: Any, temporal_dev: TemporalDevServer) -> AsyncIterator[Harness]:
    async with running_service(databases.fresh("workflow"), temporal_dev.address) as harness:
        yield harness


async def complete_case(h: Harness, section: str, teacher: Actor, reason: str) -> pb.ReopenCase:
    """One reopen case through every step, by the people who may take each."""
    p = h.people
    case = await h.submit(
        section,
        actor=teacher,
        teachers=(teacher.person_id,),
        reason=reason,
        journal_id=f"journal-{teacher.person_id}",
    )
    for actor, role in (
        (p.department_head, "department_head"),
        (p.dean_curation, "dean_curation"),
        (p.dean, "dean"),
    ):
        await h.stub.AddVisa(
            pb.AddVisaRequest(case_id=case.case_id, role=role, approve=True), metadata=h.auth(actor)
        )
    await h.stub.DecideCouncil(
        pb.DecideCouncilRequest(case_id=case.case_id, approve=True, protocol="№ 5"), metadata=h.auth(p.dean)
    )
    await h.stub.ReopenJournal(
        pb.ReopenJournalRequest(case_id=case.case_id), metadata=h.auth(p.registrar_head)
    )
    reply = await h.stub.SubmitCorrection(
        pb.SubmitCorrectionRequest(case_id=case.case_id), metadata=h.auth(teacher)
    )
    assert reply.case.step == "completed"
    handle = h.client.get_workflow_handle(f"reopen-{case.case_id}")
    await handle.result()  # counted and proposed before the workflow ends
    done: pb.ReopenCase = reply.case
    return done


def teacher(name: str) -> Actor:
    return Actor(name, (Grant("teacher", "department", DEPARTMENT),))


@pytest.mark.rule("KZ-10", "KZ-14")
async def test_reopens_are_counted_per_teacher_and_department_and_the_ladder_proposes(
    service: Harness,
) -> None:
    h, p = service, service.people
    асан, болат = teacher(f"Асан-{p.suffix}"), teacher(f"Болат-{p.suffix}")
    for i in range(4):
        await complete_case(h, f"current-{i}", асан, f"қате күн {i}")
    for i in range(2):
        await complete_case(h, f"current-b{i}", болат, "техникалық қате")

    proposals = await h.outbox(ev.SanctionProposed)
    by_teacher = [
        (x.count, x.measure) for x in proposals if x.subject == "teacher" and x.subject_id == асан.person_id
    ]
    assert by_teacher == [(1, "verbal_warning"), (2, "warning"), (3, "warning"), (4, "reprimand")]
    by_department = [(x.count, x.measure) for x in proposals if x.subject == "department"]
    assert by_department == [
        (1, "verbal_warning"),
        (2, "verbal_warning"),
        (3, "warning"),
        (4, "warning"),
        (5, "warning"),
        (6, "reprimand"),
    ]

    counts = await h.stub.ListReopenCounts(
        pb.ListReopenCountsRequest(term_id=TERM, profile_code="kz-medical"), metadata=h.auth(p.registrar)
    )
    assert [(c.subject_id, c.count, c.measure) for c in counts.teachers] == [
        (асан.person_id, 4, "reprimand"),
        (болат.person_id, 2, "warning"),
    ]
    assert [(c.subject_id, c.count, c.measure) for c in counts.departments] == [(DEPARTMENT, 6, "reprimand")]
    # A teacher sees only their own count.
    mine = await h.stub.ListReopenCounts(pb.ListReopenCountsRequest(term_id=TERM), metadata=h.auth(болат))
    assert [(c.subject_id, c.count) for c in mine.teachers] == [(болат.person_id, 2)]


@pytest.mark.rule("KZ-13", "KZ-14")
async def test_registrar_confirms_measures_deans_record_corrections_head_reads_reasons(
    service: Harness,
) -> None:
    h, p = service, service.people
    case = await complete_case(h, "current-x", p.teacher, "бағалар басқа топқа қойылды")

    tasks = await h.stub.ListTasks(pb.ListTasksRequest(), metadata=h.auth(p.registrar))
    to_confirm = [t for t in tasks.tasks if t.action == "confirm_sanction"]
    assert {t.case_id for t in to_confirm} == {f"{case.case_id}:teacher", f"{case.case_id}:department"}

    proposal_id = f"{case.case_id}:teacher"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ConfirmSanction(
            pb.ConfirmSanctionRequest(proposal_id=proposal_id, reference=" "), metadata=h.auth(p.registrar)
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ConfirmSanction(
            pb.ConfirmSanctionRequest(proposal_id=proposal_id, reference="бұйрық №1"), metadata=h.auth(p.dean)
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    confirmed = await h.stub.ConfirmSanction(
        pb.ConfirmSanctionRequest(proposal_id=proposal_id, reference="бұйрық № 45-н, 25.11.2026"),
        metadata=h.auth(p.registrar),
    )
    assert confirmed.proposal.status == "confirmed" and confirmed.proposal.measure == "verbal_warning"
    assert confirmed.proposal.confirmed_by == p.registrar.person_id
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ConfirmSanction(
            pb.ConfirmSanctionRequest(proposal_id=proposal_id, reference="again"),
            metadata=h.auth(p.registrar),
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert [e.reference for e in await h.outbox(ev.SanctionConfirmed)] == ["бұйрық № 45-н, 25.11.2026"]

    measure = pb.RecordCorrectiveMeasureRequest(
        request_id="m-1",
        kind="training",
        description="Сириус АЖ бойынша оқыту семинары",
        scope_type="faculty",
        scope_id=FACULTY,
        term_id=TERM,
        case_id=case.case_id,
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.RecordCorrectiveMeasure(measure, metadata=h.auth(People().other_dean))
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    first = await h.stub.RecordCorrectiveMeasure(measure, metadata=h.auth(p.dean))
    again = await h.stub.RecordCorrectiveMeasure(measure, metadata=h.auth(p.dean))
    assert first.measure.measure_id == again.measure.measure_id
    assert len(await h.outbox(ev.CorrectiveMeasureRecorded)) == 1

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ListReopenReasons(
            pb.ListReopenReasonsRequest(term_id=TERM), metadata=h.auth(p.registrar)
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    analysis = await h.stub.ListReopenReasons(
        pb.ListReopenReasonsRequest(term_id=TERM), metadata=h.auth(p.registrar_head)
    )
    assert [(r.case_id, r.reason) for r in analysis.reopens] == [
        (case.case_id, "бағалар басқа топқа қойылды")
    ]
    assert [m.kind for m in analysis.measures] == ["training"]
