"""`ListMyJournals` is paginated by cursor: walked with a page size of 1 it hands out each of the
caller's journals exactly once, in id order, then an empty token; a token is refused with other filters
or when it was not given out, naming `page_token`."""

from __future__ import annotations

from typing import Any

import grpc
import psycopg
import pytest

from ejournal.gradebook.v1 import gradebook_service_pb2 as pb
from ejournal_platform.grpc.status import field_violations
from services.gradebook.tests.world import World, new_id

pytestmark = pytest.mark.integration


async def test_my_journals_walked_one_by_one_gives_each_exactly_once(w: World) -> None:
    substitute = new_id()
    mine = []
    for _ in range(4):
        journal = await w.journal("kz-medical", students=1, lessons=1)
        await w.substitute(journal, substitute)
        mine.append(journal.journal_id)
    await w.journal("kz-medical", students=1, lessons=1)  # someone else's: never listed
    me = w.teacher(substitute)
    seen, token, pages = [], "", 0
    while True:
        request = pb.ListMyJournalsRequest(page_size=1, page_token=token)
        page = await w.rpc.ListMyJournals(request, metadata=me)
        seen += [j.journal_id for j in page.journals]
        pages += 1
        token = page.next_page_token
        if not token:
            break
        assert pages < 10, "the walk must end"
    assert seen == sorted(mine) and pages == 4
    whole = await w.rpc.ListMyJournals(pb.ListMyJournalsRequest(), metadata=me)
    assert ([j.journal_id for j in whole.journals], whole.next_page_token) == (sorted(mine), "")

    first = await w.rpc.ListMyJournals(pb.ListMyJournalsRequest(page_size=2), metadata=me)
    for bad in (
        pb.ListMyJournalsRequest(page_size=2, page_token=first.next_page_token, term_id=new_id()),
        pb.ListMyJournalsRequest(page_size=2, page_token="not-a-token"),
        pb.ListMyJournalsRequest(page_size=-1),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await w.rpc.ListMyJournals(bad, metadata=me)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert {f for f, _ in field_violations(refused.value)} <= {"page_token", "page_size"}


async def test_a_journals_disputes_walked_one_by_one_give_each_exactly_once(w: World) -> None:
    j = await w.journal("kg-jasu", students=3, lessons=1)
    lesson = j.lessons[0]
    await w.write(j, [(lesson, s, "3") for s in j.students])
    opened = []
    for student in j.students:
        dispute = pb.OpenDisputeRequest(journal_id=j.journal_id, column_id=lesson, message="Мен 4 алдым")
        opened.append((await w.rpc.OpenDispute(dispute, metadata=w.student(student))).dispute.dispute_id)
    teacher = w.teacher(j.teacher_id)
    seen, token, pages = [], "", 0
    while True:
        request = pb.ListDisputesRequest(journal_id=j.journal_id, page_size=1, page_token=token)
        page = await w.rpc.ListDisputes(request, metadata=teacher)
        seen += [d.dispute_id for d in page.disputes]
        pages += 1
        token = page.next_page_token
        if not token:
            break
        assert pages < 10, "the walk must end"
    assert seen == opened and pages == 3  # in the order they were opened


async def test_a_page_of_my_journals_costs_the_same_queries_however_many_journals_it_holds(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: `/my/journals` ran four queries per journal; now a page is a constant number of round
    trips (ids, journals with teachers, substitutions, sections, open cases)."""
    teacher = new_id()
    for _ in range(4):
        journal = await w.journal("kz-medical", students=1, lessons=1)
        await w.substitute(journal, teacher)
    executed: list[str] = []
    original = psycopg.AsyncCursor.execute

    async def counting(self: psycopg.AsyncCursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        executed.append(str(query))
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counting)
    counts = {}
    for size in (1, 4):
        executed.clear()
        page = await w.rpc.ListMyJournals(
            pb.ListMyJournalsRequest(page_size=size), metadata=w.teacher(teacher)
        )
        assert len(page.journals) == size and all(j.sections for j in page.journals)
        counts[size] = len(executed)
    assert counts[1] == counts[4] > 0, counts
