"""The vice-rector's task list through the gRPC API: escalations that reached them and steps overdue
anywhere in the university; nothing on time, and nothing for a vice-rector's role held in a narrower
scope (least privilege)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest

from deploy.local.servers import TemporalDevServer
from ejournal.workflow.v1 import workflow_service_pb2 as pb
from ejournal_platform.db import UnitOfWork
from ejournal_platform.outbox import OutboxWriter
from services.workflow.adapters import tables
from services.workflow.adapters.tables import reopen_cases, sanction_proposals
from services.workflow.domain.actors import Actor, Grant
from services.workflow.processes.reopen.messages import CountReopenInput
from services.workflow.service_layer.counting import count_reopen
from services.workflow.service_layer.deps import Deps
from services.workflow.tests.harness import Harness, running_service
from services.workflow.tests.support import DEPARTMENT, FACULTY, TERM, UNIVERSITY

pytestmark = pytest.mark.integration


@pytest.fixture
async def service(databases: Any, temporal_dev: TemporalDevServer) -> AsyncIterator[Harness]:
    async with running_service(databases.fresh("workflow"), temporal_dev.address) as harness:
        yield harness


async def tasks_of(h: Harness, actor: Actor) -> list[tuple[str, str]]:
    reply = await h.stub.ListTasks(pb.ListTasksRequest(), metadata=h.auth(actor))
    return [(t.case_id, t.action) for t in reply.tasks]


@pytest.mark.rule("KZ-08", "KZ-13")
async def test_the_vice_rector_sees_escalated_cases_and_overdue_steps_across_the_university(
    service: Harness,
) -> None:
    h = service
    on_time = (await h.submit("sec-on-time")).case_id
    escalated = (await h.submit("sec-escalated", journal_id="journal-esc")).case_id
    late = (await h.submit("sec-late", journal_id="journal-late", department_id="dep-other")).case_id
    # The projection as the workflow's record activity leaves it after a lapse (escalated) and for a
    # step whose deadline has passed before its timer fired.
    async with h.sessions() as session, session.begin():
        await session.execute(
            reopen_cases.update().where(reopen_cases.c.case_id == escalated).values(overdue=True)
        )
        await session.execute(
            reopen_cases.update()
            .where(reopen_cases.c.case_id == late)
            .values(deadline=datetime.now(UTC) - timedelta(hours=1))
        )

    vice_rector = Actor("vice-rector", (Grant("vice_rector", "university", "kaznmu"),))
    found = await tasks_of(h, vice_rector)
    assert sorted(found) == sorted([(escalated, "escalated"), (late, "overdue")])
    assert on_time not in {case for case, _ in found}
    # The role in a faculty's scope does not reach the university-wide list.
    assert await tasks_of(h, Actor("vr-fac", (Grant("vice_rector", "faculty", FACULTY),))) == []
    # Others' lists are unchanged: the teacher has no oversight actions.
    assert all(action not in ("escalated", "overdue") for _, action in await tasks_of(h, h.people.teacher))


async def test_a_task_list_walked_one_by_one_gives_each_task_exactly_once_across_its_sources(
    service: Harness,
) -> None:
    """Issue 22: ListTasks is paginated by cursor across its three sources (cases waiting for the
    caller, the vice-rector's late cases, sanction proposals), even between two actions on one case."""
    h = service
    for n in range(3):
        await h.submit(f"sec-walk-{n}")  # waiting for the department head's visa
    late = (
        await h.submit("sec-walk-late", journal_id="journal-walk-late", department_id="dep-other")
    ).case_id
    async with h.sessions() as session, session.begin():
        await session.execute(
            reopen_cases.update()
            .where(reopen_cases.c.case_id == late)
            .values(deadline=datetime.now(UTC) - timedelta(hours=1))
        )
        for n in range(2):
            await session.execute(
                sanction_proposals.insert().values(
                    proposal_id=f"proposal-{n}",
                    subject="teacher",
                    subject_id="t-1",
                    term_id="term",
                    count=3,
                    measure="reprimand",
                    case_id=late,
                    proposed_at=datetime.now(UTC),
                    university_id=UNIVERSITY,
                )
            )
    everyone = Actor(
        "head-vr-registrar",
        (
            Grant("department_head", "department", DEPARTMENT),
            Grant("vice_rector", "university", "kaznmu"),
            Grant("registrar_head", "university", "kaznmu"),
        ),
    )
    whole = await h.stub.ListTasks(pb.ListTasksRequest(page_size=1000), metadata=h.auth(everyone))
    assert whole.next_page_token == ""
    every = [(t.case_id, t.action) for t in whole.tasks]
    assert {a for _, a in every} >= {"overdue", "confirm_sanction"} and len(every) >= 6, every
    seen, token, pages = [], "", 0
    while True:
        request = pb.ListTasksRequest(page_size=1, page_token=token)
        page = await h.stub.ListTasks(request, metadata=h.auth(everyone))
        seen += [(t.case_id, t.action) for t in page.tasks]
        pages += 1
        token = page.next_page_token
        if not token:
            break
        assert pages < 50, "the walk must end"
    assert seen == every and len(set(seen)) == len(seen)


@pytest.mark.rule("KZ-08", "KZ-14")
async def test_no_task_list_crosses_universities(service: Harness) -> None:
    """Issue 18: one deployment holds two universities; the vice-rector's late cases, the registrar
    office's sanction proposals and a university-wide visa role's waiting cases are each their own
    university's, never the other's."""
    h = service
    ours = (await h.submit("sec-ours", journal_id="journal-ours")).case_id
    theirs = (
        await h.submit(
            "sec-theirs",
            journal_id="journal-theirs",
            university_id="u-other",
            faculty_id="fac-other",
            department_id="dep-other",
        )
    ).case_id
    async with h.sessions() as session, session.begin():
        await session.execute(
            reopen_cases.update().where(reopen_cases.c.case_id.in_([ours, theirs])).values(overdue=True)
        )
    # Each case counted as the workflow's count activity counts it: the ladder proposes a measure.
    outbox = OutboxWriter(tables.outbox)
    for case_id, department, faculty in ((ours, DEPARTMENT, FACULTY), (theirs, "dep-other", "fac-other")):
        counted = CountReopenInput(
            case_id, "t-1", department, faculty, TERM, "kz-medical", "reason", False, datetime.now(UTC)
        )
        await count_reopen(
            Deps(lambda: UnitOfWork(h.sessions, outbox), h.gradebook),
            counted,
            ladders=lambda _: (lambda n: "warning",) * 2,
        )

    def at(role: str, university: str) -> Actor:
        return Actor(f"{role}-{university}", (Grant(role, "university", university),))

    for university, case in ((UNIVERSITY, ours), ("u-other", theirs)):
        assert await tasks_of(h, at("vice_rector", university)) == [(case, "escalated")]
        assert sorted(await tasks_of(h, at("registrar_head", university))) == [
            (f"{case}:department", "confirm_sanction"),
            (f"{case}:teacher", "confirm_sanction"),
        ]
        # The first visa waits for the department head: a university-wide grant reaches its own.
        assert await tasks_of(h, at("department_head", university)) == [(case, "visa_department_head")]

    # The term's reopen counts and reasons (one term id here for both): each university's own.
    counts = await h.stub.ListReopenCounts(
        pb.ListReopenCountsRequest(term_id=TERM, profile_code="kz-medical"),
        metadata=h.auth(at("vice_rector", "u-other")),
    )
    assert [(c.subject_id, c.count) for c in counts.departments] == [("dep-other", 1)]
    reasons = await h.stub.ListReopenReasons(
        pb.ListReopenReasonsRequest(term_id=TERM), metadata=h.auth(at("vice_rector", "u-other"))
    )
    assert [r.case_id for r in reasons.reopens] == [theirs]

    # Nor does a university-wide role reach another university's case by its id: it is refused like
    # a case that does not exist (issue 13), and so is its proposal.
    vice_rector = at("vice_rector", "u-other")
    own = await h.stub.GetCase(pb.GetCaseRequest(case_id=theirs), metadata=h.auth(vice_rector))
    assert own.case.case_id == theirs
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.GetCase(pb.GetCaseRequest(case_id=ours), metadata=h.auth(vice_rector))
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await h.stub.ConfirmSanction(
            pb.ConfirmSanctionRequest(proposal_id=f"{ours}:teacher", reference="order 1"),
            metadata=h.auth(at("registrar_head", "u-other")),
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_a_case_stored_before_its_university_was_known_learns_it_from_its_faculty(
    service: Harness,
) -> None:
    """A journal opened before the gradebook knew its university (and every row stored before
    migration 0008) has none, so no university-wide list shows its case; the first JournalOpened of
    the same faculty that names the university gives it to the faculty's rows."""
    h = service
    case = (await h.submit("sec-unknown", journal_id="journal-unknown", university_id="")).case_id
    async with h.sessions() as session, session.begin():
        await session.execute(
            reopen_cases.update().where(reopen_cases.c.case_id == case).values(overdue=True)
        )
    vice_rector = Actor("vr", (Grant("vice_rector", "university", UNIVERSITY),))
    assert await tasks_of(h, vice_rector) == []
    await h.close_section("sec-known", journal_id="journal-known")  # same faculty, university named
    assert await tasks_of(h, vice_rector) == [(case, "escalated")]
    assert (
        await h.scalar("SELECT university_id FROM journals WHERE journal_id = 'journal-unknown'")
        == UNIVERSITY
    )
