"""A reopen case as its view (what updates answer, task lists and GetCase show). Pure: the workflow
builds it from its state and workflow.now(); SubmitExplanation builds the first one the same way."""

from datetime import datetime

from services.workflow.domain.reopen_case import ReopenCase
from services.workflow.processes.reopen.messages import CaseView


def view_of(case: ReopenCase, now: datetime) -> CaseView:
    return CaseView(
        facts=case.facts,
        explanation=case.explanation,
        step=case.step.value,
        waiting_for=case.waiting_for(),
        deadline=case.deadline(),
        overdue=case.overdue(now),
        received_at=case.received_at,
        visas=tuple(case.visas.values()),
        decision=case.decision,
        grant_id=case.grant_id,
        reopened_at=case.reopened_at,
        correction_late=case.correction_late,
        end_reason=case.end_reason,
        late_admission=case.late_admission,
        history=tuple(case.history),
    )
