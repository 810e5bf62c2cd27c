"""Inputs and outputs of the reopen procedure's workflow, updates and activities: one dataclass each.

They travel through Temporal's JSON converter and are stored in workflow histories: add fields only
with defaults, never rename or remove one (the replay tests over stored histories catch it).
"""

from dataclasses import dataclass
from datetime import datetime

from services.workflow.domain.actors import Actor
from services.workflow.domain.notices import Notice
from services.workflow.domain.reopen_case import Decision, HistoryEntry, Visa
from services.workflow.domain.reopen_facts import CaseFacts, Explanation, LateAdmission, ReopenTerms
from services.workflow.domain.sanctions import Proposal


def workflow_id(case_id: str) -> str:
    return f"reopen-{case_id}"


@dataclass(frozen=True)
class ReopenCaseInput:
    facts: CaseFacts
    explanation: Explanation
    terms: ReopenTerms
    late_admission: LateAdmission | None = None
    # Activities are retried after this long without an answer (a worker died in the middle).
    activity_timeout_seconds: float = 30.0
    # When the dean's office received the explanation (SubmitExplanation's clock); None: the start.
    received_at: datetime | None = None
    # History entries SubmitExplanation already recorded with the case's row (receipt, late admission).
    recorded_up_to: int = 0


# -- human steps (workflow updates) --------------------------------------------------------------


@dataclass(frozen=True)
class VisaRequest:
    actor: Actor
    role: str
    approve: bool
    comment: str = ""


@dataclass(frozen=True)
class DecisionRequest:
    actor: Actor
    approve: bool
    protocol: str
    reason: str = ""


@dataclass(frozen=True)
class ReopenRequest:
    actor: Actor


@dataclass(frozen=True)
class CorrectionRequest:
    actor: Actor
    note: str = ""


@dataclass(frozen=True)
class WithdrawRequest:
    actor: Actor
    reason: str


@dataclass(frozen=True)
class CaseView:
    """A case as its task list and history pages show it (also the answer of every update)."""

    facts: CaseFacts
    explanation: Explanation
    step: str
    waiting_for: tuple[str, ...]
    deadline: datetime | None
    overdue: bool
    received_at: datetime
    visas: tuple[Visa, ...]
    decision: Decision | None
    grant_id: str
    reopened_at: datetime | None
    correction_late: bool
    end_reason: str
    late_admission: LateAdmission | None
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class CaseOutcome:
    case_id: str
    step: str
    reason: str
    correction_late: bool


# -- activities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRecord:
    """The case after a step, the history entries not recorded yet, and whom to tell."""

    view: CaseView
    new_entries: tuple[HistoryEntry, ...]
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class StepRecorded:
    recorded_up_to: int


@dataclass(frozen=True)
class GrantInput:
    case_id: str
    teacher_id: str
    journal_id: str
    section: str
    expires_at: datetime
    reason: str = ""


@dataclass(frozen=True)
class GrantResult:
    grant_id: str


@dataclass(frozen=True)
class EndReopenInput:
    case_id: str
    reason: str
    late: bool


@dataclass(frozen=True)
class EndReopenResult:
    statement_id: str


@dataclass(frozen=True)
class CountReopenInput:
    case_id: str
    teacher_id: str
    department_id: str
    faculty_id: str
    term_id: str
    profile_code: str
    reason: str
    correction_late: bool
    completed_at: datetime


@dataclass(frozen=True)
class CountReopenResult:
    teacher_count: int
    department_count: int
    proposals: tuple[Proposal, ...]
