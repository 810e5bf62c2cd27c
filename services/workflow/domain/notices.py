"""Who must be told what after a step of a reopen case (published as NotificationRequested events).

A notice names either a person (`recipient_id`) or a role within a scope (the department head of a
department, the deans of a faculty, the registrar office, the vice-rector): the portal resolves the
people holding that role today.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from services.workflow.domain import notice_texts as say
from services.workflow.domain.reopen_case import HistoryEntry, ReopenCase
from services.workflow.domain.reopen_facts import VISA_SCOPE


@dataclass(frozen=True)
class Notice:
    """`what` (the subject) and `why` (the details) are catalog keys (notice_texts.py) filled from
    `values`, so the notifier says them in each recipient's language."""

    what: str
    why: str
    deadline: datetime | None = None
    recipient_id: str = ""
    recipient_role: str = ""
    scope_type: str = ""
    scope_id: str = ""
    case_id: str = ""
    # Who is late (an overdue step and its escalation name them): people, or a role within a scope.
    overdue_person_ids: tuple[str, ...] = ()
    overdue_role: tuple[str, str, str] = ("", "", "")
    values: dict[str, str] = field(default_factory=dict)
    # A list said at the why text's {findings}: (catalog key, its values) per item.
    findings: tuple[tuple[str, dict[str, str]], ...] = ()


def _to_role(case: ReopenCase, role: str, what: str, why: str, deadline: datetime | None) -> Notice:
    scope_type = VISA_SCOPE.get(role, "university")
    scope_id = {
        "department": case.facts.department_id,
        "faculty": case.facts.faculty_id,
        "university": case.facts.university_id,
    }.get(scope_type, "")
    return Notice(what, why, deadline, "", role, scope_type, scope_id, case.facts.case_id)


def _to_teacher(case: ReopenCase, what: str, why: str, deadline: datetime | None = None) -> Notice:
    return Notice(what, why, deadline, case.facts.teacher_id, case_id=case.facts.case_id)


def _university(case: ReopenCase, role: str, what: str, why: str, deadline: datetime | None) -> Notice:
    """To the role at the case's university (issue 18: never another's; "" — any university — only
    for a case whose university is unknown, as before)."""
    return Notice(what, why, deadline, "", role, "university", case.facts.university_id, case.facts.case_id)


def _instant(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def notices_for(case: ReopenCase, entry: HistoryEntry) -> tuple[Notice, ...]:
    """The notices one history entry of the case calls for (none for most of them)."""
    f = case.facts
    about = {"journal": f.journal_id, "section": f.section, "teacher_person": f.teacher_id}
    return tuple(replace(n, values={**about, **n.values}) for n in _notices(case, entry))


def _notices(case: ReopenCase, entry: HistoryEntry) -> tuple[Notice, ...]:
    f = case.facts
    action = entry.action
    if action == "submitted":
        return tuple(
            _to_role(case, role, say.VISA_REQUESTED.get(role, f"visa requested ({role})"),
                     say.REOPEN_REQUEST, case.review_due)
            for role in case.terms.visa_roles
        )  # fmt: skip
    if action.startswith("visa_") and not case.missing_visas() and not case.ended:
        return (
            _to_role(
                case,
                case.terms.decided_by,
                say.COUNCIL_DECISION_NEEDED,
                say.ALL_VISAS_GIVEN,
                case.review_due,
            ),
        )
    if action == "review_overdue":
        due = {"due_at": _instant(case.review_due)}
        late = _to_role(case, case.terms.decided_by, say.CASE_OVERDUE, say.COUNCIL_WAS_DUE, case.review_due)
        overdue = (late.recipient_role, late.scope_type, late.scope_id)
        escalated = _university(
            case, "vice_rector", say.CASE_OVERDUE_ESCALATED, say.COUNCIL_WAS_DUE, case.review_due
        )
        return (
            replace(late, overdue_role=overdue, values=due),
            replace(escalated, overdue_role=overdue, values=due),
        )
    if action == "council_decision" and case.decision is not None and case.decision.approve:
        return (
            *(
                _university(case, role, say.REOPEN_THE_JOURNAL, say.COUNCIL_APPROVED, None)
                for role in case.terms.granted_by
            ),
            _to_teacher(case, say.REOPEN_APPROVED, say.COUNCIL_APPROVED_TEACHER),
        )
    if action == "reopened":
        return (_to_teacher(case, say.JOURNAL_REOPENED, say.ABOUT_CASE, case.correction_due),)
    if action == "correction_overdue":
        due = {"due_at": _instant(case.correction_due)}
        teacher = (f.teacher_id,)
        return (
            replace(_to_teacher(case, say.RECLOSED_LATE, say.NO_CORRECTION_BY),
                    overdue_person_ids=teacher, values=due),
            replace(_to_role(case, "department_head", say.CORRECTION_LATE, say.NO_CORRECTION_BY, None),
                    overdue_person_ids=teacher, values=due),
        )  # fmt: skip
    if action in ("rejected", "withdrawn"):
        what = say.CASE_ENDED.get(action, f"reopen case {action}")
        return (replace(_to_teacher(case, what, say.AS_WRITTEN), values={"detail": entry.detail}),)
    if action == "sanction_proposed":
        proposed = _university(case, "registrar_head", say.CONFIRM_MEASURE, say.AS_WRITTEN, None)
        return (replace(proposed, values={"detail": entry.detail}),)
    return ()
