"""The reopen case (KZ-08, KZ-13) as a pure state machine; the Temporal workflow drives it.

Each human step has a `check_*` (refuses with a clear error and changes nothing) and the step itself
(checks again, then changes the case and appends to its history). The workflow's update validators call
the checks, its handlers the steps; unit tests call both directly.

Steps: review (visas + the dean's council, due `review_days` after receipt; when overdue the case is
escalated and keeps waiting: it is never approved by default) -> approved (waits for the registrar)
-> reopening (the grant is being issued) -> correcting (due `correction_days` after re-access) -> reclosing
(the teacher submitted the correction, or the deadline passed: then the section re-closes by itself and
the lateness is recorded) -> completed. A refused visa or a rejecting decision ends the case as
rejected; the teacher may withdraw it until it is reopened.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from ejournal_platform.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.workflow.domain.actors import Actor
from services.workflow.domain.reopen_facts import (
    VISA_SCOPE,
    CaseFacts,
    Explanation,
    LateAdmission,
    ReopenTerms,
)


class Step(StrEnum):
    REVIEW = "review"
    APPROVED = "approved"
    REOPENING = "reopening"
    CORRECTING = "correcting"
    RECLOSING = "reclosing"
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


ENDED = frozenset({Step.COMPLETED, Step.REJECTED, Step.WITHDRAWN})
# What waits for whom: the task-list slots (a visa role, the council, the registrar, the teacher).
COUNCIL, REGISTRAR, TEACHER = "council", "registrar", "teacher"


@dataclass(frozen=True)
class Visa:
    role: str
    person_id: str
    at: datetime
    approve: bool
    comment: str


@dataclass(frozen=True)
class Decision:
    approve: bool
    person_id: str
    at: datetime
    protocol: str
    reason: str


@dataclass(frozen=True)
class HistoryEntry:
    """One step of the case: who, when, what (append-only)."""

    seq: int
    at: datetime
    actor_id: str
    action: str
    detail: str


@dataclass
class ReopenCase:
    facts: CaseFacts
    explanation: Explanation
    terms: ReopenTerms
    received_at: datetime
    late_admission: LateAdmission | None = None
    step: Step = Step.REVIEW
    visas: dict[str, Visa] = field(default_factory=dict)
    decision: Decision | None = None
    review_overdue: bool = False
    grant_id: str = ""
    reopened_at: datetime | None = None
    corrected_at: datetime | None = None
    correction_late: bool = False
    end_reason: str = ""
    history: list[HistoryEntry] = field(default_factory=list)

    @classmethod
    def receive(
        cls,
        facts: CaseFacts,
        explanation: Explanation,
        terms: ReopenTerms,
        at: datetime,
        late_admission: LateAdmission | None = None,
    ) -> "ReopenCase":
        explanation.validate()
        case = cls(facts, explanation, terms, at, late_admission)
        case._log(at, facts.teacher_id, "submitted", f"explanation: {explanation.reason}")
        if late_admission is not None:
            case._log(
                late_admission.admitted_at,
                late_admission.admitted_by,
                "admitted_late",
                late_admission.reason,
            )
        return case

    # -- derived ---------------------------------------------------------------------------------

    @property
    def review_due(self) -> datetime:
        return self.received_at + timedelta(days=self.terms.review_days)

    @property
    def correction_due(self) -> datetime | None:
        if self.reopened_at is None:
            return None
        return self.reopened_at + timedelta(days=self.terms.correction_days)

    @property
    def ended(self) -> bool:
        return self.step in ENDED

    def deadline(self) -> datetime | None:
        if self.step == Step.REVIEW:
            return self.review_due
        if self.step == Step.CORRECTING:
            return self.correction_due
        return None

    def overdue(self, now: datetime) -> bool:
        deadline = self.deadline()
        return self.review_overdue or (deadline is not None and now > deadline)

    def missing_visas(self) -> tuple[str, ...]:
        return tuple(role for role in self.terms.visa_roles if role not in self.visas)

    def waiting_for(self) -> tuple[str, ...]:
        if self.step == Step.REVIEW:
            missing = self.missing_visas()
            return missing if missing else (COUNCIL,)
        if self.step == Step.APPROVED:
            return (REGISTRAR,)
        if self.step == Step.CORRECTING:
            return (TEACHER,)
        return ()

    # -- visas (KZ-08) -------------------------------------------------------------------------

    def check_visa(self, actor: Actor, role: str, approve: bool, comment: str) -> None:
        self._require_step(Step.REVIEW, "a visa")
        if role not in self.terms.visa_roles:
            raise InvalidArgument(
                "role", f"{role!r} gives no visa here; visas: {', '.join(self.terms.visa_roles)}"
            )
        self._refuse_own_request(actor)
        scope = VISA_SCOPE.get(role, "faculty")
        if not actor.holds(
            role,
            faculty_id=self.facts.faculty_id,
            department_id=self.facts.department_id if scope == "department" else "",
            university_id=self.facts.university_id,
        ):
            raise PermissionDenied(f"only the {role} of this case's {scope} gives this visa", field="actor")
        if role in self.visas:
            given = self.visas[role]
            raise FailedPrecondition(
                f"the {role} visa was already given by {given.person_id} at {given.at.isoformat()}",
                field="role",
            )
        other = next((v for v in self.visas.values() if v.person_id == actor.person_id), None)
        if other is not None:
            raise FailedPrecondition(
                f"{actor.person_id} already gave the {other.role} visa; each visa needs its own person",
                field="actor",
            )
        if not approve and not comment.strip():
            raise InvalidArgument("comment", "say why the visa is refused")

    def add_visa(self, actor: Actor, role: str, approve: bool, comment: str, at: datetime) -> None:
        self.check_visa(actor, role, approve, comment)
        self.visas[role] = Visa(role, actor.person_id, at, approve, comment)
        verdict = "approved" if approve else "refused"
        self._log(at, actor.person_id, f"visa_{role}", f"{verdict}: {comment}".rstrip(": "))
        if not approve:
            self._end(Step.REJECTED, at, actor.person_id, f"{role} refused the visa: {comment}")

    # -- the dean's council (KZ-13.2) ----------------------------------------------------------

    def check_decision(self, actor: Actor, approve: bool, protocol: str, reason: str) -> None:
        self._require_step(Step.REVIEW, "a council decision")
        self._refuse_own_request(actor)
        if not actor.holds(
            self.terms.decided_by, faculty_id=self.facts.faculty_id, university_id=self.facts.university_id
        ):
            raise PermissionDenied(
                f"only the {self.terms.decided_by} of this case's faculty records the council's decision",
                field="actor",
            )
        if not protocol.strip():
            raise InvalidArgument("protocol", "the council's protocol reference is required")
        if approve and self.missing_visas():
            raise FailedPrecondition(
                f"visas missing: {', '.join(self.missing_visas())}", field="approve", reason="visas missing"
            )
        if not approve and not reason.strip():
            raise InvalidArgument("reason", "say why the council rejects the request")

    def decide(self, actor: Actor, approve: bool, protocol: str, reason: str, at: datetime) -> None:
        self.check_decision(actor, approve, protocol, reason)
        self.decision = Decision(approve, actor.person_id, at, protocol, reason)
        late = " (after the deadline)" if at > self.review_due else ""
        verdict = "approved" if approve else "rejected"
        self._log(at, actor.person_id, "council_decision", f"{verdict}{late}, protocol {protocol}: {reason}")
        if approve:
            self.step = Step.APPROVED
        else:
            self._end(Step.REJECTED, at, actor.person_id, f"the dean's council rejected: {reason}")

    def mark_review_overdue(self, at: datetime) -> None:
        """The council's deadline passed: escalate; the case keeps waiting for a decision."""
        if self.step != Step.REVIEW or self.review_overdue:
            return
        self.review_overdue = True
        missing = self.missing_visas()
        waiting = f"visas missing: {', '.join(missing)}" if missing else "decision missing"
        self._log(at, "service:workflow", "review_overdue", f"due {self.review_due.isoformat()}; {waiting}")

    # -- the registrar reopens (KZ-13.3) -------------------------------------------------------

    def check_reopen(self, actor: Actor) -> None:
        self._require_step(Step.APPROVED, "reopening")
        self._refuse_own_request(actor)
        if not any(
            actor.holds(
                role,
                faculty_id=self.facts.faculty_id,
                department_id=self.facts.department_id,
                university_id=self.facts.university_id,
            )
            for role in self.terms.granted_by
        ):
            raise PermissionDenied(
                f"only the registrar ({' or '.join(self.terms.granted_by)}) reopens the journal",
                field="actor",
            )

    def start_reopening(self, actor: Actor, at: datetime) -> None:
        self.check_reopen(actor)
        self.step = Step.REOPENING
        self._log(at, actor.person_id, "reopen_requested", f"registrar reopens for {self.facts.teacher_id}")

    def granted(self, grant_id: str, at: datetime) -> None:
        if self.step != Step.REOPENING:
            raise FailedPrecondition(f"the case is {self.step}, not being reopened")
        self.grant_id = grant_id
        self.reopened_at = at
        self.step = Step.CORRECTING
        due = self.correction_due
        assert due is not None
        self._log(at, "service:workflow", "reopened", f"grant {grant_id}; correction due {due.isoformat()}")

    # -- the teacher corrects and forms the individual statement (KZ-13.4) ----------------------

    def check_correction(self, actor: Actor, note: str) -> None:
        self._require_step(Step.CORRECTING, "a correction")
        if actor.person_id != self.facts.teacher_id:
            raise PermissionDenied("only the case's teacher submits the correction", field="actor")

    def submit_correction(self, actor: Actor, note: str, at: datetime) -> None:
        self.check_correction(actor, note)
        self.corrected_at = at
        self.step = Step.RECLOSING
        self._log(at, actor.person_id, "correction_submitted", note)

    def correction_deadline_passed(self, at: datetime) -> None:
        """Nothing came by the deadline: the section re-closes by itself and the lateness is kept."""
        if self.step != Step.CORRECTING:
            return
        self.correction_late = True
        self.step = Step.RECLOSING
        due = self.correction_due
        assert due is not None
        self._log(at, "service:workflow", "correction_overdue", f"due {due.isoformat()}; re-closing now")

    def reclose(self, at: datetime, statement_id: str) -> None:
        """The section closed again with the individual statement."""
        if self.step != Step.RECLOSING:
            raise FailedPrecondition(f"the case is {self.step}, not re-closing")
        how = "automatically at the deadline (late)" if self.correction_late else "after correction"
        self._end(Step.COMPLETED, at, "service:workflow", f"re-closed {how}; statement {statement_id}")

    def note(self, at: datetime, action: str, detail: str) -> None:
        """Record something the service did for the case (counting, sanction proposals)."""
        self._log(at, "service:workflow", action, detail)

    # -- withdrawal -----------------------------------------------------------------------------

    def check_withdraw(self, actor: Actor, reason: str) -> None:
        if self.step not in (Step.REVIEW, Step.APPROVED):
            raise FailedPrecondition(
                f"the case is {self.step}: it can be withdrawn only before the journal is reopened",
                field="case_id",
            )
        if actor.person_id != self.facts.teacher_id:
            raise PermissionDenied("only the teacher who asked withdraws the case", field="actor")
        if not reason.strip():
            raise InvalidArgument("reason", "say why the case is withdrawn")

    def withdraw(self, actor: Actor, reason: str, at: datetime) -> None:
        self.check_withdraw(actor, reason)
        self._end(Step.WITHDRAWN, at, actor.person_id, f"withdrawn: {reason}")

    # -- helpers --------------------------------------------------------------------------------

    def _require_step(self, step: Step, what: str) -> None:
        if self.step == step:
            return
        if self.ended:
            raise FailedPrecondition(
                f"the case has ended ({self.step}: {self.end_reason}); {what} is no longer possible",
                field="case_id",
            )
        raise FailedPrecondition(
            f"the case is at step {self.step}; {what} is not expected now", field="case_id"
        )

    def _refuse_own_request(self, actor: Actor) -> None:
        if actor.person_id == self.facts.teacher_id:
            raise PermissionDenied("nobody approves their own request", field="actor")

    def _end(self, step: Step, at: datetime, actor_id: str, reason: str) -> None:
        self.step = step
        self.end_reason = reason
        self._log(at, actor_id, step.value, reason)

    def _log(self, at: datetime, actor_id: str, action: str, detail: str) -> None:
        self.history.append(HistoryEntry(len(self.history) + 1, at, actor_id, action, detail))
