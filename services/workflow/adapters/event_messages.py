"""The workflow service's facts as the protobuf events it publishes (proto/ejournal/workflow/v1)."""

from __future__ import annotations

from datetime import datetime

from ejournal.workflow.v1 import events_pb2 as ev
from services.workflow.domain.notice_texts import english
from services.workflow.domain.notices import Notice
from services.workflow.domain.reopen_case import HistoryEntry
from services.workflow.domain.sanctions import Proposal
from services.workflow.processes.reopen.messages import CaseView


def instant(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def notification_event(notice: Notice, kind: str) -> ev.NotificationRequested:
    return ev.NotificationRequested(
        recipient_id=notice.recipient_id,
        what=english(notice.what, notice.values),
        why=english(notice.why, notice.values),
        deadline=instant(notice.deadline),
        recipient_role=notice.recipient_role,
        scope_type=notice.scope_type,
        scope_id=notice.scope_id,
        kind=kind,
        about_id=notice.case_id,
        overdue_person_ids=notice.overdue_person_ids,
        overdue_role=notice.overdue_role[0],
        overdue_scope_type=notice.overdue_role[1],
        overdue_scope_id=notice.overdue_role[2],
        what_key=notice.what,
        why_key=notice.why,
        values=notice.values,
        findings=[ev.KeyedText(key=key, values=values) for key, values in notice.findings],
    )


def step_event(view: CaseView, entry: HistoryEntry) -> ev.ReopenCaseStepRecorded:
    f = view.facts
    return ev.ReopenCaseStepRecorded(
        case_id=f.case_id,
        journal_id=f.journal_id,
        section=f.section,
        teacher_id=f.teacher_id,
        department_id=f.department_id,
        faculty_id=f.faculty_id,
        term_id=f.term_id,
        seq=entry.seq,
        action=entry.action,
        actor_id=entry.actor_id,
        at=instant(entry.at),
        detail=entry.detail,
        step=view.step,
        deadline=instant(view.deadline),
        overdue=view.overdue,
        reason=view.explanation.reason,
    )


def proposal_event(proposal: Proposal) -> ev.SanctionProposed:
    return ev.SanctionProposed(
        proposal_id=proposal.proposal_id,
        subject=proposal.subject.value,
        subject_id=proposal.subject_id,
        term_id=proposal.term_id,
        count=proposal.count,
        measure=proposal.measure,
        case_id=proposal.case_id,
    )
