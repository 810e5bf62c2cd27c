"""The reopen procedure's deadlines on the time-skipping server: the whole 2 d / 2 d / 2 d procedure,
the council's lapse (escalated, never approved) and the correction's lapse (automatic re-close), in
seconds. Human steps are the real workflow updates; time between them is skipped with env.sleep."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle
from temporalio.worker import Worker

from services.workflow.processes.reopen.messages import (
    CaseOutcome,
    CorrectionRequest,
    DecisionRequest,
    ReopenRequest,
    VisaRequest,
    workflow_id,
)
from services.workflow.processes.reopen.workflows import ReopenCaseWorkflow
from services.workflow.search_attributes import OVERDUE, STEP
from services.workflow.tests.doubles import ReopenDoubles
from services.workflow.tests.support import People, case_input

pytestmark = pytest.mark.integration


async def start_case(env: Any, queue: str, people: People) -> WorkflowHandle[Any, CaseOutcome]:
    case = case_input(people)
    handle: WorkflowHandle[Any, CaseOutcome] = await env.client.start_workflow(
        ReopenCaseWorkflow.run, case, id=workflow_id(case.facts.case_id), task_queue=queue
    )
    return handle


async def approve_all(handle: WorkflowHandle[Any, Any], people: People) -> None:
    for actor, role in (
        (people.department_head, "department_head"),
        (people.dean_curation, "dean_curation"),
        (people.dean, "dean"),
    ):
        await handle.execute_update(ReopenCaseWorkflow.add_visa, VisaRequest(actor, role, True, "келісемін"))
    view = await handle.execute_update(
        ReopenCaseWorkflow.decide, DecisionRequest(people.dean, True, "протокол №7 от 21.11.2026")
    )
    assert view.step == "approved"


@pytest.mark.rule("KZ-13", "KZ-08")
async def test_whole_procedure_two_days_each_step(time_skipping: Any) -> None:
    env, queue, people, doubles = time_skipping, f"q-{uuid.uuid4().hex}", People(), ReopenDoubles()
    async with Worker(
        env.client, task_queue=queue, workflows=[ReopenCaseWorkflow], activities=doubles.activities()
    ):
        handle = await start_case(env, queue, people)
        await env.sleep(timedelta(days=1, hours=20))  # the council meets on the second day
        await approve_all(handle, people)
        await env.sleep(timedelta(hours=30))  # the registrar reopens a day later: no deadline on it
        view = await handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(people.registrar))
        assert view.step == "correcting" and view.grant_id
        assert view.deadline is not None and view.reopened_at is not None
        assert view.deadline - view.reopened_at == timedelta(days=2)
        await env.sleep(timedelta(days=1, hours=12))
        view = await handle.execute_update(
            ReopenCaseWorkflow.submit_correction, CorrectionRequest(people.teacher, "бағалар түзетілді")
        )
        outcome = await handle.result()

    assert view.step == "completed"
    assert outcome.step == "completed" and not outcome.correction_late
    assert not any(e.action == "review_overdue" for e in view.history)
    assert doubles.gradebook.grant_calls == 1
    ended = doubles.gradebook.ended[view.facts.case_id]
    assert not ended.late and ended.reason == "corrected by the teacher"
    assert doubles.actions() == [
        "submitted",
        "visa_department_head",
        "visa_dean_curation",
        "visa_dean",
        "council_decision",
        "reopen_requested",
        "reopened",
        "correction_submitted",
        "completed",
        "reopen_counted",
        "sanction_proposed",
    ]
    # Every step keeps who and when.
    by_action = {e.action: e for e in view.history}
    assert by_action["visa_dean"].actor_id == people.dean.person_id
    assert by_action["reopen_requested"].actor_id == people.registrar.person_id
    assert by_action["correction_submitted"].actor_id == people.teacher.person_id
    assert by_action["council_decision"].at - by_action["submitted"].at < timedelta(days=2)


@pytest.mark.rule("KZ-13")
async def test_council_lapse_escalates_and_never_approves(time_skipping: Any) -> None:
    env, queue, people, doubles = time_skipping, f"q-{uuid.uuid4().hex}", People(), ReopenDoubles()
    async with Worker(
        env.client, task_queue=queue, workflows=[ReopenCaseWorkflow], activities=doubles.activities()
    ):
        handle = await start_case(env, queue, people)
        await handle.execute_update(
            ReopenCaseWorkflow.add_visa, VisaRequest(people.department_head, "department_head", True)
        )
        await env.sleep(timedelta(days=2, minutes=1))
        view = await handle.query(ReopenCaseWorkflow.view)
        assert view.step == "review" and view.overdue
        assert [e.action for e in view.history][-1] == "review_overdue"
        attributes = (await handle.describe()).typed_search_attributes
        assert attributes.get(OVERDUE) is True and attributes.get(STEP) == "review"

        await env.sleep(timedelta(days=10))  # nothing happens by default, however long it waits
        view = await handle.query(ReopenCaseWorkflow.view)
        assert view.step == "review" and view.decision is None and doubles.gradebook.grant_calls == 0

        # The late decision is still the council's to make, and recorded as late.
        await handle.execute_update(
            ReopenCaseWorkflow.add_visa, VisaRequest(people.dean_curation, "dean_curation", True)
        )
        await handle.execute_update(ReopenCaseWorkflow.add_visa, VisaRequest(people.dean, "dean", True))
        view = await handle.execute_update(
            ReopenCaseWorkflow.decide, DecisionRequest(people.dean, True, "№9")
        )
        assert view.step == "approved"
        assert "after the deadline" in view.history[-1].detail

    escalations = [n for n in doubles.notices() if n.what.startswith("reopen case overdue")]
    assert {(n.recipient_role, n.scope_type) for n in escalations} == {
        ("dean", "faculty"),
        ("vice_rector", "university"),
    }


@pytest.mark.rule("KZ-13")
async def test_correction_lapse_recloses_and_records_lateness(time_skipping: Any) -> None:
    env, queue, people, doubles = time_skipping, f"q-{uuid.uuid4().hex}", People(), ReopenDoubles()
    async with Worker(
        env.client, task_queue=queue, workflows=[ReopenCaseWorkflow], activities=doubles.activities()
    ):
        handle = await start_case(env, queue, people)
        await approve_all(handle, people)
        await handle.execute_update(ReopenCaseWorkflow.reopen, ReopenRequest(people.registrar_head))
        outcome = await handle.result()  # waits: the server skips the 2 days
        view = await handle.query(ReopenCaseWorkflow.view)

    assert outcome.step == "completed" and outcome.correction_late
    assert doubles.gradebook.ended[view.facts.case_id].late
    actions = [e.action for e in view.history]
    assert actions[actions.index("reopened") + 1 : actions.index("reopened") + 3] == [
        "correction_overdue",
        "completed",
    ]
    overdue = next(e for e in view.history if e.action == "correction_overdue")
    reopened = next(e for e in view.history if e.action == "reopened")
    assert timedelta(days=2) <= overdue.at - reopened.at < timedelta(days=2, minutes=1)
    assert doubles.counted[0].correction_late
