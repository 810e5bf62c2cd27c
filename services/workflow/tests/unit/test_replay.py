"""Replay every stored history (services/workflow/tests/histories/*.json) against today's workflow code:
a change that would break cases already running (a different order of activities, timers or search
attribute upserts) fails here, in CI, before it reaches a running case."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from services.workflow.entrypoints.worker import WORKFLOWS
from services.workflow.processes.reopen.messages import CaseOutcome, ReopenCaseInput

pytestmark = pytest.mark.unit
HISTORIES = sorted((Path(__file__).parents[1] / "histories").glob("*.json"))
PROCESSES = {
    "ReopenCase",
    "ClosingDeadline",
    "StatementDeadline",
    "DailyFillCheck",
    "WeeklyJournalCheck",
    "ReconcileCases",
}


def history(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))


def test_every_process_has_stored_histories() -> None:
    types = {
        history(p).events[0].workflow_execution_started_event_attributes.workflow_type.name for p in HISTORIES
    }
    assert types == PROCESSES


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_stored_history_replays_on_current_code(path: Path) -> None:
    result = await Replayer(workflows=WORKFLOWS).replay_workflow(history(path), raise_on_replay_failure=True)
    assert result.replay_failure is None


@workflow.defn(name="ReopenCase")
class ChangedReopenCase:
    """The reopen workflow as a careless change might make it: a timer before the first record."""

    @workflow.run
    async def run(self, input: ReopenCaseInput) -> CaseOutcome:
        await workflow.sleep(timedelta(minutes=1))
        return CaseOutcome(input.facts.case_id, "review", "", False)


async def test_a_change_that_breaks_running_cases_fails_the_replay() -> None:
    path = next(p for p in HISTORIES if p.stem == "reopen_completed")
    with pytest.raises(Exception, match=r"(?i)nondetermin"):
        # (unsandboxed: the sandbox would re-import this test module, and pytest with it)
        replayer = Replayer(workflows=[ChangedReopenCase], workflow_runner=UnsandboxedWorkflowRunner())
        await replayer.replay_workflow(history(path))
